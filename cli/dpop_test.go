package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
	"github.com/keyhole-sh/keyhole/providers/par/partest"
)

// dpopConfig is a client_credentials provider with dpop = true on srv,
// its tokens cached in files.
func dpopConfig(srv *dpoptest.Server, extra string) string {
	return fmt.Sprintf(`[settings]
token_cache = "file"

[providers.api]
grant = "client_credentials"
base_url = %q
token_url = %q
client_id = "svc"
client_secret = "s3cret-value"
dpop = true
%s`, srv.URL, srv.URL+"/token", extra)
}

// newDPoPServer starts a DPoP server that lives as long as the test.
func newDPoPServer(t *testing.T) *dpoptest.Server {
	t.Helper()
	srv := dpoptest.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

// TestDPoPTokenAndCall: token and call against a server that demands DPoP
// proofs and nonces on both sides. The token request is retried once with
// the server's nonce, the token is DPoP-bound to a key kept 0600 in the
// state folder, the call goes with the DPoP scheme and a proof carrying
// ath, and a second process uses the nonces the first was sent.
func TestDPoPTokenAndCall(t *testing.T) {
	h := newHarness(t)
	srv := newDPoPServer(t)
	srv.RequireNonce = true
	cfg := h.writeConfig("keyhole.toml", dpopConfig(srv, ""))

	r := h.run("token", "--config", cfg, "api")
	r.expect(t, ExitOK, "token api")
	access := strings.TrimSpace(r.out)
	recs := srv.Records()
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err != nil {
		t.Fatalf("token requests: want one refused for its nonce, then one accepted, got %+v", recs)
	}
	p := recs[1].Proof
	if p.Claims["htm"] != "POST" || p.Claims["htu"] != srv.URL+"/token" || p.Claims["nonce"] != dpoptest.TokenNonce || p.Claims["ath"] != nil {
		t.Errorf("token request proof claims %v", p.Claims)
	}
	keyFile := filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "dpop", "api.jwk")
	fi, err := os.Stat(keyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v %v", keyFile, fi, err)
	}
	nonceFile := filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "dpop", "api.nonces.json")
	if fi, err := os.Stat(nonceFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("nonce file %s: %v %v", nonceFile, fi, err)
	}

	r = h.run("call", "--config", cfg, "api", "GET", "/things?page=2")
	r.expect(t, ExitOK, "call api")
	if !strings.Contains(r.out, `"ok":true`) {
		t.Fatalf("call printed %q", r.out)
	}
	recs = srv.Records()[2:]
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err != nil {
		t.Fatalf("API requests: want one refused for its nonce, then one accepted, got %+v", recs)
	}
	p = recs[1].Proof
	if p.Claims["htm"] != "GET" || p.Claims["htu"] != srv.URL+"/things" || p.Claims["ath"] != dpoptest.ATH(access) || p.Claims["nonce"] != dpoptest.APINonce {
		t.Errorf("API proof claims %v", p.Claims)
	}
	if srv.Issued() != 1 {
		t.Errorf("%d tokens issued, want 1 (the cached one reused)", srv.Issued())
	}
	for _, rec := range srv.Records() {
		if strings.Contains(r.out+r.errOut, rec.Raw) {
			t.Error("a proof is in call's output")
		}
	}

	// A new process: the cached token, the same key, and the API's nonce
	// from the file, so no refusal this time.
	r = h.run("call", "--config", cfg, "api", "GET", "/things")
	r.expect(t, ExitOK, "call api again")
	recs = srv.Records()[4:]
	if len(recs) != 1 || recs[0].Err != nil {
		t.Fatalf("second call: want one accepted request with the kept nonce, got %+v", recs)
	}
}

// A key file that is not a key is an error naming the provider, the
// config key and the file, and never quoting the file.
func TestDPoPBadKeyFile(t *testing.T) {
	h := newHarness(t)
	srv := newDPoPServer(t)
	h.writeConfig("keys/dpop.pem", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n")
	cfg := h.writeConfig("keyhole.toml", dpopConfig(srv, `dpop_key_file = "keys/dpop.pem"`+"\n"))
	r := h.run("token", "--config", cfg, "api")
	if r.code == ExitOK {
		t.Fatalf("token with a bad key: exit 0\n%s", r.errOut)
	}
	for _, want := range []string{"api", "dpop_key_file", filepath.Join(h.dir, "keys", "dpop.pem")} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("error lacks %q: %s", want, r.errOut)
		}
	}
	if strings.Contains(r.errOut, "c2VjcmV0") || srv.Issued() != 0 {
		t.Errorf("the key's text is shown, or a token was asked for: %s", r.errOut)
	}
}

