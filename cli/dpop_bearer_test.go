package cli

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
)

// TestDPoPBoundBearerSentAsDPoP: a token endpoint that binds its token to
// the proof's key (a JWT whose cnf.jkt is the key's thumbprint) but calls
// it token_type=Bearer. A provider with dpop = true sends it with the DPoP
// scheme and a proof whose ath is the token's hash, as the API demands
// (RFC 9449 §7.2 refuses a bound token sent as Bearer); no warning says
// the token is bound to no key; the curl export takes its proof from
// keyhole dpop.
func TestDPoPBoundBearerSentAsDPoP(t *testing.T) {
	h := newHarness(t)
	srv := dpoptest.NewServer()
	defer srv.Close()
	srv.TokenType = "Bearer"
	cfg := h.writeConfig("keyhole.toml", dpopConfig(srv, ""))

	r := h.run("token", "--config", cfg, "api")
	r.expect(t, ExitOK, "token api")
	access := strings.TrimSpace(r.out)
	if strings.Contains(r.errOut, "bound to no key") {
		t.Errorf("token warns of a bound token as unbound:\n%s", r.errOut)
	}
	keyJKT := dpopThumbprint(t, h, "api")
	if recs := srv.Records(); len(recs) != 1 || recs[0].Err != nil || recs[0].Proof.JKT != keyJKT {
		t.Fatalf("token request: want one accepted proof by the provider's key, got %+v", recs)
	}

	r = h.run("call", "--config", cfg, "api", "GET", "/things")
	r.expect(t, ExitOK, "call api")
	if !strings.Contains(r.out, `"ok":true`) {
		t.Fatalf("call printed %q", r.out)
	}
	if strings.Contains(r.errOut, "bound to no key") {
		t.Errorf("call warns of a bound token as unbound:\n%s", r.errOut)
	}
	recs := srv.Records()[1:]
	if len(recs) != 1 || recs[0].Err != nil {
		t.Fatalf("API requests: want one accepted, got %+v", recs)
	}
	p := recs[0].Proof
	if p.Claims["htm"] != "GET" || p.Claims["htu"] != srv.URL+"/things" || p.Claims["ath"] != dpoptest.ATH(access) || p.JKT != keyJKT {
		t.Errorf("API proof claims %v (key %s)", p.Claims, p.JKT)
	}

	r = h.run("curl", "--config", cfg, "api", "GET", "/things")
	r.expect(t, ExitOK, "curl api")
	if !strings.Contains(r.out, "Authorization: DPoP $(") || !strings.Contains(r.out, "dpop api GET") {
		t.Errorf("the curl export does not send the bound token with DPoP and a proof:\n%s", r.out)
	}
	r = h.run("dpop", "--config", cfg, "api", "GET", srv.URL+"/things")
	r.expect(t, ExitOK, "dpop api")
	parts := strings.Split(strings.TrimSpace(r.out), ".")
	if len(parts) != 3 {
		t.Fatalf("dpop printed %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims["ath"] != dpoptest.ATH(access) {
		t.Errorf("keyhole dpop's proof claims %v (%v), want ath of the bound token", claims, err)
	}
}
