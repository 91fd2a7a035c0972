package tokencache

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxName bounds the encoded part of a file name, well under the 255 bytes
// most file systems allow, leaving room for the hash and the suffix.
const maxName = 120

// fileName maps a cache key to a file name (without suffix) that is safe on
// every file system and unambiguous: two different keys never share a file.
//
// Lower-case ASCII letters, digits, '-', '_' and '@' stand for themselves,
// so the usual key "demo-cc@3f2a…" is its own file name; every other byte,
// '%' included, becomes %XX with upper-case hex. That is injective, and it
// stays injective on case-insensitive file systems (macOS, Windows): a
// literal letter is always lower case, and an upper-case letter only ever
// appears as one of the two hex digits after '%'. No '.' or '/' survives,
// so the name cannot be "..", hidden, a path, or end in ".json"/".lock" —
// which keeps token, lock and temporary (".tmp-*") files apart.
//
// A name longer than maxName is cut and followed by '~' and 128 bits of the
// key's SHA-256; '~' never appears in an uncut name, so cut names cannot
// meet uncut ones. The empty key is "%", which no other key produces.
func fileName(key string) string {
	if key == "" {
		return "%"
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '@' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	name := b.String()
	if len(name) <= maxName {
		return name
	}
	sum := sha256.Sum256([]byte(key))
	return name[:maxName-33] + "~" + hex.EncodeToString(sum[:16])
}