// Config errors name file, line and key.
func TestDPoPConfigErrors(t *testing.T) {
	const head = "[providers.api]\nbase_url = \"https://api.example.com\"\nclient_id = \"svc\"\n"
	cases := map[string]struct{ text, want string }{
		"key file without dpop": {head + "grant = \"client_credentials\"\ntoken_url = \"https://login.example.com/token\"\ndpop_key_file = \"k.pem\"\n", "keyhole.toml:6: providers.api.dpop_key_file"},
		"static grant":          {head + "grant = \"static\"\ntoken = \"t\"\ndpop = true\n", "keyhole.toml:6: providers.api.dpop: grant static"},
		"query injection":       {head + "grant = \"client_credentials\"\ntoken_url = \"https://login.example.com/token\"\ndpop = true\n[providers.api.inject]\nquery = \"access_token\"\n", "providers.api.inject"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeConfig("keyhole.toml", c.text)
			r := h.run("providers", "--config", cfg)
			if r.code == ExitOK || !strings.Contains(r.errOut, c.want) {
				t.Fatalf("exit %d, want an error naming %q; stderr %s", r.code, c.want, r.errOut)
			}
		})
	}
}

// TestDPoPCurlExport: the curl command of a DPoP provider takes its token
// and its proof from keyhole token and keyhole dpop, carries neither, and
// what those commands print makes a request the strict server accepts,
// with the nonce an earlier call was sent.
func TestDPoPCurlExport(t *testing.T) {
	h := newHarness(t)
	srv := newDPoPServer(t)
	srv.RequireNonce = true
	cfg := h.writeConfig("keyhole.toml", dpopConfig(srv, ""))

	r := h.run("curl", "--config", cfg, "api", "GET", "/things?page=2")
	r.expect(t, ExitOK, "curl api")
	wantToken := fmt.Sprintf(`"Authorization: DPoP $(keyhole --config %s token api)"`, cfg)
	wantProof := fmt.Sprintf(`"DPoP: $(keyhole --config %s dpop api GET %s/things)"`, cfg, srv.URL)
	if !strings.Contains(r.out, wantToken) || !strings.Contains(r.out, wantProof) {
		t.Fatalf("curl printed\n%s\nwant the lines\n%s\n%s", r.out, wantToken, wantProof)
	}
	if strings.Contains(r.out, "eyJ") {
		t.Errorf("a token or proof is in the command: %s", r.out)
	}

	// A call first, which meets the API's nonce and keeps it.
	h.run("call", "--config", cfg, "api", "GET", "/things").expect(t, ExitOK, "call api")

	// What the exported command runs, run as the shell would.
	tok := h.run("--config", cfg, "token", "api")
	tok.expect(t, ExitOK, "token api")
	proof := h.run("--config", cfg, "dpop", "api", "GET", srv.URL+"/things")
	proof.expect(t, ExitOK, "dpop api")
	if strings.Count(proof.out, "\n") != 1 || proof.errOut != "" {
		t.Fatalf("dpop printed %q, stderr %q: want one line", proof.out, proof.errOut)
	}
	send := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/things?page=2", nil)
		req.Header.Set("Authorization", "DPoP "+strings.TrimSpace(tok.out))
		req.Header.Set("DPoP", strings.TrimSpace(proof.out))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(); code != http.StatusOK {
		recs := srv.Records()
		t.Fatalf("the exported request got %d: %v", code, recs[len(recs)-1].Err)
	}
	last := srv.Records()[len(srv.Records())-1].Proof
	if last.Claims["nonce"] != dpoptest.APINonce || last.Claims["htm"] != "GET" {
		t.Errorf("proof claims %v", last.Claims)
	}
	if jwk, _ := last.Header["jwk"].(map[string]any); jwk["d"] != nil {
		t.Error("the proof's jwk holds the private key")
	}
	if code := send(); code != http.StatusUnauthorized {
		t.Errorf("a proof used twice got %d: each run of the command must make a new one", code)
	}

	// Outside base_url: no proof, as no token.
	r = h.run("--config", cfg, "dpop", "api", "GET", "https://elsewhere.example/x")
	if r.code != ExitUsage || r.out != "" {
		t.Errorf("dpop for another origin: exit %d, out %q", r.code, r.out)
	}
}

