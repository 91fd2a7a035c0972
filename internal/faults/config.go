package faults

import (
	"fmt"
	"strings"
	"time"
)

// Client credentials of every provider in Config. The secret is written
// into the file, so tests can check it never shows.
const (
	ClientID     = "fault-client"
	ClientSecret = "fault-secret-6b1d0c"
)

// TLSTimeout is the least timeout Config gives the TLS providers.
const TLSTimeout = 2 * time.Second

// Net names the failures that happen before any answer: nothing listens,
// the name does not resolve, the certificate is not trusted.
type Net string

const (
	Refused Net = "refused"
	DNS     Net = "dns"
	TLS     Net = "tls"
)

// NetFaults are the failures that need no answer from a fault.
var NetFaults = []Net{Refused, DNS, TLS}

// origin is where a Net failure happens, or the plain server.
func (s *Server) origin(n Net) string {
	switch n {
	case Refused:
		return s.RefusedURL
	case DNS:
		return s.InvalidURL
	case TLS:
		return s.TLSURL
	}
	return s.URL
}

// TokenProvider is the name, in Config, of the provider whose token
// endpoint is fault f: `keyhole token token-503-html`.
func TokenProvider(f Fault) string { return "token-" + string(f) }

// TokenNetProvider is the name of the provider whose token endpoint
// fails with n: `keyhole token token-dns`.
func TokenNetProvider(n Net) string { return "token-" + string(n) }

// APIProvider gets a good token, and its base_url is the plain server's
// /api: `keyhole call api GET /429-seconds` meets that fault.
const APIProvider = "api"

// APINetProvider is the name of the provider that gets a good token but
// whose base_url fails with n: `keyhole call api-tls GET /ok`.
func APINetProvider(n Net) string { return "api-" + string(n) }

// Config is a keyhole configuration with a client_credentials provider
// for every fault: one per token-endpoint fault and network failure at its
// token_url (TokenProvider, TokenNetProvider), the API provider, and one
// per network failure at its base_url (APINetProvider). Each provider has
// the given timeout (none when 0; the TLS ones at least TLSTimeout);
// tokens are kept in memory only.
func (s *Server) Config(timeout time.Duration) string {
	var b strings.Builder
	b.WriteString("# keyhole providers that fail on purpose (internal/faults)\n[settings]\ntoken_cache = \"memory\"\n")
	add := func(name, tokenURL, baseURL string, timeout time.Duration) {
		fmt.Fprintf(&b, "\n[providers.%s]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = %q\nclient_secret = %q\n",
			name, baseURL, tokenURL, ClientID, ClientSecret)
		if timeout > 0 {
			fmt.Fprintf(&b, "timeout = %q\n", timeout.String())
		}
	}
	// A TLS failure shows once the handshake is done, with no timeout
	// involved; but a handshake under the race detector on a busy
	// two-core machine can take longer than a timeout short enough for
	// the hangs, and would then fail as a timeout. Those providers get
	// at least TLSTimeout.
	netTimeout := func(n Net) time.Duration {
		if n == TLS && timeout > 0 && timeout < TLSTimeout {
			return TLSTimeout
		}
		return timeout
	}
	for _, f := range TokenFaults {
		add(TokenProvider(f), s.URL+"/token/"+string(f), s.URL+"/api", timeout)
	}
	for _, n := range NetFaults {
		add(TokenNetProvider(n), s.origin(n)+"/token/"+string(Token), s.URL+"/api", netTimeout(n))
	}
	add(APIProvider, s.URL+"/token/"+string(Token), s.URL+"/api", timeout)
	for _, n := range NetFaults {
		add(APINetProvider(n), s.URL+"/token/"+string(Token), s.origin(n)+"/api", netTimeout(n))
	}
	return b.String()
}
