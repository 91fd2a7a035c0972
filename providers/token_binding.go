package providers

import (
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
)

// BoundJKT is the thumbprint of the key the access token is bound to: its
// cnf.jkt claim (RFC 9449 §6.1), "" when it is not a JWT or names none.
func (t *Token) BoundJKT() string {
	if t == nil || t.Claims == nil {
		return ""
	}
	cnf, _ := t.Claims.Raw["cnf"].(map[string]any)
	jkt, _ := cnf["jkt"].(string)
	return jkt
}

// DPoPBound reports whether the access token is bound to a DPoP key: its
// token_type is DPoP, or it is a JWT whose cnf.jkt names a key. A server
// may bind a token and still call it Bearer; the binding, not the name,
// decides what the API accepts (RFC 9449 §7.2 refuses a bound token sent
// as a bearer token).
func (t *Token) DPoPBound() bool {
	if t == nil {
		return false
	}
	return strings.EqualFold(Scheme(t.Type), dpop.Scheme) || t.BoundJKT() != ""
}

// SendsDPoP reports whether tok goes with the DPoP scheme and a proof: a
// provider with dpop = true (so keyhole holds a key to prove with) sending
// a DPoP-bound access token. The ID token (inject.token = "id_token") is a
// bearer JWT, whatever binds the access token.
func SendsDPoP(p *config.Provider, tok *Token) bool {
	return p.DPoP && !p.SendsIDToken() && tok.DPoPBound()
}

// TokenWarning is TokenTypeWarning for tok itself: nothing to say about a
// bearer-named token that is DPoP-bound when the provider has dpop = true,
// for keyhole sends it with the DPoP scheme and a proof all the same.
func TokenWarning(p *config.Provider, tok *Token) string {
	if tok == nil {
		return ""
	}
	if SendsDPoP(p, tok) {
		return ""
	}
	return TokenTypeWarningFor(p, tok.Type)
}
