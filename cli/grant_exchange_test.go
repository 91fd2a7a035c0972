package cli

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/jwt"
)

// jwtClaims decodes a JWT's payload, unverified: the test reads what the
// server put in the exchanged token.
func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	c, err := jwt.Parse(tok)
	if err != nil {
		t.Fatalf("not a JWT: %q: %v", tok, err)
	}
	return c.Raw
}

// exchangeProvider is a token_exchange provider on the demo at base.
func exchangeProvider(name, base, secret, extra string) string {
	return fmt.Sprintf("\n[providers.%s]\nbase_url = %q\ngrant = \"token_exchange\"\ntoken_url = %q\nclient_id = %q\nclient_secret = %q\n%s\n",
		name, base, base+"/oauth2/token", demo.ExchangeClientID, secret, extra)
}

// TestTokenExchangeDemo exchanges demo-cc's token at the demo's zitadel
// op (RFC 8693), through token and call: the new token keeps the
// subject, belongs to the exchanging client, carries the scope asked for
// and, with an actor, the act claim; the API takes it.
func TestTokenExchangeDemo(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	base := srv.URL()
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n\n"+demo.Config(base)+
		exchangeProvider("exchanged", base, demo.ExchangeClientSecret, "subject_provider = \"demo-cc\"\nscopes = [\"api:read\"]\naudience = \"demo-api\"")+
		exchangeProvider("acting", base, demo.ExchangeClientSecret, "subject_provider = \"demo-cc\"\nactor_provider = \"demo-cc\"\nrequested_token_type = \"access_token\""))

	r := h.run("token", "--config", cfg, "--json", "exchanged")
	r.expect(t, ExitOK, "token exchanged")
	tj := decodeTokenJSON(t, r.out)
	c := jwtClaims(t, tj.AccessToken)
	if c["sub"] != demo.CCClientID || c["client_id"] != demo.ExchangeClientID || c["scope"] != "api:read" {
		t.Errorf("exchanged token claims: %v", c)
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != "demo-api" {
		t.Errorf("aud %v", c["aud"])
	}
	if strings.Join(tj.Scopes, " ") != "api:read" || tj.ExpiresAt == nil {
		t.Errorf("token --json: %+v", tj)
	}
	cc := h.run("token", "--config", cfg, "demo-cc")
	cc.expect(t, ExitOK, "token demo-cc")
	if strings.TrimSpace(cc.out) == tj.AccessToken {
		t.Fatal("the exchanged token is the subject token")
	}
	stats := srv.Stats()
	if n := stats.Grants["token_exchange"]; n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
	if n := stats.Grants["client_credentials"]; n != 1 {
		t.Errorf("%d client_credentials grants, want 1: the subject token comes from demo-cc's cache after its first fetch", n)
	}

	r = h.run("call", "--config", cfg, "exchanged", "GET", "/api/me")
	r.expect(t, ExitOK, "call exchanged")
	if !strings.Contains(r.out, `"client_id": "demo-exchange"`) && !strings.Contains(r.out, `"client_id":"demo-exchange"`) {
		t.Errorf("/api/me with the exchanged token: %s", r.out)
	}

	r = h.run("token", "--config", cfg, "acting")
	r.expect(t, ExitOK, "token acting")
	if act, _ := jwtClaims(t, strings.TrimSpace(r.out))["act"].(map[string]any); act["sub"] != demo.CCClientID {
		t.Errorf("act claim %v, want the actor demo-cc", act)
	}

	r = h.run("providers", "--config", cfg)
	r.expect(t, ExitOK, "providers")
	if !strings.Contains(r.out, "(token exchange: sends demo-cc's token to "+base+"/oauth2/token)") ||
		!strings.Contains(r.out, "(token exchange: sends demo-cc's and demo-cc's token to") {
		t.Errorf("providers does not say where demo-cc's token goes:\n%s", r.out)
	}
}

