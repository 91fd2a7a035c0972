package share

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strings"
)

// codeAlphabet is Crockford's base32 without I, L, O and U: no letter a
// viewer could read as another when it is read out over a call.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var codeEncoding = base32.NewEncoding(codeAlphabet).WithPadding(base32.NoPadding)

// newJoinCode makes a join code of 60 random bits, written as
// XXXX-XXXX-XXXX: enough that guessing it through the throttled prompt is
// hopeless, short enough to read out.
func newJoinCode() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	s := codeEncoding.EncodeToString(b[:])[:12]
	return s[:4] + "-" + s[4:8] + "-" + s[8:], nil
}

// normalizeCode is a code as typed, compared as written on the screen:
// case, spaces and dashes do not matter, nor the letters Crockford's
// alphabet reads as digits (O as 0, I and L as 1).
func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeMatches compares a typed code with the current one in constant time.
func codeMatches(typed, code string) bool {
	if code == "" {
		return false
	}
	a, b := normalizeCode(typed), normalizeCode(code)
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
