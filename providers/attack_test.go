package providers

import (
	"slices"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestDiscoveredPAREndpointInClearIsSaid: a discovery document that puts
// the PAR endpoint — where the client secret goes with the pushed
// request — on plain http to a host that is not loopback is said like
// its token endpoint would be. It went unsaid: the secret crossed the
// network in clear without a word.
func TestDiscoveredPAREndpointInClearIsSaid(t *testing.T) {
	p := &config.Provider{Name: "p", Issuer: "https://idp.example.test", PAR: true}
	md := &metadata{Issuer: "https://idp.example.test", TokenEndpoint: "https://idp.example.test/token",
		AuthorizationEndpoint: "https://idp.example.test/authorize", PAREndpoint: "http://par.example.test/par"}
	n := discoveryNotes(p, md)
	if !slices.Contains(n.InClear, "pushed_authorization_request_endpoint from discovery") {
		t.Errorf("in clear: %q", n.InClear)
	}
	p.PARURL = "https://idp.example.test/par"
	if n := discoveryNotes(p, md); len(n.InClear) != 0 {
		t.Errorf("a par_url of the config's own is what counts: %q", n.InClear)
	}
}
