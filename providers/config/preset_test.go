package config

import (
	"strings"
	"testing"
)

const presetConfig = `[providers.okta]
preset = "okta"
domain = "dev-1.okta.com"
base_url = "https://api.example.com"
token_url = "https://gateway.example.com/token"
grant = "client_credentials"

[providers.kc]
preset = "keycloak"
server_url = "https://sso.example.com"
realm = "prod"
base_url = "https://api.example.com"

[environments.staging.providers.kc]
realm = "staging"
auth_url = "https://login.staging.example.com/auth"

[environments.swap.providers.kc]
preset = "cognito"
server_url = ""
realm = ""
domain = "https://auth.example.com"
`

// TestPresetFillsWhatTheTableLeaves: the table's own keys win over the
// preset's; an environment that changes a parameter, or the preset, gets
// URLs made anew, and keeps the keys it sets itself.
func TestPresetFillsWhatTheTableLeaves(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(presetConfig))
	if err != nil {
		t.Fatal(err)
	}
	okta, _ := cfg.Provider("okta")
	if okta.TokenURL != "https://gateway.example.com/token" || okta.Grant != GrantClientCredentials {
		t.Errorf("the table's token_url and grant: %q %q", okta.TokenURL, okta.Grant)
	}
	if okta.AuthURL != "https://dev-1.okta.com/oauth2/default/v1/authorize" || okta.Issuer != "https://dev-1.okta.com/oauth2/default" {
		t.Errorf("filled: %q %q", okta.AuthURL, okta.Issuer)
	}
	kc, _ := cfg.Provider("kc")
	if kc.Grant != GrantAuthorizationCode || kc.TokenURL != "https://sso.example.com/realms/prod/protocol/openid-connect/token" {
		t.Errorf("kc: %q %q", kc.Grant, kc.TokenURL)
	}

	staging, err := cfg.WithEnvironment("staging")
	if err != nil {
		t.Fatal(err)
	}
	kc, _ = staging.Provider("kc")
	if kc.TokenURL != "https://sso.example.com/realms/staging/protocol/openid-connect/token" || kc.AuthURL != "https://login.staging.example.com/auth" {
		t.Errorf("staging: %q %q", kc.TokenURL, kc.AuthURL)
	}
	swap, err := cfg.WithEnvironment("swap")
	if err != nil {
		t.Fatal(err)
	}
	kc, _ = swap.Provider("kc")
	if kc.TokenURL != "https://auth.example.com/oauth2/token" || kc.Issuer != "" || kc.IntrospectURL != "" {
		t.Errorf("swap to cognito: token %q issuer %q introspect %q", kc.TokenURL, kc.Issuer, kc.IntrospectURL)
	}
	// The base provider is as it was.
	kc, _ = cfg.Provider("kc")
	if !strings.Contains(kc.TokenURL, "/realms/prod/") {
		t.Errorf("the base changed: %q", kc.TokenURL)
	}
}

// TestPresetResolve: a ${VAR} parameter is expanded into the URLs, an unset
// one is named as the parameter's, and an expanded one that is not one is
// refused with the parameter's file and line.
func TestPresetResolve(t *testing.T) {
	cfg, err := Parse("c.toml", []byte("[providers.g]\npreset = \"entra-id\"\nbase_url = \"https://graph.microsoft.com\"\ntenant = \"${TENANT}\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Provider("g")
	env := func(v string) Env {
		return func(name string) (string, bool) { return v, name == "TENANT" && v != "unset" }
	}
	r, err := p.Resolve(env("contoso.onmicrosoft.com"))
	if err != nil || r.TokenURL != "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token" {
		t.Fatalf("resolved: %v %+v", err, r)
	}
	if _, err := p.Resolve(env("unset")); err == nil || !strings.Contains(err.Error(), "tenant uses ${TENANT}") {
		t.Errorf("unset: %v", err)
	}
	if _, err := p.Resolve(env("evil.example/x")); err == nil || !strings.HasPrefix(err.Error(), "c.toml:4: providers.g.tenant: with its ${VAR} expanded") {
		t.Errorf("bad tenant: %v", err)
	}
}
