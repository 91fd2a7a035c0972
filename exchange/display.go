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

// HeaderValue is one header value as HeaderLines writes it: masked
// unless reveal, the same way. call --json masks with it, so that its
// headers and -i's cannot differ.
func HeaderValue(name, v string, in providers.Injection, tok secret.String, reveal bool) string {
	return Sent{Injection: in, Token: tok}.headerValue(name, v, reveal)
}

func (s Sent) headerValue(name, v string, reveal bool) string {
	if reveal {
		return v
	}
	if s.Injection.Header != "" && strings.EqualFold(name, s.Injection.Header) && !s.Token.IsZero() {
		tok := s.Token.Reveal()
		if i := strings.Index(v, tok); i >= 0 {
			// A token issued with its scheme ("Bearer eyJ...", maptable)
			// keeps the scheme readable too, like one keyhole prefixed.
			lead := ""
			if scheme, rest, ok := strings.Cut(tok, " "); ok && rest != "" && isScheme(scheme) {
				lead = scheme + " "
			}
			return v[:i] + lead + secret.Mask + v[i+len(tok):]
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

// DisplayURL is the final URL, with the token, credential parameters and
// any userinfo password masked unless reveal is set. The query is masked in
// place, not re-encoded: the parameters keep the order and spelling they
// went out with (url.Values would sort them and drop any pair holding a ';').
func (s Sent) DisplayURL(reveal bool) string {
	if s.URL == nil {
		return ""
	}
	if reveal {
		return s.URL.String()
	}
	u := *s.URL
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "PASSWORD")
		}
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, part := range parts {
			raw, _, hasValue := strings.Cut(part, "=")
			name, err := url.QueryUnescape(raw)
			if err != nil {
				name = raw
			}
			if hasValue && ((s.Injection.Query != "" && name == s.Injection.Query) || secret.SensitiveParam(name)) {
				parts[i] = raw + "=" + secret.Mask
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	// The mask is written unescaped, so the screen shows ••••, not
	// %E2%80%A2; the password placeholder goes through String's escaping
	// and is swapped for the mask afterwards.
	return strings.Replace(u.String(), ":PASSWORD@", ":"+secret.Mask+"@", 1)
}
