package cli

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// `providers` refuses a config whose URL keys are not absolute http(s)
// URLs, naming the file, the line and the key, as for any invalid file.
func TestProvidersRefusesURLsThatAreNone(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ key, value string }{
		{"base_url", "javascript://alert(document.cookie)"},
		{"token_url", "file:///etc/passwd"},
		{"token_url", "not a url"},
		{"issuer", "ftp://issuer.example"},
		{"revoke_url", "/oauth2/revoke"},
	} {
		t.Run(c.key+" "+c.value, func(t *testing.T) {
			lines := map[string]string{"base_url": `"https://api.example.com"`, "token_url": `"https://login.example.com/token"`}
			lines[c.key] = fmt.Sprintf("%q", c.value)
			text := "[providers.x]\ngrant = \"client_credentials\"\nbase_url = " + lines["base_url"] + "\ntoken_url = " + lines["token_url"] + "\n"
			if c.key != "base_url" && c.key != "token_url" {
				text += c.key + " = " + lines[c.key] + "\n"
			}
			cfg := h.writeConfig("urls.toml", text)
			line := map[string]int{"base_url": 3, "token_url": 4}[c.key]
			if line == 0 {
				line = 5
			}
			r := h.run("providers", "--config", cfg)
			r.expect(t, ExitUsage, "providers with "+c.key+" = "+c.value)
			if want := fmt.Sprintf("%s:%d: providers.x.%s", cfg, line, c.key); !strings.Contains(r.errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
			}
			h.run("token", "--config", cfg, "x").expect(t, ExitUsage, "token with "+c.key+" = "+c.value)
		})
	}
}

// What a ${VAR} becomes is checked when the provider is used: a URL key
// that is no URL, or a secret left empty by a variable that is set but
// empty (which would make a confidential client public without a word).
// `providers` lists the provider as unusable, saying why and where;
// `token` exits 1 before any request.
func TestVariablesThatMakeBadValues(t *testing.T) {
	ts := newTokenServer(t, func(n int, r *http.Request) (int, string) {
		return 200, `{"access_token":"tok","token_type":"bearer","expires_in":3600}`
	})
	h := newHarness(t)
	cfg := h.writeConfig("vars.toml", fmt.Sprintf(`[settings]
token_cache = "memory"

[providers.cc]
base_url = "${API_BASE}"
grant = "client_credentials"
token_url = %q
client_id = "cli"
client_secret = "${CC_SECRET}"
`, ts.URL+"/token"))
	cases := []struct {
		name      string
		vars      map[string]string
		reason    []string
		stderr    []string
		requested bool
	}{
		{"secret set but empty", map[string]string{"API_BASE": ts.URL, "CC_SECRET": ""},
			[]string{"unusable:", cfg + ":9", "${CC_SECRET} is set but empty"},
			[]string{cfg + ":9: providers.cc.client_secret: ${CC_SECRET} is set but empty", "CC_SECRET"}, false},
		{"base_url a javascript URL", map[string]string{"API_BASE": "javascript:alert(1)", "CC_SECRET": "s3cr3t"},
			[]string{"unusable:", cfg + ":5", "base_url"},
			[]string{cfg + ":5: providers.cc.base_url", "${API_BASE}", "javascript: is not http or https"}, false},
		{"all good", map[string]string{"API_BASE": ts.URL, "CC_SECRET": "s3cr3t"}, []string{" ok"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.vars {
				h.vars[k] = v
				defer delete(h.vars, k)
			}
			list := h.run("providers", "--config", cfg)
			list.expect(t, ExitOK, "providers")
			for _, want := range c.reason {
				if !strings.Contains(list.out, want) {
					t.Errorf("providers does not say %q:\n%s", want, list.out)
				}
			}
			before := ts.requests()
			r := h.run("token", "--config", cfg, "cc")
			if !c.requested {
				r.expect(t, ExitUsage, "token")
				r.errHas(t, c.stderr...)
				if ts.requests() != before {
					t.Errorf("the token endpoint was asked %d times", ts.requests()-before)
				}
				return
			}
			r.expect(t, ExitOK, "token")
			if ts.requests() != before+1 {
				t.Errorf("the token endpoint was asked %d times, want once", ts.requests()-before)
			}
		})
	}
}
