package cli

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/preset"
)

// TestInitPresetEveryPreset: init --preset prints, for each preset, a table
// that loads as printed, whose every key has a comment, and whose token
// endpoint is the one the preset makes from the printed examples.
func TestInitPresetEveryPreset(t *testing.T) {
	for _, name := range preset.Names() {
		h := newHarness(t)
		r := h.run("init", "--preset", name, "--name", "mine")
		r.expect(t, ExitOK, "init --preset "+name)
		if r.errOut != "" {
			t.Errorf("%s: stderr %q", name, r.errOut)
		}
		lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
		for i, line := range lines {
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
				continue
			}
			if i == 0 || !strings.HasPrefix(lines[i-1], "#") && !strings.HasPrefix(lines[i-1], "[") {
				t.Errorf("%s: %q has no comment", name, line)
			}
		}
		if !strings.Contains(r.out, "[providers.mine]\npreset = \""+name+"\"\n") {
			t.Errorf("%s: no [providers.mine] table with its preset:\n%s", name, r.out)
		}

		ps, _ := preset.Lookup(name)
		var params preset.Params
		for _, k := range ps.Needs {
			params.Set(k, ps.Example[k])
		}
		fields, err := ps.Fill(params)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		for _, f := range fields {
			if !strings.Contains(r.out, fmt.Sprintf("# %s = %q", f.Key, f.Value)) {
				t.Errorf("%s: the filled %s is not shown commented out", name, f.Key)
			}
			if f.Key == "token_url" {
				want = f.Value
			}
		}

		h.vars["MINE_CLIENT_ID"], h.vars["MINE_CLIENT_SECRET"] = "app", "s3cret"
		cfg := h.writeConfig("c.toml", r.out)
		r = h.run("--config", cfg, "providers", "--json")
		r.expect(t, ExitOK, name+": providers --json on the printed table")
		var got []providerInfo
		if err := json.Unmarshal([]byte(r.out), &got); err != nil {
			t.Fatal(err)
		}
		if got[0].Name != "mine" || got[0].TokenEndpoint != want || !got[0].Usable {
			t.Errorf("%s: %+v, want token_endpoint %s", name, got[0], want)
		}
	}
}

// TestInitPresetThenToken: the way a new user goes — print Keycloak's
// table, put in the server and the grant, and get a token from it.
func TestInitPresetThenToken(t *testing.T) {
	idp := &fakeIdP{tokenPath: "/realms/myrealm/protocol/openid-connect/token", token: "tok-kc"}
	srv := httptest.NewServer(idp)
	defer srv.Close()
	h := newHarness(t)
	r := h.run("init", "--preset", "keycloak")
	r.expect(t, ExitOK, "init --preset keycloak")
	text := strings.Replace(r.out, `server_url = "https://sso.example.com"`, fmt.Sprintf("server_url = %q\ngrant = \"client_credentials\"", srv.URL), 1)
	text = strings.Replace(text, `# client_secret = `, `client_secret = `, 1)
	h.vars["KEYCLOAK_CLIENT_ID"], h.vars["KEYCLOAK_CLIENT_SECRET"] = "app", "s3cret"
	cfg := h.writeConfig("c.toml", "[settings]\ntoken_cache = \"memory\"\n"+text)
	r = h.run("--config", cfg, "token", "keycloak")
	r.expect(t, ExitOK, "token keycloak")
	if r.out != "tok-kc\n" {
		t.Errorf("token printed %q", r.out)
	}
}

func TestInitPresetRefusals(t *testing.T) {
	h := newHarness(t)
	r := h.run("init", "--preset", "entraid")
	r.expect(t, ExitUsage, "an unknown preset")
	if !strings.Contains(r.errOut, `--preset "entraid": no such preset (there are entra-id, github, google, auth0, okta, keycloak, cognito)`) {
		t.Errorf("stderr %q", r.errOut)
	}
	r = h.run("init", "--preset", "okta", "--from-openapi", "spec.json")
	r.expect(t, ExitUsage, "--preset with --from-openapi")
	r = h.run("init", "--preset", "okta", "--name", "a b]")
	r.expect(t, ExitUsage, "a --name that is no bare key")
	if r.out != "" {
		t.Errorf("stdout %q", r.out)
	}
}