// TestTokenExchangeRefusals: the demo's refusals come back with its own
// message and exit 2; a subject that cannot get a token is named; and no
// subject token or client secret is printed.
func TestTokenExchangeRefusals(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	base := srv.URL()
	badCC := strings.Replace(demo.Config(base), "[providers.demo-cc]", "[providers.demo-cc]", 1)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n\n"+badCC+
		exchangeProvider("wrongsecret", base, "not-the-exchange-secret", "subject_provider = \"demo-cc\"")+
		exchangeProvider("elsewhere", base, demo.ExchangeClientSecret, "subject_provider = \"demo-cc\"\naudience = \"billing-api\"")+
		exchangeProvider("toomuch", base, demo.ExchangeClientSecret, "subject_provider = \"demo-cc\"\nscopes = [\"openid\"]")+
		exchangeProvider("needsperson", base, demo.ExchangeClientSecret, "subject_provider = \"demo-pkce\""))
	for _, c := range []struct {
		name string
		want []string
	}{
		{"wrongsecret", []string{"keyhole: wrongsecret: token endpoint answered 401: invalid_client", "hint: the token endpoint refused the client"}},
		{"elsewhere", []string{"keyhole: elsewhere: token endpoint answered 400: invalid_target: The demo issues tokens for its sample API only (audience demo-api), not for billing-api.", "hint: the server will not issue a token for that audience or resource"}},
		{"toomuch", []string{`keyhole: toomuch: token endpoint answered 400: invalid_scope: Scope "openid" is not in the subject token`}},
		{"needsperson", []string{"keyhole: needsperson: token endpoint: subject_provider demo-pkce has no token, and only you can get one", "hint: sign in there first: keyhole token demo-pkce"}},
	} {
		r := h.run("token", "--config", cfg, c.name)
		r.expect(t, ExitToken, "token "+c.name)
		for _, w := range c.want {
			if !strings.Contains(r.errOut, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, w, r.errOut)
			}
		}
		for _, s := range []string{"not-the-exchange-secret", demo.ExchangeClientSecret, demo.CCClientSecret} {
			if strings.Contains(r.out+r.errOut, s) {
				t.Errorf("%s: %q is printed", c.name, s)
			}
		}
	}
	// demo-cc refused: the exchange says which provider failed.
	wrongCC := h.writeConfig("wrongcc.toml", "[settings]\ntoken_cache = \"memory\"\n\n"+
		strings.Replace(demo.Config(base), `client_secret = "demo-cc-secret"`, `client_secret = "wrong-cc-secret"`, 1)+
		exchangeProvider("exchanged", base, demo.ExchangeClientSecret, "subject_provider = \"demo-cc\""))
	r := h.run("token", "--config", wrongCC, "exchanged")
	r.expect(t, ExitToken, "token exchanged with demo-cc refused")
	if !strings.Contains(r.errOut, "keyhole: exchanged: subject_provider demo-cc: demo-cc: token endpoint answered 401: invalid_client") {
		t.Errorf("stderr %s", r.errOut)
	}
}

