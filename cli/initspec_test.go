package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// parsePrinted loads what init --from-openapi printed with keyhole's own
// config loader, and resolves every provider with an environment that
// sets every ${VAR}.
func parsePrinted(t *testing.T, out string) map[string]*config.Provider {
	t.Helper()
	cfg, err := config.Parse("printed.toml", []byte(out))
	if err != nil {
		t.Fatalf("the printed config does not load: %v\n%s", err, out)
	}
	fake := func(name string) (string, bool) {
		if strings.HasSuffix(name, "_URL") {
			return "https://set.example/" + strings.ToLower(name), true
		}
		return "set-" + name, true
	}
	got := map[string]*config.Provider{}
	for _, p := range cfg.Providers {
		r, err := p.Resolve(fake)
		if err != nil {
			t.Fatalf("%s does not resolve: %v\n%s", p.Name, err, out)
		}
		got[p.Name] = r
	}
	return got
}

// TestInitFromOpenAPIDemo: the demo's own description, served by URL,
// gives the demo's three providers: the same grants, URLs and scopes.
func TestInitFromOpenAPIDemo(t *testing.T) {
	h := newHarness(t)
	var base string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != demo.OpenAPIPath {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(demo.OpenAPI(base))
	}))
	t.Cleanup(srv.Close)
	base = srv.URL
	cfgPath := filepath.Join(h.dir, "never.toml")
	specURL := srv.URL + demo.OpenAPIPath

	r := h.run("--config", cfgPath, "init", "--from-openapi", specURL, "--name", "shop")
	r.expect(t, 0, "init --from-openapi")
	if _, err := os.Stat(cfgPath); err == nil {
		t.Fatalf("init --from-openapi wrote %s", cfgPath)
	}
	got := parsePrinted(t, r.out)
	want, err := config.Parse("demo.toml", []byte(demo.Config(srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("%d providers, want 3:\n%s", len(got), r.out)
	}
	for _, pair := range [][2]string{{"shop-cc", "demo-cc"}, {"shop-pkce", "demo-pkce"}, {"shop-device", "demo-device"}} {
		g, w := got[pair[0]], mustProvider(t, want, pair[1])
		if g == nil {
			t.Errorf("no %s:\n%s", pair[0], r.out)
			continue
		}
		if g.Grant != w.Grant || g.BaseURL != w.BaseURL || g.TokenURL != w.TokenURL || g.AuthURL != w.AuthURL || g.DeviceURL != w.DeviceURL || g.OpenAPI != w.OpenAPI {
			t.Errorf("%s: grant %s base %s token %s auth %s device %s openapi %s; %s has %s %s %s %s %s %s", pair[0],
				g.Grant, g.BaseURL, g.TokenURL, g.AuthURL, g.DeviceURL, g.OpenAPI, pair[1], w.Grant, w.BaseURL, w.TokenURL, w.AuthURL, w.DeviceURL, w.OpenAPI)
		}
		// The flow's scopes, all of them: the demo's providers ask for
		// some of those.
		for _, s := range w.Scopes {
			if !slices.Contains(g.Scopes, s) {
				t.Errorf("%s: scopes %v lack %s's %s", pair[0], g.Scopes, pair[1], s)
			}
		}
		if w.ClientAuth != g.ClientAuth {
			t.Errorf("%s: client_auth %q, %s has %q", pair[0], g.ClientAuth, pair[1], w.ClientAuth)
		}
	}
	for _, want := range []string{
		"# guessed from securitySchemes.oauth2 flow clientCredentials: grant client_credentials",
		`client_secret = "${SHOP_CC_CLIENT_SECRET}"`,
		`client_id = "${SHOP_DEVICE_CLIENT_ID}"`,
		"# guessed from servers[0]",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
}

func mustProvider(t *testing.T, c *config.File, name string) *config.Provider {
	t.Helper()
	p, ok := c.Provider(name)
	if !ok {
		t.Fatalf("no provider %s", name)
	}
	return p
}

// hostileSpec has names, descriptions and URLs that try to break out of
// a TOML string or comment, and every kind of security scheme.
const hostileSpec = `{"openapi": "3.0.3",
 "info": {"title": "Pet \"Store\"\n[providers.evil]\ngrant = \"static\"", "version": "1"},
 "servers": [{"url": "https://{region}.api.example.com/v{ver}/", "variables": {"region": {"default": "eu"}, "ver": {"default": "2"}}}],
 "components": {"securitySchemes": {
  "oauth\n[providers.x]\ntoken = \"t\"": {"type": "oauth2",
    "description": "line one\n[providers.evil2]\ngrant = \"static\"\r\n# \u2028token = \"x\"\u0085[providers.evil3]",
    "flows": {
     "clientCredentials": {"tokenUrl": "https://login.example.com/token\"\n[providers.evil4]", "scopes": {"read\"\n]": "r", "write": "w"}},
     "authorizationCode": {"authorizationUrl": "/auth", "tokenUrl": "https://login.example.com/token", "scopes": {"openid": ""}},
     "implicit": {"authorizationUrl": "https://x.example/a", "scopes": {}},
     "password": {"tokenUrl": "https://x.example/t", "scopes": {}}}},
  "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com/.well-known/openid-configuration"},
  "bearer": {"type": "http", "scheme": "bearer"},
  "basic": {"type": "http", "scheme": "basic"},
  "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
  "qkey": {"type": "apiKey", "in": "query", "name": "api key\"&x"},
  "ckey": {"type": "apiKey", "in": "cookie", "name": "sid"},
  "bad\nkey": {"type": "apiKey", "in": "header", "name": "X-Bad\n[providers.evil5]"}
 }},
 "paths": {}}`

// TestInitFromOpenAPIHostile: a spec's text cannot add a table or a key to
// the printed config, every scheme keyhole can run becomes a provider with
// the right injection, and what it cannot run is said.
func TestInitFromOpenAPIHostile(t *testing.T) {
	h := newHarness(t)
	file := h.writeConfig("hostile.json", hostileSpec)
	r := h.run("init", "--from-openapi", file)
	r.expect(t, 0, "init --from-openapi hostile")
	got := parsePrinted(t, r.out)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"pet-store-providers-evil-grant-cc", "pet-store-providers-evil-grant-key", "pet-store-providers-evil-grant-key2",
		"pet-store-providers-evil-grant-key3", "pet-store-providers-evil-grant-oidc", "pet-store-providers-evil-grant-pkce", "pet-store-providers-evil-grant-token"}
	if !slices.Equal(names, want) {
		t.Fatalf("providers %v, want %v\n%s", names, want, r.out)
	}
	for _, line := range strings.Split(r.out, "\n") {
		if strings.ContainsFunc(line, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f || r == 0x85 || r == '\u2028' }) {
			t.Errorf("a control character in %q", line)
		}
		if strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "[providers.pet-store-providers-evil-grant-") {
			t.Errorf("a table from the spec's text: %q", line)
		}
	}
	pre := "pet-store-providers-evil-grant-"
	cc := got[pre+"cc"]
	if cc.Grant != "client_credentials" || cc.BaseURL != "https://eu.api.example.com/v2" || cc.OpenAPI != file ||
		cc.TokenURL != "https://set.example/pet_store_providers_evil_grant_cc_token_url" || !slices.Equal(cc.Scopes, []string{"write"}) ||
		cc.ClientSecret.Reveal() != "set-PET_STORE_PROVIDERS_EVIL_GRANT_CC_CLIENT_SECRET" {
		t.Errorf("cc: %+v", cc)
	}
	if p := got[pre+"pkce"]; p.Grant != "authorization_code" || p.AuthURL != "https://eu.api.example.com/auth" || p.TokenURL != "https://login.example.com/token" {
		t.Errorf("pkce: %+v", p)
	}
	if p := got[pre+"oidc"]; p.Grant != "authorization_code" || p.Issuer != "https://id.example.com" {
		t.Errorf("oidc: %+v", p)
	}
	if p := got[pre+"token"]; p.Grant != "static" || p.Inject != nil || p.Token.Reveal() != "set-PET_STORE_PROVIDERS_EVIL_GRANT_TOKEN_TOKEN" {
		t.Errorf("bearer: %+v", p)
	}
	if p := got[pre+"key"]; p.Grant != "static" || p.Inject == nil || p.Inject.Header != "X-API-Key" || p.Inject.Prefix == nil || *p.Inject.Prefix != "" {
		t.Errorf("header key: %+v", p.Inject)
	}
	if p := got[pre+"key2"]; p.Inject == nil || p.Inject.Query != `api key"&x` {
		t.Errorf("query key: %+v", p.Inject)
	}
	if p := got[pre+"key3"]; p.Inject == nil || p.Inject.Header != "Cookie" || *p.Inject.Prefix != "sid=" {
		t.Errorf("cookie key: %+v", p.Inject)
	}
	for _, want := range []string{
		"flow implicit is not written: the implicit grant",
		"flow password is not written: the password grant",
		"securitySchemes.basic (http basic) is not written",
		`(apiKey in header, name "X-Bad\n[providers.evil5]") is not written`,
		`# left out scope "read\"\n]": not a scope token`,
		`# the spec says of securitySchemes."oauth\n[providers.x]\ntoken = \"t\"": line one [providers.evil2] grant = "static" # token = "x" [providers.evil3]`,
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
}

