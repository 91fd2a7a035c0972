package demo_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/go-jose/go-jose/v4"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

func TestOptionsAddr(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"localhost:0", "0.0.0.0:0", ":8080", ":0", "10.1.2.3:80", "[::]:0", "example.com:80", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000"} {
		if _, err := demo.New(demo.Options{Addr: addr}); err == nil {
			t.Errorf("New(Addr %q) succeeded, want an error", addr)
		}
	}
	for _, addr := range []string{"", "127.0.0.1:0", "[::1]:0", "127.0.0.1:8080"} {
		if _, err := demo.New(demo.Options{Addr: addr}); err != nil {
			t.Errorf("New(Addr %q): %v", addr, err)
		}
	}
	if _, err := demo.New(demo.Options{TokenTTL: -time.Second}); err == nil {
		t.Error("New accepted a negative token lifetime")
	}
	if _, err := demo.New(demo.Options{DeviceCodeTTL: -time.Second}); err == nil {
		t.Error("New accepted a negative device code lifetime")
	}
	if _, err := demo.New(demo.Options{DeviceInterval: -time.Second}); err == nil {
		t.Error("New accepted a negative device polling interval")
	}
}

// Not parallel: the goroutine check must not see other tests' servers.
func TestStartClose(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(srv.URL()) {
		t.Errorf("URL() = %q", srv.URL())
	}
	tok := ccToken(t, srv.URL())

	// A request in flight must not keep Close waiting.
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	req := get(t, srv.URL()+"/api/slow?ms=60000")
	req.Header.Set("Authorization", "Bearer "+tok)
	status := make(chan int, 1)
	go func() {
		resp, err := c.Do(req)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	for deadline := time.Now().Add(5 * time.Second); srv.Stats().Endpoints["/api/slow"] == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow request never reached the server")
		}
	}

	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	if got := <-status; got == http.StatusOK {
		t.Error("the request cut short by Close answered 200")
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(srv.URL() + "/_stats"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	started, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { started.Close() })
	_, viaHTTPTest := testServer(t, demo.Options{})

	for _, base := range []string{started.URL(), viaHTTPTest} {
		for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
			resp, body := call(t, "GET", base+path, "", nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{
				"issuer":                 base,
				"authorization_endpoint": base + "/oauth2/auth",
				"token_endpoint":         base + "/oauth2/token",
				"revocation_endpoint":    base + "/oauth2/revoke",
				"introspection_endpoint": base + "/oauth2/introspect",
				"jwks_uri":               base + "/.well-known/jwks.json",

				"device_authorization_endpoint": base + "/oauth2/device_authorization",
			}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s%s: %s = %v, want %v", base, path, k, m[k], v)
				}
			}
			list := func(k string) string {
				b, _ := json.Marshal(m[k])
				return string(b)
			}
			for k, v := range map[string]string{
				"response_types_supported":              `["code"]`,
				"code_challenge_methods_supported":      `["S256"]`,
				"token_endpoint_auth_methods_supported": `["client_secret_basic","client_secret_post","none","private_key_jwt"]`,
				"grant_types_supported":                 `["authorization_code","client_credentials","refresh_token","urn:ietf:params:oauth:grant-type:device_code","urn:ietf:params:oauth:grant-type:jwt-bearer","urn:ietf:params:oauth:grant-type:token-exchange"]`,
				"scopes_supported":                      `["api:read","api:write","offline_access"]`,
			} {
				if list(k) != v {
					t.Errorf("%s = %s, want %s", k, list(k), v)
				}
			}
		}
	}

	// The published key verifies the access tokens.
	tok := ccToken(t, viaHTTPTest)
	_, body := call(t, "GET", viaHTTPTest+"/.well-known/jwks.json", "", nil)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks: %v, %s", err, body)
	}
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jws.Verify(set.Keys[0]); err != nil {
		t.Errorf("access token does not verify with the published key: %v", err)
	}
}

