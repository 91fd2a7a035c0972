package exchange

import (
	"maps"
	"net/http"
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
		// A token issued with its scheme ("Bearer eyJ...", maptable)
		// keeps the scheme readable too, like one keyhole prefixed.
		if tok := s.Token.Reveal(); strings.Contains(v, tok) {
			return strings.Replace(v, tok, secret.MaskCredential(tok), 1)
		}
	}
	if secret.SensitiveHeader(name) {
		return secret.MaskCredential(v)
	}
	var red secret.Redactor
	red.Add(s.Token)
	return red.Redact(v)
}

// DisplayURL is the final URL, with the token, credential parameters and
// any userinfo password masked (secret.MaskURL) unless reveal is set.
func (s Sent) DisplayURL(reveal bool) string {
	if s.URL == nil {
		return ""
	}
	if reveal {
		return s.URL.String()
	}
	return secret.MaskURL(s.URL, s.Injection.Query)
}
