package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// Redactor replaces known secret values, in every encoding they are likely
// to travel in, with the mask; then masks the values of credential
// parameters (name=value) and credential JSON fields wherever they stand.
// The zero value knows no secret and is ready to use. A Redactor is not
// safe for concurrent mutation; build it, then share it read-only.
type Redactor struct {
	needles [][]byte // longest first, so a secret that contains another is replaced whole
	// index finds candidate needles by their first four bytes. Add drops
	// it and the first Redact after builds it: a session adds its secrets
	// a few at a time, and every provider of a config gets a Redactor
	// that most runs never use, while an index costs a 64 KB table.
	// Atomic, because Redactors are shared read-only and two first
	// Redacts may meet: both build the same index, one is kept.
	index atomic.Pointer[needleIndex]
}

// minSecretLen keeps very short values (an empty password, "x") from
// turning every occurrence of a common letter into a mask. A secret
// shorter than this is not masked where it appears as a bare value; it is
// still masked behind a credential name (client_secret=ab, "password":
// "ab", Authorization: Basic ...).
const minSecretLen = 4

// Add registers secrets to redact. Empty and very short values are ignored.
func (r *Redactor) Add(secrets ...String) {
	for _, s := range secrets {
		v := s.Reveal()
		if len(v) < minSecretLen {
			continue
		}
		for _, f := range forms(v) {
			r.needles = append(r.needles, []byte(f))
		}
	}
	r.rebuild()
}

// AddBasic registers the Basic authentication value built from user and
// password, whose base64 form hides the password from a plain search:
// RFC 7617's user:password, and RFC 6749 §2.3.1's form-encoded pair.
func (r *Redactor) AddBasic(user, password String) {
	if password.IsZero() {
		return
	}
	raw := user.Reveal() + ":" + password.Reveal()
	esc := url.QueryEscape(user.Reveal()) + ":" + url.QueryEscape(password.Reveal())
	for _, pair := range []string{raw, esc} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			r.needles = append(r.needles, []byte(enc.EncodeToString([]byte(pair))))
		}
	}
	r.rebuild()
}

// Merge returns a new Redactor that knows the secrets of r and of every
// other: one pass over a large body instead of one per Redactor. Nil
// Redactors are skipped.
func (r *Redactor) Merge(others ...*Redactor) *Redactor {
	out := &Redactor{}
	for _, x := range append([]*Redactor{r}, others...) {
		if x != nil {
			out.needles = append(out.needles, x.needles...)
		}
	}
	out.rebuild()
	return out
}

// rebuild sorts the needles longest first, drops duplicates and drops the
// index, for the next Redact to build (indexed).
func (r *Redactor) rebuild() {
	slices.SortStableFunc(r.needles, func(a, b []byte) int { return len(b) - len(a) })
	r.needles = slices.CompactFunc(r.needles, bytes.Equal)
	r.needles = slices.DeleteFunc(r.needles, func(n []byte) bool { return len(n) < minSecretLen })
	r.index.Store(nil)
}

// indexed returns the needles' index, built on first use; nil while there
// are no needles.
func (r *Redactor) indexed() *needleIndex {
	if x := r.index.Load(); x != nil || len(r.needles) == 0 {
		return x
	}
	x := newNeedleIndex(r.needles)
	r.index.Store(x)
	return x
}

// Redact returns text with every registered secret, the values of
// sensitive parameters (name=value) and of credential JSON fields replaced
// by the mask.
func (r *Redactor) Redact(text string) string {
	out, changed := r.RedactBytes([]byte(text))
	if !changed {
		return text
	}
	return string(out)
}

// RedactBytes is Redact for a byte slice, such as a response body of many
// megabytes: b itself comes back, with changed false, when nothing was
// masked, so a clean body costs no copy. b is never modified.
func (r *Redactor) RedactBytes(b []byte) (out []byte, changed bool) {
	out = b
	if r != nil {
		if idx := r.indexed(); idx != nil {
			if x, ok := idx.replace(out); ok {
				out, changed = x, true
			}
		}
	}
	if x, ok := redactParams(out); ok {
		out, changed = x, true
	}
	if x, ok := maskJSONFields(out); ok {
		out, changed = x, true
	}
	return out, changed
}

