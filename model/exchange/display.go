package exchange

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Lines returns the sent request as text: the request line with the final
// URL, then the headers in a stable order. Unless reveal is set, the token
// and every credential header or parameter is masked — the injected scheme
// stays readable ("Authorization: Bearer ••••") because a wrong scheme is
// what people come to see.
func (s Sent) Lines(reveal bool) []string {
	if s.URL == nil {
		return nil
	}
	return append([]string{s.Method + " " + s.DisplayURL(reveal)}, HeaderLines(s.Header, s.Injection, s.Token, reveal)...)
}

// HeaderLines writes headers as "Name: value" lines in a stable order,
// masking credentials (and the token tok wherever it appears, injected as
// in says) unless reveal is set.
func HeaderLines(h http.Header, in providers.Injection, tok secret.String, reveal bool) []string {
	s := Sent{Header: h, Injection: in, Token: tok}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			out = append(out, name+": "+s.headerValue(name, v, reveal))
		}
	}
	return out
}

func (s Sent) headerValue(name, v string, reveal bool) string {
	if reveal {
		return v
	}
	if s.Injection.Header != "" && strings.EqualFold(name, s.Injection.Header) && !s.Token.IsZero() {
		if i := strings.Index(v, s.Token.Reveal()); i >= 0 {
			return v[:i] + secret.Mask + v[i+len(s.Token.Reveal()):]
		}
	}
	if secret.SensitiveHeader(name) {
		if scheme, _, ok := strings.Cut(v, " "); ok && isScheme(scheme) {
			return scheme + " " + secret.Mask
		}
		return secret.Mask
	}
	var red secret.Redactor
	red.Add(s.Token)
	return red.Redact(v)
}

// isScheme reports whether word looks like an HTTP auth scheme (Bearer,
// Basic, Token, access_token...) rather than part of a credential.
func isScheme(word string) bool {
	if len(word) == 0 || len(word) > 20 {
		return false
	}
	for _, c := range word {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// DisplayURL is the final URL, with the token and credential parameters
// masked unless reveal is set.
func (s Sent) DisplayURL(reveal bool) string {
	if s.URL == nil {
		return ""
	}
	if reveal {
		return s.URL.String()
	}
	u := *s.URL
	q := u.Query()
	changed := false
	for name, vals := range q {
		if name == s.Injection.Query || secret.SensitiveParam(name) {
			for i := range vals {
				vals[i] = secret.Mask
			}
			changed = true
		}
	}
	if changed {
		u.RawQuery = encodeMasked(q)
	}
	return u.String()
}

// encodeMasked encodes a query without escaping the mask's bullets, so the
// screen shows ••••, not %E2%80%A2.
func encodeMasked(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), url.QueryEscape(secret.Mask), secret.Mask)
}
