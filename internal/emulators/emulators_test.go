package emulators_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/emulators"
	"github.com/keyhole-sh/keyhole/internal/shellword"
)

func TestNamesAndNew(t *testing.T) {
	if got := emulators.Names(); !slices.Equal(got, []string{"tapkey", "sys303", "azurecn", "maptable"}) {
		t.Fatalf("Names() = %v", got)
	}
	for _, n := range emulators.Names() {
		emu, err := emulators.New(n, emulators.Options{})
		if err != nil || emu.Name() != n {
			t.Fatalf("New(%q) = %v, %v", n, emu, err)
		}
	}
	if _, err := emulators.New("github", emulators.Options{}); err == nil || !strings.Contains(err.Error(), "tapkey") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := emulators.New("tapkey", emulators.Options{TokenTTL: -1}); err == nil {
		t.Error("negative TTL accepted")
	}
}

// The provider keys of DESIGN.md's table, and of its nested tables.
var (
	providerKeys = []string{
		"title", "base_url", "grant", "issuer", "token_url", "auth_url", "device_url", "revoke_url", "introspect_url",
		"client_id", "client_secret", "client_secret_cmd", "client_auth", "scopes", "audience", "resource",
		"token_params", "auth_params", "redirect_port", "username", "password", "refresh_token", "token",
		"login", "refresh", "token_response", "token_lifetime", "inject", "rate_limit", "timeout",
		"insecure", "ca_file", "cert_file", "key_file", "vars", "requests",
	}
	nestedKeys = map[string][]string{
		"login":          {"method", "url", "headers", "query", "json", "form"},
		"refresh":        {"method", "url", "headers", "query", "json", "form"},
		"token_response": {"access_token", "refresh_token", "expires_in", "expires_at", "token_type", "scope", "ok", "error"},
		"inject":         {"header", "prefix", "query"},
		"requests":       {"name", "method", "path", "query", "headers", "body"},
	}
	grants      = []string{"client_credentials", "authorization_code", "device_code", "refresh_token", "password", "static", "custom"}
	clientAuths = []string{"basic", "basic_raw", "post", "query", "none"}
)

func TestConfigIsValidKeyholeTOML(t *testing.T) {
	const base = "http://127.0.0.1:40123"
	wantPaths := map[string][2]string{ // base_url, token endpoint
		"tapkey":   {base + "/api/v1", base + "/connect/token"},
		"sys303":   {base + "/api/v1", base + "/api/v1/oauth/token"},
		"azurecn":  {base + "/api", base + "/${AZURECN_TENANT}/oauth2/v2.0/token"},
		"maptable": {base + "/open/api/v1", base + "/open/api/v1/auth/"},
	}
	varRef := regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)
	for _, name := range emulators.Names() {
		t.Run(name, func(t *testing.T) {
			emu, _ := emulators.New(name, emulators.Options{})
			text := emu.Config(base + "/")
			var doc map[string]any
			if _, err := toml.Decode(text, &doc); err != nil {
				t.Fatalf("not TOML: %v\n%s", err, text)
			}
			if len(doc) != 1 || len(doc["providers"].(map[string]any)) != 1 {
				t.Fatalf("want exactly one [providers.%s] table, got %v", name, doc)
			}
			p, ok := doc["providers"].(map[string]any)[name].(map[string]any)
			if !ok {
				t.Fatalf("no [providers.%s]", name)
			}
			for k, v := range p {
				if !slices.Contains(providerKeys, k) {
					t.Errorf("key %q is not in DESIGN.md's provider table", k)
				}
				sub := nestedKeys[k]
				var tables []map[string]any
				switch v := v.(type) {
				case map[string]any:
					tables = []map[string]any{v}
				case []map[string]any:
					tables = v
				}
				for _, tb := range tables {
					for sk := range tb {
						if sub != nil && !slices.Contains(sub, sk) {
							t.Errorf("key %s.%s is not in DESIGN.md", k, sk)
						}
					}
				}
			}
			if !slices.Contains(grants, p["grant"].(string)) {
				t.Errorf("grant %v", p["grant"])
			}
			if ca, ok := p["client_auth"].(string); ok && !slices.Contains(clientAuths, ca) {
				t.Errorf("client_auth %q", ca)
			}
			tokenURL, _ := p["token_url"].(string)
			if login, ok := p["login"].(map[string]any); ok {
				tokenURL = login["url"].(string)
			}
			if p["base_url"] != wantPaths[name][0] || tokenURL != wantPaths[name][1] {
				t.Errorf("base_url %v, token endpoint %v; want %v", p["base_url"], tokenURL, wantPaths[name])
			}
			// Every ${VAR} is one Env names, and the comment shows its value.
			env := emu.Env()
			refs := varRef.FindAllStringSubmatch(text, -1)
			seen := map[string]bool{}
			for _, m := range refs {
				if _, ok := env[m[1]]; !ok {
					t.Errorf("${%s} is not in Env()", m[1])
				}
				seen[m[1]] = true
			}
			for k, v := range env {
				if !seen[k] {
					t.Errorf("Env() has %s, which the config never uses", k)
				}
				if !strings.Contains(text, "#   export "+k+"="+shellword.Quote(v)) {
					t.Errorf("comment lacks the value of %s", k)
				}
				if strings.Contains(strings.SplitN(text, "[providers.", 2)[1], v) {
					t.Errorf("the table itself holds %s's value; it must be a ${VAR}", k)
				}
			}
		})
	}
}

