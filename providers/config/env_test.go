package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const envConfig = `[providers.tapkey]
base_url = "https://my.tapkey.example/api/v1"
grant = "client_credentials"
token_url = "https://login.tapkey.example/token"
client_id = "live-client"
scopes = ["read"]
vars = { tenant = "t1", region = "eu" }

[providers.other]
base_url = "https://other.example"
grant = "static"
token = "tok"

[environments.staging]
danger = false
vars = { host = "https://staging.example.com" }

  [environments.staging.providers.tapkey]
  base_url = "https://staging.tapkey.example/api/v1"
  client_id = "staging-client"
  scopes = ["read", "write"]
  vars = { tenant = "t2" }

[environments.Production]
vars = { host = "https://example.com" }

[environments.qa]
danger = true
`

func TestParseEnvironments(t *testing.T) {
	cfg, err := Parse("k.toml", []byte(envConfig))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.EnvironmentNames(); !slices.Equal(got, []string{"staging", "Production", "qa"}) {
		t.Fatalf("names = %v, want file order", got)
	}
	staging, _ := cfg.Environment("staging")
	if staging.Line != 14 || staging.Vars["host"] != "https://staging.example.com" {
		t.Errorf("staging = line %d vars %v", staging.Line, staging.Vars)
	}
	for name, want := range map[string]bool{"staging": false, "Production": true, "qa": true} {
		e, _ := cfg.Environment(name)
		if e.Dangerous() != want {
			t.Errorf("%s dangerous = %v, want %v", name, e.Dangerous(), want)
		}
	}
	if !DangerousEnv("PROD", false) || DangerousEnv("produce", false) {
		t.Error("the names prod and production are dangerous, in any case; others not")
	}

	applied, err := cfg.WithEnvironment("staging")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := applied.Provider("tapkey")
	if p.BaseURL != "https://staging.tapkey.example/api/v1" || p.ClientID != "staging-client" || !slices.Equal(p.Scopes, []string{"read", "write"}) {
		t.Errorf("overrides not applied: %+v", p)
	}
	if p.TokenURL != "https://login.tapkey.example/token" {
		t.Errorf("a key the environment does not set must stay: token_url = %q", p.TokenURL)
	}
	if p.Vars["tenant"] != "t2" || p.Vars["region"] != "eu" {
		t.Errorf("vars = %v, want the environment's over the provider's", p.Vars)
	}
	if p.Environment != "staging" || applied.ActiveEnv != "staging" {
		t.Errorf("environment not marked: %q %q", p.Environment, applied.ActiveEnv)
	}
	if o, _ := applied.Provider("other"); o.Environment != "staging" {
		t.Error("a provider the environment does not change still belongs to it (its tokens are cached apart)")
	}
	// The config as written is unchanged.
	base, _ := cfg.Provider("tapkey")
	if base.BaseURL != "https://my.tapkey.example/api/v1" || base.Vars["tenant"] != "t1" || len(base.Scopes) != 1 || base.Environment != "" {
		t.Errorf("WithEnvironment changed the config: %+v", base)
	}
	if _, err := cfg.WithEnvironment("nope"); err == nil || !strings.Contains(err.Error(), "staging, Production, qa") {
		t.Errorf("unknown environment: %v", err)
	}
}

func TestParseEnvironmentErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"unknown key in an override", envConfig + "\n[environments.qa.providers.tapkey]\nbase_ulr = \"https://x.example\"\n", 31, "environments.qa.providers.tapkey.base_ulr", "did you mean base_url?"},
		{"unknown key in an environment", envConfig + "dangr = true\n", 29, "environments.qa.dangr", "did you mean danger?"},
		{"unknown provider", envConfig + "\n[environments.qa.providers.tapkye]\nbase_url = \"https://x.example\"\n", 30, "environments.qa.providers.tapkye", "no provider \"tapkye\""},
		{"override makes a URL invalid", envConfig + "\n[environments.qa.providers.tapkey]\ntoken_url = \"ftp://x\"\n", 31, "environments.qa.providers.tapkey.token_url", "in environment qa: ftp"},
		{"override makes a grant invalid", envConfig + "\n[environments.qa.providers.other]\ngrant = \"client_credential\"\n", 31, "environments.qa.providers.other.grant", "unknown grant"},
		{"override leaves a needed key out", envConfig + "\n[environments.qa.providers.other]\ngrant = \"client_credentials\"\n", 30, "environments.qa.providers.other", "needs token_url"},
		{"wrong type", envConfig + "\n[environments.qa.providers.tapkey]\nscopes = \"read\"\n", 31, "scopes", ""},
		{"environments not a table", "environments = 5\n", 1, "environments", "must be a table"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("k.toml", []byte(tc.text))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a Error", err)
			}
			if ce.File != "k.toml" || ce.Line != tc.line || !strings.Contains(ce.Key, tc.key) || !strings.Contains(ce.Error(), tc.msg) {
				t.Errorf("got %q (line %d, key %q), want line %d key %q and %q", ce.Error(), ce.Line, ce.Key, tc.line, tc.key, tc.msg)
			}
		})
	}
}
