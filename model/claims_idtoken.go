package model

import (
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/jwt"
)

// idClaimsText is the claims view of a provider that sends the ID token:
// the ID token's claims (what the API reads), then the access token's.
// Only the payloads are decoded; neither token's signature is shown.
func idClaimsText(tok *providers.Token) (title, body string) {
	body = "ID token (the one sent)\n"
	if c, err := jwt.Parse(tok.ID.Reveal()); err == nil {
		body += prettyJSON(c.Raw) + "\n\n" + claimTimes(c)
	} else {
		body += "not a JWT: there are no claims to decode"
	}
	body += "\n\naccess token\n"
	if tok.Claims != nil {
		body += prettyJSON(tok.Claims.Raw) + "\n\n" + claimTimes(tok.Claims)
	} else {
		body += "not a JWT: there are no claims to decode"
	}
	return "Claims · ID token, access token · decoded, NOT verified", body
}