// TestDPoPDoctor: call's 401 doctor names the DPoP causes — a proof the
// API refuses, a nonce it keeps refusing, a bound token sent as Bearer —
// and a token endpoint that wants proofs from a provider without dpop is
// a token error with a hint naming the key to set.
func TestDPoPDoctor(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*dpoptest.Server)
		extra string
		drop  bool // the provider has no dpop = true
		// pasted calls with a static provider without dpop holding the
		// token the dpop provider got.
		pasted bool
		want   string
	}{
		{name: "proof refused", setup: func(s *dpoptest.Server) { s.APISkew = time.Hour }, want: "the server refused the DPoP proof: invalid_dpop_proof"},
		{name: "nonce refused", setup: func(s *dpoptest.Server) { s.NonceForever = true }, want: "the server wants a nonce in the DPoP proof: use_dpop_nonce"},
		// A provider with dpop = true sends a bound token with the DPoP
		// scheme whatever its token_type (TestDPoPBoundBearerSentAsDPoP);
		// the same token pasted into a provider without dpop goes as
		// Bearer, and that is the doctor's.
		{name: "bound token as bearer", setup: func(s *dpoptest.Server) { s.TokenType = "Bearer" }, pasted: true, want: "bound to a DPoP key (cnf.jkt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newDPoPServer(t)
			c.setup(srv)
			cfg := h.writeConfig("keyhole.toml", dpopConfig(srv, c.extra))
			args := []string{"call", "--config", cfg, "api", "GET", "/things"}
			if c.pasted {
				r := h.run("token", "--config", cfg, "api")
				r.expect(t, ExitOK, "token api")
				cfg = h.writeConfig("pasted.toml", fmt.Sprintf("[providers.pasted]\nbase_url = %q\ngrant = \"static\"\ntoken = %q\n", srv.URL, strings.TrimSpace(r.out)))
				args = []string{"call", "--config", cfg, "pasted", "GET", "/things"}
			}
			r := h.run(args...)
			if r.code == ExitOK || !strings.Contains(r.errOut, c.want) {
				t.Fatalf("exit %d; stderr lacks %q:\n%s", r.code, c.want, r.errOut)
			}
			for _, rec := range srv.Records() {
				if rec.Raw != "" && strings.Contains(r.errOut+r.out, rec.Raw) {
					t.Error("a proof is in the output")
				}
			}
		})
	}
	t.Run("token endpoint wants proofs", func(t *testing.T) {
		h := newHarness(t)
		srv := newDPoPServer(t)
		cfg := h.writeConfig("keyhole.toml", strings.Replace(dpopConfig(srv, ""), "dpop = true\n", "", 1))
		r := h.run("token", "--config", cfg, "api")
		if r.code != ExitToken || !strings.Contains(r.errOut, "invalid_dpop_proof") || !strings.Contains(r.errOut, "set dpop = true") {
			t.Fatalf("exit %d, stderr:\n%s", r.code, r.errOut)
		}
	})
}

// A bearer token sent to an API that challenges with DPoP alone: the
// doctor says to set dpop = true, not to write the DPoP scheme by hand.
func TestDPoPDoctorRequired(t *testing.T) {
	h := newHarness(t)
	srv := newDPoPServer(t)
	cfg := h.writeConfig("keyhole.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"static\"\ntoken = \"pasted-token-value\"\n", srv.URL))
	r := h.run("call", "--config", cfg, "api", "GET", "/things")
	if r.code == ExitOK || !strings.Contains(r.errOut, "challenges with the DPoP scheme alone") || !strings.Contains(r.errOut, "set `dpop = true`") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.errOut)
	}
	if strings.Contains(r.errOut, "Authorization: DPoP") {
		t.Errorf("the doctor tells to write the scheme by hand:\n%s", r.errOut)
	}
}

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

