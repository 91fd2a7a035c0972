// Package tokenexchange is RFC 8693's token exchange request: the grant
// type, the token type identifiers, and the form a client posts to the
// token endpoint to trade a subject token (and an actor token) for a new
// one. It sends nothing itself; the session posts the form with the
// client's own authentication.
package tokenexchange

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// GrantType is the grant_type of a token exchange (RFC 8693 §2.1).
const GrantType = "urn:ietf:params:oauth:grant-type:token-exchange"

// The token type identifiers of RFC 8693 §3, by the short names a config
// may use for them.
var types = map[string]string{
	"access_token":  "urn:ietf:params:oauth:token-type:access_token",
	"refresh_token": "urn:ietf:params:oauth:token-type:refresh_token",
	"id_token":      "urn:ietf:params:oauth:token-type:id_token",
	"saml1":         "urn:ietf:params:oauth:token-type:saml1",
	"saml2":         "urn:ietf:params:oauth:token-type:saml2",
	"jwt":           "urn:ietf:params:oauth:token-type:jwt",
}

// ShortNames are the short names TokenType takes, sorted.
func ShortNames() []string {
	var out []string
	for k := range types {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TokenType turns a token type as a config writes it — a short name
// (access_token) or any absolute URI (RFC 8693 §3 lets a server define
// its own) — into the identifier sent; "" stays "".
func TokenType(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	if urn, ok := types[name]; ok {
		return urn, nil
	}
	if u, err := url.Parse(name); err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "") {
		return name, nil
	}
	return "", fmt.Errorf("unknown token type %q", name)
}

// Request is one exchange: the subject token, the token acting for it
// (optional), and the type of token asked for (optional).
type Request struct {
	Subject     secret.String
	SubjectType string // an identifier (TokenType); "" means access_token
	Actor       secret.String
	ActorType   string // "" means access_token when there is an actor
	Requested   string // "" lets the server choose
}

// Form is the request's token endpoint form (RFC 8693 §2.1), before the
// client's authentication and the provider's scope, audience, resource
// and token_params are added.
func (r Request) Form() url.Values {
	f := url.Values{}
	f.Set("grant_type", GrantType)
	f.Set("subject_token", r.Subject.Reveal())
	f.Set("subject_token_type", or(r.SubjectType, types["access_token"]))
	if !r.Actor.IsZero() {
		f.Set("actor_token", r.Actor.Reveal())
		f.Set("actor_token_type", or(r.ActorType, types["access_token"]))
	}
	if r.Requested != "" {
		f.Set("requested_token_type", r.Requested)
	}
	return f
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// Cycle follows the providers each one exchanges the token of (next),
// from start's, and returns the path back to start ("a", "b", "a") when
// there is one: each provider on it would wait for the next one's token
// forever. Nil when none comes back.
func Cycle(start string, next func(name string) []string) []string {
	seen := map[string]bool{}
	var walk func(path []string) []string
	walk = func(path []string) []string {
		for _, n := range next(path[len(path)-1]) {
			if n == start {
				return append(path, n)
			}
			if seen[n] {
				continue
			}
			seen[n] = true
			if found := walk(append(slices.Clone(path), n)); found != nil {
				return found
			}
		}
		return nil
	}
	return walk([]string{start})
}