// TestTokenExchangeRequest checks the request itself against a hostile
// token endpoint of the test's own: RFC 8693 §2.1's fields, the client's
// Basic authentication, and a static subject token that the server
// echoes in its refusal, masked on stderr.
func TestTokenExchangeRequest(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	const subject = "static-subject-Tok.999"
	var mu sync.Mutex
	var got url.Values
	var auth string
	refuse := false
	tokSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		got, auth = form, r.Header.Get("Authorization")
		no := refuse
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if no {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"invalid_request","error_description":"subject_token %s is not one of ours"}`, form.Get("subject_token"))
			return
		}
		fmt.Fprint(w, `{"access_token":"exchanged-Tok.777","issued_token_type":"urn:ietf:params:oauth:token-type:jwt","token_type":"N_A","expires_in":600}`)
	}))
	t.Cleanup(tokSrv.Close)
	h.vars["SUBJECT_TOKEN"] = subject
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n"+
		"[providers.ex]\nbase_url = \""+es.URL+"\"\ngrant = \"token_exchange\"\ntoken_url = \""+tokSrv.URL+"/token\"\nclient_id = \"ex-client\"\nclient_secret = \"ex-secret\"\n"+
		"subject_token = \"${SUBJECT_TOKEN}\"\nsubject_token_type = \"jwt\"\nrequested_token_type = \"urn:example:token-type:special\"\n"+
		"scopes = [\"a\", \"b\"]\naudience = \"https://api.example\"\nresource = \"https://api.example/v1\"\n")
	r := h.run("call", "--config", cfg, "ex", "GET", "/x")
	r.expect(t, ExitOK, "call ex")
	mu.Lock()
	for k, want := range map[string]string{
		"grant_type":           "urn:ietf:params:oauth:grant-type:token-exchange",
		"subject_token":        subject,
		"subject_token_type":   "urn:ietf:params:oauth:token-type:jwt",
		"requested_token_type": "urn:example:token-type:special",
		"scope":                "a b",
		"audience":             "https://api.example",
		"resource":             "https://api.example/v1",
	} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	if got.Has("actor_token") || got.Has("client_secret") || auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("ex-client:ex-secret")) {
		t.Errorf("form %v, Authorization %q", got, auth)
	}
	refuse = true
	mu.Unlock()
	// N_A (not an access token) is sent as a bearer credential.
	if last, _ := es.lastRequest(); strings.Join(last.Header["Authorization"], ",") != "Bearer exchanged-Tok.777" {
		t.Errorf("Authorization %q", last.Header["Authorization"])
	}
	r = h.run("token", "--config", cfg, "--force", "ex")
	r.expect(t, ExitToken, "token ex refused")
	if strings.Contains(r.errOut, subject) || !strings.Contains(r.errOut, "subject_token ") {
		t.Errorf("the refusal: %s", r.errOut)
	}
}

// TestTokenExchangeConfig: the token_exchange keys are checked with the
// file, line and key.
func TestTokenExchangeConfig(t *testing.T) {
	h := newHarness(t)
	const head = "[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"token_exchange\"\ntoken_url = \"https://login.example.com/token\"\n"
	const other = "\n[providers.b]\nbase_url = \"https://api.example.com\"\ngrant = \"token_exchange\"\ntoken_url = \"https://login.example.com/token\"\nsubject_provider = \"a\"\n"
	for _, c := range []struct{ text, want string }{
		{head, "bad.toml:3: providers.a.grant: token_exchange needs subject_provider or subject_token"},
		{head + "subject_provider = \"nobody\"\n", "bad.toml:5: providers.a.subject_provider: no provider \"nobody\" in this file"},
		{head + "subject_provider = \"a\"\n", "bad.toml:5: providers.a.subject_provider: a token exchange that waits for itself: a → a"},
		{head + "subject_provider = \"b\"\n" + other, "bad.toml:5: providers.a.subject_provider: a token exchange that waits for itself: a → b → a"},
		{head + "subject_token = \"t\"\nsubject_token_type = \"jwtt\"\n", "bad.toml:6: providers.a.subject_token_type: unknown token type \"jwtt\" (a URI, or one of access_token, id_token, jwt, refresh_token, saml1, saml2)"},
		{head + "subject_token = \"t\"\nsubject_provider = \"b\"\n" + other, "bad.toml:5: providers.a.subject_token: both subject_provider and subject_token are set"},
		{"[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"static\"\ntoken = \"t\"\nsubject_provider = \"b\"\n", "bad.toml:5: providers.a.subject_provider: subject_provider is only for grant = \"token_exchange\""},
	} {
		cfg := h.writeConfig("bad.toml", c.text)
		r := h.run("providers", "--config", cfg)
		r.expect(t, ExitUsage, c.text)
		if !strings.Contains(r.errOut, c.want) {
			t.Errorf("%q:\nstderr %s\nwant %q", c.text, r.errOut, c.want)
		}
	}
}
