package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// exampleConfig copies the project's config.example.toml into the
// harness's folder and returns its path.
func (h *harness) exampleConfig() string {
	h.t.Helper()
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		h.t.Fatal(err)
	}
	return h.writeConfig("example.toml", string(example))
}

func TestProviders(t *testing.T) {
	h := newHarness(t)
	exampleCfg := h.exampleConfig()
	broken := h.writeConfig("broken.toml", "[providers.x]\ngrant = \"client_credentials\"\nbase_url = \"https://api\"\ntokne_url = \"https://t\"\n")
	demoShadow := h.writeConfig("shadow.toml", staticConfig("demo-cc", "http://127.0.0.1:1", "t", ""))
	for _, c := range []struct {
		name   string
		args   []string
		vars   map[string]string
		code   int
		stdout []string
		stderr []string
	}{
		{name: "no config: the built-in demo", args: nil, code: ExitOK,
			stdout: []string{"NAME", "demo-cc", "demo-pkce", "demo-device", "built-in demo"}, stderr: []string{"no config file", "keyhole init"}},
		{name: "valid, variables unset", args: []string{"--config", exampleCfg}, code: ExitOK,
			stdout: []string{"tapkey", "Tapkey", "client_credentials", "https://my.tapkey.com/api/v1", "https://login.tapkey.com/connect/token",
				"unusable: unset ${TAPKEY_CLIENT_ID} (client_id)", "maptable", "login: https://maptable.com/open/api/v1/auth/", "my-oidc", "(discovery: https://issuer.example)", "demo-cc"},
			stderr: []string{exampleCfg + " is valid"}},
		{name: "valid, variables set", args: []string{"--config", exampleCfg}, vars: map[string]string{"TAPKEY_CLIENT_ID": "id", "TAPKEY_CLIENT_SECRET": "s"}, code: ExitOK,
			stdout: []string{"tapkey", "ok"}},
		{name: "invalid", args: []string{"--config", broken}, code: ExitUsage, stderr: []string{broken + ":4", "did you mean token_url?"}},
		{name: "a config demo-cc hides the built-in one", args: []string{"--config", demoShadow}, code: ExitOK, stdout: []string{"demo-cc", "static", "demo-pkce"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.vars {
				h.vars[k] = v
				defer delete(h.vars, k)
			}
			r := h.run(append([]string{"providers"}, c.args...)...)
			r.expect(t, c.code, c.name)
			r.outHas(t, c.stdout...)
			r.errHas(t, c.stderr...)
		})
	}
	// The variables set above: tapkey's line says ok, the others do not.
	h.vars["TAPKEY_CLIENT_ID"], h.vars["TAPKEY_CLIENT_SECRET"] = "id", "s"
	r := h.run("providers", "--config", exampleCfg)
	for _, line := range strings.Split(r.out, "\n") {
		if strings.HasPrefix(line, "tapkey ") && !strings.HasSuffix(strings.TrimSpace(line), " ok") {
			t.Errorf("tapkey with its variables set: %q", line)
		}
	}
	r = h.run("providers", "--config", demoShadow)
	if strings.Count(r.out, "\ndemo-cc ") != 1 {
		t.Errorf("demo-cc listed twice:\n%s", r.out)
	}
}

func TestProvidersJSON(t *testing.T) {
	h := newHarness(t)
	cfg := h.exampleConfig()
	h.vars["AZURECN_TENANT"], h.vars["AZURECN_CLIENT_ID"], h.vars["AZURECN_CLIENT_SECRET"], h.vars["AZURECN_RESOURCE"], h.vars["AZURECN_API_BASE"] = "tenant-1", "id", "s", "res", "https://api.example.cn"
	r := h.run("providers", "--config", cfg, "--json")
	r.expect(t, ExitOK, "providers --json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.out), &list); err != nil {
		t.Fatalf("%q: %v", r.out, err)
	}
	if len(list) != 25 {
		t.Fatalf("%d providers, want 22 from the file and 3 built-in", len(list))
	}
	byName := map[string]map[string]any{}
	for _, p := range list {
		for _, k := range []string{"name", "title", "grant", "base_url", "token_endpoint", "usable", "reason", "builtin", "insecure"} {
			if _, ok := p[k]; !ok {
				t.Errorf("%v lacks %q", p["name"], k)
			}
		}
		byName[p["name"].(string)] = p
	}
	if az := byName["azurecn"]; az["usable"] != true || az["token_endpoint"] != "https://login.chinacloudapi.cn/tenant-1/oauth2/v2.0/token" {
		t.Errorf("azurecn, its variables set: %v", az)
	}
	if tk := byName["tapkey"]; tk["usable"] != false || tk["reason"] != "unset ${TAPKEY_CLIENT_ID} (client_id)" {
		t.Errorf("tapkey: %v", tk)
	}
	if d := byName["demo-device"]; d["builtin"] != true || d["usable"] != true {
		t.Errorf("demo-device: %v", d)
	}

	r = h.run("providers", "--json")
	r.expect(t, ExitOK, "providers --json with no config")
	if !strings.HasPrefix(r.out, "[") || r.errOut != "" {
		t.Errorf("stdout %q stderr %q", r.out, r.errOut)
	}
}

func TestLiteralSecretWarning(t *testing.T) {
	literal := staticConfig("st", "http://127.0.0.1:1", "literal-token-1", "") +
		"\n[providers.cc]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"client_credentials\"\ntoken_url = \"http://127.0.0.1:1/t\"\nclient_id = \"id\"\nclient_secret = \"literal-secret-1\"\n"
	fromVars := staticConfig("st", "http://127.0.0.1:1", "${ST_TOKEN}", "")
	for _, c := range []struct {
		name string
		text string
		mode os.FileMode
		warn bool
	}{
		{"literal, readable by others", literal, 0o644, true},
		{"literal, readable by group", literal, 0o640, true},
		{"literal, private", literal, 0o600, false},
		{"from variables, readable by others", fromVars, 0o644, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			path := h.writeConfig("k.toml", c.text)
			if err := os.Chmod(path, c.mode); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"providers"}, {"token", "st"}} {
				r := h.run(append([]string{"--config", path}, args...)...)
				warned := strings.Contains(r.errOut, "warning: "+path) && strings.Contains(r.errOut, "chmod 600 "+path)
				if warned != c.warn {
					t.Errorf("%v: warned = %v, want %v:\n%s", args, warned, c.warn, r.errOut)
				}
				if c.warn && !strings.Contains(r.errOut, "providers.cc.client_secret") {
					t.Errorf("the warning does not name the key: %s", r.errOut)
				}
				if strings.Contains(r.errOut, "literal-secret-1") || strings.Contains(r.errOut, "literal-token-1") {
					t.Error("the warning prints the secret")
				}
			}
		})
	}
}

func TestNoWarningForTheDemoSecret(t *testing.T) {
	h := newHarness(t)
	_, cfg := h.startDemo(demo.Options{})
	if err := os.Chmod(cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	r := h.run("providers", "--config", cfg)
	r.expect(t, ExitOK, "providers on a demo config")
	if strings.Contains(r.errOut, "warning") {
		t.Errorf("the demo's public secret drew a warning: %s", r.errOut)
	}
}
