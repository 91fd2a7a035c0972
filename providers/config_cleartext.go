package providers

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// IsLoopback reports whether host, a URL's Hostname, is this machine:
// 127.0.0.0/8, ::1 or localhost. Plain http there never crosses a network.
func IsLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// InClear reports whether raw is a plain http:// URL to a host that is not
// loopback: what is sent there, a client secret or a password, can be read
// (and the answer changed) by anyone on the way.
func InClear(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, "http") && u.Host != "" && !IsLoopback(u.Hostname())
}

// ClearEndpoints names the keys of p's endpoints that are InClear: those
// that receive its credentials (the token, device, revocation and
// introspection endpoints, a custom login or refresh), where the person
// signs in, and the issuer its other endpoints are discovered from. The
// API itself (base_url) is not among them: it receives only the token.
// p is a resolved provider; an unresolved ${VAR} parses as no URL.
func (p *Provider) ClearEndpoints() []string {
	var keys []string
	add := func(key, raw string) {
		if raw != "" && InClear(raw) {
			keys = append(keys, key)
		}
	}
	add("issuer", p.Issuer)
	add("token_url", p.TokenURL)
	add("auth_url", p.AuthURL)
	add("device_url", p.DeviceURL)
	add("revoke_url", p.RevokeURL)
	add("introspect_url", p.IntrospectURL)
	add("par_url", p.PARURL)
	if p.Login != nil {
		add("login.url", p.Login.URL)
	}
	if p.Refresh != nil {
		add("refresh.url", p.Refresh.URL)
	}
	return keys
}

// ClearWarning is the warning for endpoints, named by keys, that are plain
// http to a host that is not loopback; "" when there are none.
func ClearWarning(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	verb := "is"
	if len(keys) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s %s plain http to a host that is not loopback: the client secret, password and tokens sent there cross the network unencrypted, readable and changeable on the way (use https)", strings.Join(keys, ", "), verb)
}

// DiscoveryNotes is what the person should know about the endpoints
// discovery gave a session: said once, not on every request.
type DiscoveryNotes struct {
	// InClear names the metadata fields ("token_endpoint from
	// discovery", for ClearWarning) of endpoints
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
func discoveryNotes(p *Provider, md *metadata) DiscoveryNotes {
	var n DiscoveryNotes
	md = md.forClient(p)
	for _, f := range []struct{ field, configured, discovered string }{
		{"token_endpoint", p.TokenURL, md.TokenEndpoint},
		{"authorization_endpoint", p.AuthURL, md.AuthorizationEndpoint},
		{"device_authorization_endpoint", p.DeviceURL, md.DeviceAuthorizationEndpoint},
		{"revocation_endpoint", p.RevokeURL, md.RevocationEndpoint},
		{"introspection_endpoint", p.IntrospectURL, md.IntrospectionEndpoint},
	} {
		if f.configured == "" && f.discovered != "" && InClear(f.discovered) {
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