func TestIntrospectAndRevoke(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok := ccToken(t, base, "api:read")

	introspect := func(user, pass string) (int, map[string]any) {
		req := formRequest(t, base+"/oauth2/introspect", url.Values{"token": {tok}})
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, body := do(t, req)
		m := map[string]any{}
		_ = json.Unmarshal(body, &m)
		return resp.StatusCode, m
	}
	if status, m := introspect(demo.CCClientID, demo.CCClientSecret); status != 200 || m["active"] != true || m["client_id"] != demo.CCClientID || m["scope"] != "api:read" {
		t.Errorf("introspect: %d %v", status, m)
	}
	if status, _ := introspect("", ""); status != 401 {
		t.Errorf("introspect without client auth: %d, want 401", status)
	}
	if status, _ := introspect(demo.CCClientID, "wrong"); status != 401 {
		t.Errorf("introspect with a wrong secret: %d, want 401", status)
	}
	if status, _ := introspect(demo.PKCEClientID, ""); status != 401 {
		t.Errorf("introspect as the public client: %d, want 401", status)
	}

	if resp, body := postFormAs(t, demo.CCClientID, demo.CCClientSecret, base+"/oauth2/revoke", url.Values{"token": {tok}, "token_type_hint": {"access_token"}}); resp.StatusCode != 200 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if status, m := introspect(demo.CCClientID, demo.CCClientSecret); status != 200 || m["active"] != false {
		t.Errorf("introspect after revoke: %d %v", status, m)
	}
	resp, body := call(t, "GET", base+"/api/me", tok, nil)
	wantChallenge(t, resp, body, 401, "invalid_token")
}

func TestStats(t *testing.T) {
	t.Parallel()
	srv, base := testServer(t, demo.Options{})
	const n = 3
	for range n {
		ccToken(t, base)
	}
	wrong := ccConfig(base, oauth2.AuthStyleInHeader)
	wrong.ClientSecret = "wrong"
	if _, err := wrong.Token(clientCtx(t)); err == nil {
		t.Fatal("wrong secret accepted")
	}
	call(t, "GET", base+"/api/status/503", "", nil)

	st := srv.Stats()
	if st.Grants["client_credentials"] != n+1 || st.Endpoints["/oauth2/token"] != n+1 || st.Endpoints["/api/status/{code}"] != 1 {
		t.Errorf("Stats() = %+v", st)
	}
	resp, body := call(t, "GET", base+"/_stats", "", nil)
	var served demo.Stats
	if err := json.Unmarshal(body, &served); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/_stats: %d %s", resp.StatusCode, body)
	}
	if served.Grants["client_credentials"] != n+1 || served.Endpoints["/_stats"] != 1 {
		t.Errorf("/_stats = %s", body)
	}
}

func TestLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	var log syncbuf.Buffer
	_, base := testServer(t, demo.Options{Log: &log})

	ctx := clientCtx(t)
	var tokens []string
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		tok, err := ccConfig(base, style).Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok.AccessToken)
	}
	call(t, "GET", base+"/api/me?access_token="+url.QueryEscape(tokens[0]), "", nil)
	call(t, "GET", base+"/api/items?page=2", tokens[1], nil)
	_, pkce := pkceToken(t, base, "api:read", "offline_access")

	out := log.String()
	secrets := map[string]string{
		"client secret":      demo.CCClientSecret,
		"basic credentials":  base64.StdEncoding.EncodeToString([]byte(demo.CCClientID + ":" + demo.CCClientSecret)),
		"access token 1":     tokens[0],
		"access token 2":     tokens[1],
		"JWT signature":      tokens[0][strings.LastIndex(tokens[0], ".")+1:],
		"refresh token":      pkce.RefreshToken,
		"PKCE access token":  pkce.AccessToken,
		"authorization code": "code=",
	}
	for what, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log contains the %s:\n%s", what, out)
		}
	}
	for _, want := range []string{"POST /oauth2/token 200", "GET /api/me?access_token=*** 200", "GET /api/items?page=2 200", "GET /oauth2/auth?"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 6 {
		t.Errorf("log has %d lines, want one per request (6):\n%s", lines, out)
	}
}

