package cli

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeIdP is an identity provider at the paths one preset gives, and an
// API beside it. It hands out a token only at tokenPath, to the client
// with secret s3cret; what else is asked of it is recorded, so that a test
// sees keyhole went only where the preset points. It also serves a
// discovery document that names another token endpoint: a preset's URLs
// are explicit, and discovery must not move them.
type fakeIdP struct {
	mu        sync.Mutex
	tokenPath string
	token     string
	requests  []string
}

func (f *fakeIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
		fmt.Fprint(w, `{"issuer":"https://elsewhere.example","token_endpoint":"https://elsewhere.example/token"}`)
	case r.URL.Path == f.tokenPath && r.Method == http.MethodPost:
		id, sec, ok := r.BasicAuth()
		if r.PostFormValue("grant_type") != "client_credentials" || !ok || id != "app" || sec != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"who are you?"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": f.token, "token_type": "Bearer", "expires_in": 3600})
	case strings.HasPrefix(r.URL.Path, "/api/"):
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"no token"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeIdP) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// presetTable is a client_credentials provider of a preset, its API at
// base, with preset's parameters as extra lines.
func presetTable(name, preset, base, extra string) string {
	return fmt.Sprintf("\n[providers.%s]\npreset = %q\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"app\"\nclient_secret = \"${APP_SECRET}\"\n%s\n", name, preset, base+"/api", extra)
}

// TestPresetTokenCallCurl: a preset's URLs, made from its parameters,
// are where token, call and curl go — Keycloak's realm path under
// server_url, Cognito's /oauth2/token under its domain — and nothing is
// asked of the server but that and the API.
func TestPresetTokenCallCurl(t *testing.T) {
	cases := []struct {
		preset, extra, tokenPath string
	}{
		{"keycloak", `server_url = "%s"` + "\nrealm = \"shop\"", "/realms/shop/protocol/openid-connect/token"},
		{"cognito", `domain = "%s/"`, "/oauth2/token"},
	}
	for _, c := range cases {
		t.Run(c.preset, func(t *testing.T) {
			idp := &fakeIdP{tokenPath: c.tokenPath, token: "tok-" + c.preset}
			srv := httptest.NewServer(idp)
			defer srv.Close()
			h := newHarness(t)
			h.vars["APP_SECRET"] = "s3cret"
			cfg := h.writeConfig("c.toml", "[settings]\ntoken_cache = \"memory\"\n"+presetTable("p", c.preset, srv.URL, fmt.Sprintf(c.extra, srv.URL)))

			r := h.run("--config", cfg, "token", "p")
			r.expect(t, ExitOK, "token")
			if r.out != idp.token+"\n" {
				t.Fatalf("token printed %q", r.out)
			}
			r = h.run("--config", cfg, "call", "p", "GET", "/things")
			r.expect(t, ExitOK, "call")
			if !strings.Contains(r.out, `"ok"`) {
				t.Errorf("call printed %q", r.out)
			}
			r = h.run("--config", cfg, "curl", "p", "GET", "/things")
			r.expect(t, ExitOK, "curl")
			if !strings.Contains(r.out, srv.URL+"/api/things") || strings.Contains(r.out, "s3cret") {
				t.Errorf("curl printed %q", r.out)
			}
			for _, req := range idp.asked() {
				if req != "POST "+c.tokenPath && req != "GET /api/things" {
					t.Errorf("keyhole asked %s of the server", req)
				}
			}
		})
	}
}

// TestPresetHostDomainOverTLS: Okta's and Auth0's domain is a host name
// the preset puts behind https://; the token and the API call reach it
// with the provider's ca_file.
func TestPresetHostDomainOverTLS(t *testing.T) {
	for preset, tokenPath := range map[string]string{"okta": "/oauth2/api1/v1/token", "auth0": "/oauth/token"} {
		t.Run(preset, func(t *testing.T) {
			idp := &fakeIdP{tokenPath: tokenPath, token: "tok-" + preset}
			srv := httptest.NewTLSServer(idp)
			defer srv.Close()
			h := newHarness(t)
			h.vars["APP_SECRET"] = "s3cret"
			ca := filepath.Join(h.dir, "ca.pem")
			if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			host := strings.TrimPrefix(srv.URL, "https://")
			extra := fmt.Sprintf("domain = %q\nca_file = %q\n", host, ca)
			if preset == "okta" {
				extra += "authorization_server = \"api1\"\n"
			}
			cfg := h.writeConfig("c.toml", "[settings]\ntoken_cache = \"memory\"\n"+presetTable("p", preset, srv.URL, extra))
			r := h.run("--config", cfg, "call", "p", "GET", "/x")
			r.expect(t, ExitOK, "call")
			if !strings.Contains(r.out, `"ok"`) {
				t.Errorf("call printed %q", r.out)
			}
			asked := idp.asked()
			if !strings.Contains(strings.Join(asked, "\n"), "POST "+tokenPath) {
				t.Errorf("no token request at %s: %v", tokenPath, asked)
			}
		})
	}
}

