package spec

import (
	"strings"

	"github.com/tidwall/gjson"
)

// Requirement is the operation's security requirement as the 401/403
// doctor takes it: a scheme and the scope names it requires there. Of
// several schemes, the first whose requirement names scopes (the one a
// token's scopes can be held against); "" and nil when none names any.
func (o *Operation) Requirement() (scheme string, scopes []string) {
	for _, r := range o.Scopes {
		name, scope, ok := strings.Cut(r, ":")
		if !ok || scope == "" {
			continue
		}
		if scheme == "" {
			scheme = name
		}
		if name == scheme {
			scopes = append(scopes, scope)
		}
	}
	return scheme, scopes
}

// Alternative is one entry of an OpenAPI security list: the schemes it
// names are all needed together (AND), each with its scopes. The entries
// of the list are alternatives (OR): [{oauth: [a]}, {oauth: [b]}] needs a
// or b, never both.
type Alternative []SchemeScopes

// SchemeScopes is one scheme of an alternative and the scopes it requires
// there (none for an API key or a scheme that names none).
type SchemeScopes struct {
	Scheme string   `json:"scheme"`
	Scopes []string `json:"scopes,omitempty"`
}

// ScopeNames are the scopes the alternative needs, each once, whatever
// scheme they belong to.
func (a Alternative) ScopeNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range a {
		for _, sc := range s.Scopes {
			if !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	return out
}

// Scheme is the first scheme of the alternative that names scopes, the
// one its scopes are held against; "" when none does.
func (a Alternative) Scheme() string {
	for _, s := range a {
		if len(s.Scopes) > 0 {
			return s.Scheme
		}
	}
	return ""
}

// TokenOptional reports whether the operation can be called without any
// credential: its security list has an empty alternative ({}), as in
// security: [{}, {oauth: [read]}], where a token, when sent, is held to
// the other alternatives but none is required. An empty list (security:
// []) says no credential is used at all, which is not this.
func (o *Operation) TokenOptional() bool {
	for _, a := range o.Security {
		if len(a) == 0 {
			return true
		}
	}
	return false
}

// alternatives reads a security list as written. The empty alternative
// ({}, "no security") is kept: it makes every other one optional.
func alternatives(security gjson.Result) []Alternative {
	var out []Alternative
	for _, req := range security.Array() {
		alt := Alternative{}
		req.ForEach(func(scheme, list gjson.Result) bool {
			s := SchemeScopes{Scheme: strings.Clone(scheme.String())}
			for _, n := range list.Array() {
				s.Scopes = append(s.Scopes, strings.Clone(n.String()))
			}
			alt = append(alt, s)
			return true
		})
		out = append(out, alt)
	}
	return out
}
