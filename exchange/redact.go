package exchange

import (
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Redactor knows every secret the exchange carried — the token, the
// parts of its credential headers, a URL password, the values of its
// credential parameters and JSON fields, the cookies it was given — so
// that it can mask them where they turn up again: in an echoed request,
// a token response, an error message. History writes entries through it;
// the screen merges it with the session's (Session.Redactor) to mask what
// it shows of the response.
func (ex *Exchange) Redactor() *secret.Redactor {
	var red secret.Redactor
	s := ex.Sent
	red.Add(s.Token)
	if ex.Token != nil {
		red.Add(ex.Token.Secrets()...)
	}
	for name, vs := range s.Header {
		if secret.SensitiveHeader(name) || strings.EqualFold(name, s.Injection.Header) {
			for _, v := range vs {
				red.AddFound(secret.CredentialParts(v)...)
			}
		}
	}
	if s.URL != nil {
		if pw, ok := s.URL.User.Password(); ok {
			red.AddFound(pw)
			// Go's client sends URL userinfo as a Basic header.
			red.AddBasic(secret.New(s.URL.User.Username()), secret.New(pw))
		}
		red.AddFound(secret.ParamValues(s.URL.RawQuery, s.Injection.Query)...)
	}
	red.AddFound(secret.ParamValues(string(s.Body), "")...)
	red.AddFound(secret.JSONValues(s.Body)...)
	if r := ex.Response; r != nil {
		for _, v := range r.Header.Values("Set-Cookie") {
			pair, _, _ := strings.Cut(v, ";")
			_, value, _ := strings.Cut(pair, "=")
			red.AddFound(strings.TrimSpace(value))
		}
		for name, vs := range r.Header {
			if secret.SensitiveHeader(name) && !strings.EqualFold(name, "Set-Cookie") {
				for _, v := range vs {
					red.AddFound(secret.CredentialParts(v)...)
				}
			}
		}
		red.AddFound(secret.JSONValues(r.Body)...)
	}
	return &red
}