// TestInitFromOpenAPIRefusals: Swagger 2.0, a redirect, a file that is not
// there and a name that is not one are usage errors; nothing is printed.
func TestInitFromOpenAPIRefusals(t *testing.T) {
	h := newHarness(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved.json":
			http.Redirect(w, r, "https://elsewhere.example/openapi.json", http.StatusFound)
		case "/rel.json":
			// A relative server is taken from the spec's URL.
			_, _ = w.Write([]byte(`{"openapi": "3.1.0", "info": {"title": "Rel", "version": "1"}, "servers": [{"url": "/api/v2"}], "paths": {},
				"components": {"securitySchemes": {"b": {"type": "http", "scheme": "bearer"}}}}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	swagger := h.writeConfig("swagger.json", `{"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "paths": {}}`)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from-openapi", swagger}, ExitUsage, "Swagger 2.0 is not read: convert it to OpenAPI 3"},
		{[]string{"--from-openapi", srv.URL + "/moved.json"}, ExitUsage, "moved to https://elsewhere.example/openapi.json: use that URL"},
		{[]string{"--from-openapi", filepath.Join(h.dir, "none.json")}, ExitUsage, "cannot read the spec"},
		{[]string{"--from-openapi", swagger, "--name", "a b"}, ExitUsage, `--name "a b": a provider name here is letters, digits, - and _`},
		{[]string{"--name", "x"}, ExitUsage, "--name names the providers --from-openapi writes"},
	} {
		r := h.run(append([]string{"init"}, c.args...)...)
		r.expect(t, c.code, strings.Join(c.args, " "))
		if r.out != "" || !strings.Contains(r.errOut, c.want) {
			t.Errorf("%v:\nstdout %q\nstderr %q, want %q", c.args, r.out, r.errOut, c.want)
		}
	}
	r := h.run("init", "--from-openapi", srv.URL+"/rel.json")
	r.expect(t, 0, "relative server")
	got := parsePrinted(t, r.out)
	if p := got["rel"]; p == nil || p.BaseURL != srv.URL+"/api/v2" || p.OpenAPI != srv.URL+"/rel.json" || p.Grant != "static" {
		t.Errorf("relative server:\n%s", r.out)
	}
}