// TestPresetEnvironmentRemakesURLs: an environment that changes a
// preset's parameter changes the URLs made from it; the URLs the table
// sets itself stay.
func TestPresetEnvironmentRemakesURLs(t *testing.T) {
	idp := &fakeIdP{tokenPath: "/realms/staging/protocol/openid-connect/token", token: "tok-staging"}
	srv := httptest.NewServer(idp)
	defer srv.Close()
	h := newHarness(t)
	h.vars["APP_SECRET"] = "s3cret"
	cfg := h.writeConfig("c.toml", "[settings]\ntoken_cache = \"memory\"\n"+
		presetTable("p", "keycloak", srv.URL, fmt.Sprintf("server_url = %q\nrealm = \"prod\"\nrevoke_url = \"https://revoke.example/r\"", srv.URL))+
		"\n[environments.staging.providers.p]\nrealm = \"staging\"\n")

	r := h.run("--config", cfg, "--env", "staging", "token", "p")
	r.expect(t, ExitOK, "token --env staging")
	if r.out != "tok-staging\n" {
		t.Fatalf("token printed %q", r.out)
	}
	r = h.run("--config", cfg, "token", "p")
	if r.code == ExitOK || !strings.Contains(r.errOut, "404") && !strings.Contains(r.errOut, "Not Found") {
		t.Errorf("token without the environment: exit %d, %q; want the prod realm's URL refused", r.code, r.errOut)
	}
	r = h.run("--config", cfg, "--env", "staging", "providers", "--json")
	r.expect(t, ExitOK, "providers --json")
	if !strings.Contains(r.out, srv.URL+"/realms/staging/protocol/openid-connect/token") {
		t.Errorf("providers --json: %s", r.out)
	}
	asked := strings.Join(idp.asked(), "\n")
	if !strings.Contains(asked, "POST /realms/prod/protocol/openid-connect/token") {
		t.Errorf("the prod realm was not asked: %s", asked)
	}
}

// TestPresetProvidersJSONWithoutNetwork: Entra ID's URLs, on a host a test
// cannot reach, are explicit: providers --json shows them, for either
// cloud, with nothing fetched.
func TestPresetProvidersJSONWithoutNetwork(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("c.toml", `
[providers.graph]
preset = "entra-id"
tenant = "${TENANT}"
grant = "client_credentials"
base_url = "https://graph.microsoft.com"
client_id = "app"
client_secret = "${APP_SECRET}"
scopes = ["https://graph.microsoft.com/.default"]

[environments.cn.providers.graph]
cloud = "china"
base_url = "https://microsoftgraph.chinacloudapi.cn"
`)
	h.vars["APP_SECRET"], h.vars["TENANT"] = "s3cret", "contoso.onmicrosoft.com"
	for env, want := range map[string]string{
		"":   "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
		"cn": "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token",
	} {
		args := []string{"--config", cfg, "providers", "--json"}
		if env != "" {
			args = append(args, "--env", env)
		}
		r := h.run(args...)
		r.expect(t, ExitOK, "providers --json "+env)
		var got []providerInfo
		if err := json.Unmarshal([]byte(r.out), &got); err != nil {
			t.Fatal(err)
		}
		if got[0].TokenEndpoint != want || !got[0].Usable {
			t.Errorf("env %q: %+v, want token_endpoint %s", env, got[0], want)
		}
	}

	// A tenant from the environment that is not one is named, with the
	// file and line of tenant.
	h.vars["TENANT"] = "evil.example/x?"
	r := h.run("--config", cfg, "token", "graph")
	r.expect(t, ExitUsage, "token with a bad tenant")
	if !strings.Contains(r.errOut, "c.toml:4: providers.graph.tenant: with its ${VAR} expanded") {
		t.Errorf("stderr %q", r.errOut)
	}
}

// TestPresetBadConfig: each mistake with a preset is a config error with
// the file, the line and the key.
func TestPresetBadConfig(t *testing.T) {
	cases := []struct{ body, want string }{
		{"preset = \"okra\"\ndomain = \"x.okta.com\"", `c.toml:4: providers.p.preset: unknown preset "okra" (did you mean okta?)`},
		{"preset = \"keycloak\"\nserver_url = \"https://sso.example.com\"", "c.toml:2: providers.p.realm: preset keycloak needs realm"},
		{"preset = \"auth0\"\ndomain = \"https://dev.auth0.com\"", `c.toml:5: providers.p.domain: "https://dev.auth0.com" has a scheme`},
		{"preset = \"cognito\"\ndomain = \"auth.example.com\"", `c.toml:5: providers.p.domain: "auth.example.com" does not start with https://`},
		{"preset = \"entra-id\"\ntenant = \"t\"\ncloud = \"usgov\"", `c.toml:6: providers.p.cloud: unknown cloud "usgov" (allowed: global, china)`},
		{"preset = \"github\"\nrealm = \"r\"", "c.toml:5: providers.p.realm: preset github does not read realm"},
		{"realm = \"r\"\ntoken_url = \"https://x.example/t\"", "c.toml:4: providers.p.realm: realm is set without preset"},
	}
	for _, c := range cases {
		h := newHarness(t)
		cfg := h.writeConfig("c.toml", "\n[providers.p]\nbase_url = \"https://api.example.com\"\n"+c.body+"\ngrant = \"client_credentials\"\n")
		r := h.run("--config", cfg, "providers")
		r.expect(t, ExitUsage, c.body)
		if !strings.Contains(r.errOut, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.body, r.errOut, c.want)
		}
	}
}