// dpopThumbprint is the JWK SHA-256 thumbprint of the key keyhole keeps
// for provider in the harness's state folder.
func dpopThumbprint(t *testing.T, h *harness, provider string) string {
	t.Helper()
	key, made, err := dpop.Load(filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "dpop", provider+".jwk"))
	if err != nil || made {
		t.Fatalf("the DPoP key of %s: made %v, %v", provider, made, err)
	}
	return key.Thumbprint()
}

// TestDPoPJKTInPushedRequest: with dpop = true and par = true, the pushed
// authorization request carries dpop_jkt, the thumbprint of the
// provider's DPoP key (RFC 9449 §10), as the PAR verifier records it; a
// provider without dpop pushes none.
func TestDPoPJKTInPushedRequest(t *testing.T) {
	for _, withDPoP := range []bool{true, false} {
		v := partest.New(map[string]string{"bank-client": "bank-secret-Hhh.888"})
		defer v.Close()
		h := newHarness(t)
		var opened []string
		h.open = parBrowser(t, &opened)
		extra := ""
		if withDPoP {
			extra = "dpop = true\n"
		}
		cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n[providers.bank]\nbase_url = \""+v.URL+"\"\ngrant = \"authorization_code\"\n"+
			"issuer = \""+v.URL+"\"\nclient_id = \"bank-client\"\nclient_secret = \"bank-secret-Hhh.888\"\npar = true\n"+extra)
		r := h.run("token", "--config", cfg, "bank")
		r.expect(t, ExitOK, "token bank")
		pushes := v.PushedForms()
		if len(pushes) != 1 {
			t.Fatalf("dpop %v: %d pushes, refusals %v", withDPoP, len(pushes), v.Refusals())
		}
		got := pushes[0]["dpop_jkt"]
		if !withDPoP {
			if got != nil {
				t.Errorf("a provider without dpop pushed dpop_jkt %q", got)
			}
			continue
		}
		if want := dpopThumbprint(t, h, "bank"); len(got) != 1 || got[0] != want {
			t.Errorf("pushed dpop_jkt %q, want the key's thumbprint %q", got, want)
		}
		if strings.Contains(opened[0], "dpop_jkt") {
			t.Errorf("the browser saw %s: dpop_jkt belongs in the pushed request", opened[0])
		}
	}
}

// TestDPoPJKTInBrowserURL: with dpop = true and no PAR, the authorization
// request the demo's authorization endpoint gets in the browser carries
// dpop_jkt, the thumbprint of the provider's DPoP key; the sign-in still
// completes. Without dpop there is none.
func TestDPoPJKTInBrowserURL(t *testing.T) {
	for _, withDPoP := range []bool{true, false} {
		h := newHarness(t)
		var opened []string
		h.open = pkceBrowser(t, &opened)
		srv, cfg := h.startDemo(demo.Options{})
		if withDPoP {
			text := "[settings]\ntoken_cache = \"file\"\n\n" + strings.Replace(demo.Config(srv.URL()), "[providers.demo-pkce]\n", "[providers.demo-pkce]\ndpop = true\n", 1)
			if !strings.Contains(text, "dpop = true") {
				t.Fatal("the demo's config has no [providers.demo-pkce] table")
			}
			cfg = h.writeConfig("demo.toml", text)
		}
		r := h.run("token", "--config", cfg, "demo-pkce")
		r.expect(t, ExitOK, "token demo-pkce")
		if len(opened) != 1 {
			t.Fatalf("the browser was opened %d times", len(opened))
		}
		u, err := url.Parse(opened[0])
		if err != nil {
			t.Fatal(err)
		}
		got := u.Query()["dpop_jkt"]
		if !withDPoP {
			if got != nil {
				t.Errorf("a provider without dpop sent dpop_jkt %q", got)
			}
			continue
		}
		if want := dpopThumbprint(t, h, "demo-pkce"); len(got) != 1 || got[0] != want {
			t.Errorf("dpop_jkt %q in %s, want the key's thumbprint %q", got, opened[0], want)
		}
	}
}
