// Package httptoken says what an HTTP token is (RFC 9110 §5.6.2): the
// word a method, a header field name and an auth-scheme are made of. Each
// of those is checked before it reaches a request line, a header or a
// curl command, so that a stray space, newline or colon cannot split one
// into two; one rule serves them all.
package httptoken

import "strings"

// Char reports whether c may appear in a token (RFC 9110's tchar).
func Char(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Valid reports whether s is one token: not empty, every byte a tchar.
func Valid(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !Char(s[i]) {
			return false
		}
	}
	return true
}
