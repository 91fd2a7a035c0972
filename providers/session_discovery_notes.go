package providers

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// DiscoveryNotes is what the person should know about the endpoints
// discovery gave a session: said once, not on every request.
type DiscoveryNotes struct {
	// InClear names the metadata fields ("token_endpoint from
	// discovery", for config.ClearWarning) of endpoints
	// discovery gave, and the session uses, that are plain http to a host
	// that is not loopback.
	InClear []string
	// ForeignToken is the origin of the token endpoint discovery gave,
	// when it is not the issuer's. The client secret goes there:
	// legitimate (Google's and Cognito's token endpoints are on hosts of
	// their own), but worth knowing.
	ForeignToken string
}

// ForeignTokenNote says where the token endpoint is, when discovery put it
// on another origin than the issuer's; "" otherwise.
func (n DiscoveryNotes) ForeignTokenNote() string {
	if n.ForeignToken == "" {
		return ""
	}
	return fmt.Sprintf("token endpoint %s (from discovery) is not on the issuer's origin", n.ForeignToken)
}

// discoveryNotes reads md as the session uses it: only the endpoints the
// config leaves to discovery count.
func discoveryNotes(p *config.Provider, md *metadata) DiscoveryNotes {
	var n DiscoveryNotes
	md = md.forClient(p)
	for _, f := range []struct{ field, configured, discovered string }{
		{"token_endpoint", p.TokenURL, md.TokenEndpoint},
		{"authorization_endpoint", p.AuthURL, md.AuthorizationEndpoint},
		{"device_authorization_endpoint", p.DeviceURL, md.DeviceAuthorizationEndpoint},
		{"revocation_endpoint", p.RevokeURL, md.RevocationEndpoint},
		{"introspection_endpoint", p.IntrospectURL, md.IntrospectionEndpoint},
		// The client authenticates to the PAR endpoint as to the token
		// endpoint: its secret goes there too.
		{"pushed_authorization_request_endpoint", p.PARURL, md.PAREndpoint},
	} {
		if f.configured == "" && f.discovered != "" && config.InClear(f.discovered) {
			n.InClear = append(n.InClear, f.field+" from discovery")
		}
	}
	if p.TokenURL != "" || md.TokenEndpoint == "" {
		return n
	}
	tok, err1 := url.Parse(md.TokenEndpoint)
	iss, err2 := url.Parse(p.Issuer)
	if err1 == nil && err2 == nil && !SameOrigin(iss, tok) {
		n.ForeignToken = originOf(tok)
	}
	return n
}

// originOf writes u's origin for a message. A URL that parsed holds no
// ASCII control character, but its host may hold other unprintable runes
// from the server: those are quoted, never written raw to a terminal.
func originOf(u *url.URL) string {
	o := u.Scheme + "://" + u.Host
	for _, r := range o {
		if r < 0x21 || r > 0x7e {
			return strconv.QuoteToASCII(o)
		}
	}
	return o
}