// ReplaceKnown masks the registered secrets alone in b, in every form Add
// registers, and leaves credential parameters and JSON fields as they
// are: for text that is used rather than shown (an answer a later request
// reads a value from). b itself comes back, with changed false, when
// nothing was masked; b is never modified.
func (r *Redactor) ReplaceKnown(b []byte) (out []byte, changed bool) {
	if r != nil {
		if idx := r.indexed(); idx != nil {
			return idx.replace(b)
		}
	}
	return b, false
}

// forms lists the encodings a secret commonly appears in: as is;
// percent-encoded for a query (space as +) or a path, and as RFC 3986
// wants it (space as %20), each with upper- and lower-case hex (%2F,
// %2f); base64, standard and URL-safe, padded and not; and JSON-escaped,
// with and without HTML escaping, and with / escaped as \/ (PHP's
// json_encode writes that), each also with its non-ASCII characters as
// \u00e9 escapes (Python's json and PHP's write that by default).
func forms(v string) []string {
	q := url.QueryEscape(v)
	out := []string{v, q, url.PathEscape(v), strings.ReplaceAll(q, "+", "%20")}
	for _, s := range out[1:] {
		out = append(out, lowerHex(s))
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out = append(out, enc.EncodeToString([]byte(v)))
	}
	for _, escHTML := range []bool{true, false} {
		j := jsonEscape(v, escHTML)
		out = append(out, j, strings.ReplaceAll(j, "/", `\/`))
		if a := asciiJSON(j); a != j {
			out = append(out, a, strings.ReplaceAll(a, "/", `\/`))
		}
	}
	return out
}

// asciiJSON is j, the inside of a JSON string, with every non-ASCII
// character written as a \u escape in lower-case hex, a pair of them
// beyond the Basic Multilingual Plane.
func asciiJSON(j string) string {
	var b strings.Builder
	for _, r := range j {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// jsonEscape is v as it stands between the quotes of a JSON string.
func jsonEscape(v string, escHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escHTML)
	if enc.Encode(v) != nil {
		return v
	}
	s := strings.TrimSuffix(b.String(), "\n")
	return s[1 : len(s)-1]
}

// lowerHex turns the hex digits of every %XX escape to lower case.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLower(b[i+1]), toLower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// needleIndex finds every needle in a text in one pass, however many
// needles there are, with Wu and Manber's shift table over byte pairs: a
// window as long as the shortest needle slides along the text, and the
// pair at its end says how far it may jump — for text unlike the needles,
// nearly the window's whole length. Only where the pair allows a match
// are the needles starting there compared, found by their first four
// bytes. A 50 MB body is scanned once, rather than once per needle (and a
// long needle such as a JWT would make bytes.Index fall back to
// Rabin-Karp).
type needleIndex struct {
	window int              // the shortest needle's length, at most maxWindow
	shift  []uint8          // by byte pair: how far the window may move when it ends with that pair
	byHead map[uint32][]int // first four bytes → needles, longest first
	needle [][]byte
}

// maxWindow bounds the window, so a shift fits a byte.
const maxWindow = 255

func newNeedleIndex(needles [][]byte) *needleIndex {
	if len(needles) == 0 {
		return nil
	}
	x := &needleIndex{window: maxWindow, shift: make([]uint8, 1<<16), byHead: map[uint32][]int{}, needle: needles}
	for i, n := range needles {
		x.window = min(x.window, len(n))
		k := binary.LittleEndian.Uint32(n)
		x.byHead[k] = append(x.byHead[k], i)
	}
	w := x.window
	for i := range x.shift {
		x.shift[i] = uint8(w - 1)
	}
	for _, n := range needles {
		for j := 0; j+2 <= w; j++ {
			g := binary.LittleEndian.Uint16(n[j:])
			x.shift[g] = min(x.shift[g], uint8(w-2-j))
		}
	}
	return x
}

// replace returns b with every needle replaced by the mask, leftmost
// first and longest first at each position, and whether anything was.
func (x *needleIndex) replace(b []byte) ([]byte, bool) {
	var out []byte
	last, w := 0, x.window
	for i := 0; i+w <= len(b); {
		if s := x.shift[binary.LittleEndian.Uint16(b[i+w-2:])]; s > 0 {
			i += int(s)
			continue
		}
		hit := -1
		for _, id := range x.byHead[binary.LittleEndian.Uint32(b[i:])] {
			if bytes.HasPrefix(b[i:], x.needle[id]) {
				hit = id
				break
			}
		}
		if hit < 0 {
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, Mask...)
		i += len(x.needle[hit])
		last = i
	}
	if out == nil {
		return b, false
	}
	return append(out, b[last:]...), true
}