func TestLogRequestsKeepsSecretsOut(t *testing.T) {
	emu, _ := emulators.New("sys303", emulators.Options{})
	var mu sync.Mutex
	var buf bytes.Buffer
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&buf, format+"\n", args...)
	}
	srv := httptest.NewServer(emulators.LogRequests("sys303", logf, emu.Handler()))
	t.Cleanup(srv.Close)

	tok := str(do(t, srv, "POST", "/api/v1/oauth/token"+sys303Query(emu), ""), "access_token")
	do(t, srv, "GET", "/api/v1/account/balance?access_token="+tok, "")
	do(t, srv, "GET", "/api/v1/account/balance", "", "Authorization: Bearer Bearer "+tok)
	do(t, srv, "GET", "/api/v1/account/balance", "", basic("me", "hunter2"))

	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, secret := range []string{emu.Env()["SYS303_SECRET_KEY"], tok, "hunter2", "bWU6aHVudGVyMg"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds a secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		"sys303 POST /api/v1/oauth/token?client_id=Fq5eR3LT0vuXV&client_secret=%2A%2A%2A&grant_type=client_credentials -> 200",
		"sys303 GET /api/v1/account/balance?access_token=%2A%2A%2A -> 200",
		"auth=Bearer Bearer -> 401",
		"auth=Basic -> 401",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d log lines, want one per request:\n%s", n, out)
	}
}

// Counts are exact under concurrency: N parallel grants are N token requests.
func TestStatsExactUnderConcurrency(t *testing.T) {
	emu, srv := start(t, "azurecn", emulators.Options{})
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", srv.URL+azurePath(emu), strings.NewReader(azureForm(emu)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	s := emu.Stats()
	if s.TokenOK != n || s.TokenRequests() != n || s.Requests != n {
		t.Errorf("stats %+v, want %d token requests", s, n)
	}
	s.APIRejected = map[string]int{"x": 1} // a snapshot: changing it changes nothing
	if len(emu.Stats().APIRejected) != 0 {
		t.Error("Stats() shares its maps")
	}
}

func TestUnroutedIsCounted(t *testing.T) {
	for _, name := range emulators.Names() {
		emu, srv := start(t, name, emulators.Options{})
		r := do(t, srv, "GET", "/nowhere", "")
		if r.status != 404 || emu.Stats().Unrouted != 1 || emu.Stats().Requests != 1 {
			t.Errorf("%s: %d, %+v", name, r.status, emu.Stats())
		}
	}
}
