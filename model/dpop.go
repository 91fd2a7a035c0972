package model

import (
	"strings"

	"github.com/keyhole-sh/keyhole/providers"
)

// dpopDetail is the token pane's line about DPoP (RFC 9449): the key the
// token is bound to (its cnf.jkt), and whether that is this provider's
// key, whose proofs keyhole sends with it. "" for a provider without
// dpop = true holding a token bound to no key. Thumbprints are public.
// The verdict comes first and the thumbprints last: the pane cuts the line
// at its width, and a 43-character thumbprint in front would push "press r"
// off an 80-column screen.
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
		return "DPoP-bound, but this provider has no dpop = true: its calls carry no proof · cnf.jkt " + jkt
	case jkt != "" && jkt == own:
		return "DPoP-bound to this provider's key · cnf.jkt " + jkt + " · each call carries a proof"
	case jkt != "":
		return "DPoP-bound to another key: press r for a new token (this key's proofs will be refused) · cnf.jkt " + jkt + " · this provider's key " + own
	case own == "":
		return ""
	case typed:
		return "DPoP-bound (token_type DPoP) · key " + own + " · each call carries a proof"
	}
	return "dpop = true, but this token is bound to no key (token_type " + providers.Scheme(tok.Type) + ") · key " + own
}
