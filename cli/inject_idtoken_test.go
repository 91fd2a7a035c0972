package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// idTokenServer is a token endpoint that answers client_credentials with
// an access token and, when withID, an ID token beside it.
func idTokenServer(t *testing.T, access, id string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		answer := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600}
		if id != "" {
			answer["id_token"] = id
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(answer)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestInjectIDToken: inject = { token = "id_token" } sends the ID token
// where the access token would go — call, token, curl — from a fresh
// answer and from the file cache; the access token is not sent.
func TestInjectIDToken(t *testing.T) {
	const access, id = "access-tok-Aaa.111", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJwZXJzb24ifQ.id-tok-Bbb"
	h := newHarness(t)
	es := newEchoServer(t)
	tokSrv, calls := idTokenServer(t, access, id)
	provider := func(name, inject string) string {
		return "[providers." + name + "]\nbase_url = \"" + es.URL + "\"\ngrant = \"client_credentials\"\ntoken_url = \"" + tokSrv.URL + "/token\"\nclient_id = \"c\"\nclient_secret = \"s\"\n" + inject + "\n"
	}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n"+
		provider("oidc", `inject = { token = "id_token" }`)+
		provider("header", `inject = { token = "id_token", header = "X-Id-Token", prefix = "" }`)+
		provider("plain", ""))

	for i, want := range []string{"fetched", "cache"} {
		r := h.run("call", "--config", cfg, "oidc", "GET", "/me")
		r.expect(t, ExitOK, "call oidc")
		last, _ := es.lastRequest()
		if got := strings.Join(last.Header["Authorization"], ","); got != "Bearer "+id {
			t.Errorf("run %d (%s): Authorization %q, want the ID token", i, want, got)
		}
		if strings.Contains(r.out+r.errOut, access) {
			t.Errorf("run %d: the access token is in call's output", i)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d token requests, want 1: the second call uses the cached ID token", n)
	}
	r := h.run("call", "--config", cfg, "header", "GET", "/me")
	r.expect(t, ExitOK, "call header")
	last, _ := es.lastRequest()
	if got := strings.Join(last.Header["X-Id-Token"], ","); got != id || len(last.Header["Authorization"]) != 0 {
		t.Errorf("X-Id-Token %q, Authorization %q", got, last.Header["Authorization"])
	}
	r = h.run("call", "--config", cfg, "plain", "GET", "/me")
	r.expect(t, ExitOK, "call plain")
	if last, _ := es.lastRequest(); strings.Join(last.Header["Authorization"], ",") != "Bearer "+access {
		t.Errorf("without inject.token the access token is sent: %q", last.Header["Authorization"])
	}

	r = h.run("token", "--config", cfg, "oidc")
	r.expect(t, ExitOK, "token oidc")
	if strings.TrimSpace(r.out) != id {
		t.Errorf("token oidc printed %q, want the ID token it sends", r.out)
	}
	r = h.run("token", "--config", cfg, "--json", "oidc")
	r.expect(t, ExitOK, "token --json oidc")
	var tj map[string]any
	if err := json.Unmarshal([]byte(r.out), &tj); err != nil || tj["access_token"] != access || tj["id_token"] != id {
		t.Errorf("token --json: %v %s", err, r.out)
	}
	r = h.run("curl", "--config", cfg, "oidc", "GET", "/me")
	r.expect(t, ExitOK, "curl oidc")
	if strings.Contains(r.out, id) || strings.Contains(r.out, access) || !strings.Contains(r.out, `Authorization: Bearer $(keyhole`) {
		t.Errorf("curl export: %s", r.out)
	}
}

// TestInjectIDTokenMissing: an answer without an ID token is exit 2 with
// the key to change, and nothing is sent; a wrong inject.token is a
// config error with the file, line and key.
func TestInjectIDTokenMissing(t *testing.T) {
	const access = "access-tok-Ccc.222"
	h := newHarness(t)
	es := newEchoServer(t)
	tokSrv, _ := idTokenServer(t, access, "")
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n[providers.oidc]\nbase_url = \""+es.URL+"\"\ngrant = \"client_credentials\"\ntoken_url = \""+tokSrv.URL+"/token\"\nclient_id = \"c\"\nclient_secret = \"s\"\ninject = { token = \"id_token\" }\n")
	for _, verb := range [][]string{{"call", "oidc", "GET", "/me"}, {"token", "oidc"}} {
		r := h.run(append([]string{"--config", cfg}, verb...)...)
		r.expect(t, ExitToken, strings.Join(verb, " "))
		if !strings.Contains(r.errOut, `oidc: token endpoint: inject.token is "id_token", but the token answer carried no id_token`) || !strings.Contains(r.errOut, "hint: OpenID Connect issues an ID token when scopes include openid") {
			t.Errorf("%s: stderr %s", verb[0], r.errOut)
		}
		if strings.Contains(r.out+r.errOut, access) {
			t.Errorf("%s: the access token is printed", verb[0])
		}
	}
	if _, n := es.lastRequest(); n != 0 {
		t.Errorf("the API got %d requests", n)
	}
	bad := h.writeConfig("bad.toml", "[providers.oidc]\nbase_url = \""+es.URL+"\"\ngrant = \"static\"\ntoken = \"t\"\n\n  [providers.oidc.inject]\n  token = \"idtoken\"\n")
	r := h.run("providers", "--config", bad)
	r.expect(t, ExitUsage, "providers with inject.token = idtoken")
	if !strings.Contains(r.errOut, "bad.toml:7: providers.oidc.inject.token: unknown token \"idtoken\" (allowed: access_token (the default), id_token)") {
		t.Errorf("stderr %s", r.errOut)
	}
}
