package model

import (
	"strings"

	"github.com/keyhole-sh/keyhole/providers"
)

// dpopDetail is the token pane's line about DPoP (RFC 9449): the key the
// token is bound to (its cnf.jkt), and whether that is this provider's
// key, whose proofs keyhole sends with it. "" for a provider without
// dpop = true holding a token bound to no key. Thumbprints are public.
func (e *entry) dpopDetail(tok *providers.Token) string {
	jkt := ""
	if tok.Claims != nil {
		if cnf, ok := tok.Claims.Raw["cnf"].(map[string]any); ok {
			jkt, _ = cnf["jkt"].(string)
		}
	}
	own := ""
	if e.Session != nil {
		if b := e.Session.DPoP(); b != nil {
			own = b.Key.Thumbprint()
		}
	}
	typed := strings.EqualFold(providers.Scheme(tok.Type), "DPoP")
	switch {
	case jkt != "" && own == "":
		return "DPoP-bound · cnf.jkt " + jkt + " · this provider has no dpop = true, so its calls carry no proof"
	case jkt != "" && jkt == own:
		return "DPoP-bound · cnf.jkt " + jkt + " · this provider's key: each call carries a proof"
	case jkt != "":
		return "DPoP-bound · cnf.jkt " + jkt + " · NOT this provider's key (" + own + "): its proofs will be refused; press r for a new token"
	case own == "":
		return ""
	case typed:
		return "DPoP-bound (token_type DPoP) · key " + own + ": each call carries a proof"
	}
	return "dpop = true, but this token is bound to no key (token_type " + providers.Scheme(tok.Type) + ") · key " + own
}