func TestTokenTTLFromEnv(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"90s", 90 * time.Second, false},
		{"1h", time.Hour, false},
		{"90", 0, true},
		{"soon", 0, true},
		{"-5s", 0, true},
		{"0s", 0, true},
	} {
		t.Setenv("KEYHOLE_DEMO_TOKEN_TTL", tc.value)
		got, err := demo.TokenTTLFromEnv()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%q: %v, %v", tc.value, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "KEYHOLE_DEMO_TOKEN_TTL") {
			t.Errorf("%q: error %q does not name the variable", tc.value, err)
		}
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	const base = "http://127.0.0.1:41234"
	var cfg struct {
		Providers map[string]map[string]any `toml:"providers"`
	}
	if _, err := toml.Decode(demo.Config(base), &cfg); err != nil {
		t.Fatalf("Config is not valid TOML: %v\n%s", err, demo.Config(base))
	}
	cc, pkce, device := cfg.Providers["demo-cc"], cfg.Providers["demo-pkce"], cfg.Providers["demo-device"]
	for k, v := range map[string]any{
		"base_url": base, "grant": "client_credentials", "token_url": base + "/oauth2/token",
		"client_auth": "basic", "client_id": demo.CCClientID, "client_secret": demo.CCClientSecret,
	} {
		if cc[k] != v {
			t.Errorf("demo-cc %s = %v, want %v", k, cc[k], v)
		}
	}
	for k, v := range map[string]any{
		"grant": "authorization_code", "auth_url": base + "/oauth2/auth", "token_url": base + "/oauth2/token",
		"client_auth": "none", "client_id": demo.PKCEClientID,
	} {
		if pkce[k] != v {
			t.Errorf("demo-pkce %s = %v, want %v", k, pkce[k], v)
		}
	}
	for k, v := range map[string]any{
		"base_url": base, "grant": "device_code", "device_url": base + "/oauth2/device_authorization",
		"token_url": base + "/oauth2/token", "client_auth": "none", "client_id": demo.DeviceClientID,
	} {
		if device[k] != v {
			t.Errorf("demo-device %s = %v, want %v", k, device[k], v)
		}
	}
	for name, p := range map[string]map[string]any{"demo-pkce": pkce, "demo-device": device} {
		if _, ok := p["client_secret"]; ok {
			t.Errorf("%s has a client_secret", name)
		}
		if scopes, _ := p["scopes"].([]any); len(scopes) != 2 || scopes[0] != "api:read" || scopes[1] != "offline_access" {
			t.Errorf("%s scopes = %v, want [api:read offline_access]", name, p["scopes"])
		}
		if reqs, _ := p["requests"].([]map[string]any); len(reqs) < 2 || reqs[0]["path"] != "/api/me" {
			t.Errorf("%s requests = %v", name, p["requests"])
		}
	}
	if _, ok := pkce["redirect_port"]; ok {
		t.Error("demo-pkce sets redirect_port; it should leave keyhole to pick a random port")
	}
	reqs, _ := cc["requests"].([]map[string]any)
	if len(reqs) < 3 || reqs[0]["path"] != "/api/me" {
		t.Errorf("demo-cc requests = %v", cc["requests"])
	}

	// Whatever the URL, the text stays valid TOML.
	odd := "http://127.0.0.1:1/\"quoted\"\\\n\x01"
	if _, err := toml.Decode(demo.Config(odd), &cfg); err != nil || cfg.Providers["demo-cc"]["base_url"] != odd {
		t.Errorf("Config(%q): %v", odd, err)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := demo.New(demo.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
