package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// mapEnv is an Env from a map: tests never read the process environment.
func mapEnv(m map[string]string) Env {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

func TestExpand(t *testing.T) {
	env := mapEnv(map[string]string{"A": "alpha", "B": "", "NESTED": "${A}", "DOLLAR": "$"})
	tests := []struct {
		in, want string
		missing  string
	}{
		{in: "", want: ""},
		{in: "plain", want: "plain"},
		{in: "${A}", want: "alpha"},
		{in: "x${A}y${A}z", want: "xalphayalphaz"},
		{in: "${B}", want: ""},
		{in: "$${A}", want: "${A}"},              // literal
		{in: "a$${A}b${A}", want: "a${A}balpha"}, // literal, then a real one
		{in: "${NESTED}", want: "${A}"},          // values are not expanded again
		{in: "$A", want: "$A"},                   // only the braced form
		{in: "${A", want: "${A"},                 // unterminated: left alone
		{in: "${DOLLAR}{A}", want: "${A}"},
		{in: "${MISSING}", missing: "MISSING"},
		{in: "ok ${A} then ${NOPE}", missing: "NOPE"},
	}
	for _, tt := range tests {
		got, err := expand(tt.in, env)
		if tt.missing != "" {
			var mv missingVar
			if !errors.As(err, &mv) || mv.name != tt.missing {
				t.Errorf("expand(%q) = %q, %v; want missing %s", tt.in, got, err, tt.missing)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(designExample+`
[providers.full]
title = "${TITLE}"
base_url = "https://${HOST}/api"
grant = "client_credentials"
token_url = "https://${HOST}/token?x=$${literal}"
client_id = "${ID}"
client_secret = "${SECRET}"
scopes = ["${SCOPE}/.default", "plain"]
token_params = { resource = "${SCOPE}" }
auth_params = { prompt = "${PROMPT}" }
vars = { tenant = "${TENANT}" }
rate_limit = "${RATE}"
inject = { header = "${HEADER}", prefix = "${PREFIX} " }
login = { method = "POST", url = "https://${HOST}/login", headers = { X = "${TENANT}" }, query = { q = "${TENANT}" }, form = { f = "${TENANT}" }, json = { a = "${ID}", nested = { b = "${TENANT}" }, list = ["${TENANT}", 1] } }

  [[providers.full.requests]]
  name = "${TENANT} items"
  path = "/${TENANT}/items"
  headers = { X-Tenant = "${TENANT}" }
`))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Provider("full")
	env := mapEnv(map[string]string{
		"TITLE": "Full", "HOST": "h.example", "ID": "the-id", "SECRET": "s3cr3t-from-env",
		"SCOPE": "api://res", "PROMPT": "login", "TENANT": "t1", "RATE": "10/s", "HEADER": "X-Token", "PREFIX": "Tok",
	})
	r, err := p.Resolve(env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"title", r.Title, "Full"},
		{"base_url", r.BaseURL, "https://h.example/api"},
		{"token_url", r.TokenURL, "https://h.example/token?x=${literal}"},
		{"client_id", r.ClientID, "the-id"},
		{"client_secret", r.ClientSecret.Reveal(), "s3cr3t-from-env"},
		{"token_params", r.TokenParams["resource"], "api://res"},
		{"auth_params", r.AuthParams["prompt"], "login"},
		{"vars", r.Vars["tenant"], "t1"},
		{"rate_limit", r.RateLimit, "10/s"},
		{"inject.header", r.Inject.Header, "X-Token"},
		{"inject.prefix", *r.Inject.Prefix, "Tok "},
		{"login.url", r.Login.URL, "https://h.example/login"},
		{"login.headers", r.Login.Headers["X"], "t1"},
		{"login.query", r.Login.Query["q"], "t1"},
		{"login.form", r.Login.Form["f"], "t1"},
		{"login.json", fmt.Sprint(r.Login.JSON["a"]), "the-id"},
		{"login.json nested", fmt.Sprint(r.Login.JSON["nested"]), "map[b:t1]"},
		{"login.json list", fmt.Sprint(r.Login.JSON["list"]), "[t1 1]"},
		{"requests.name", r.Requests[0].Name, "t1 items"},
		{"requests.path", r.Requests[0].Path, "/t1/items"},
		{"requests.headers", r.Requests[0].Headers["X-Tenant"], "t1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if want := []string{"api://res/.default", "plain"}; !slices.Equal(r.Scopes, want) {
		t.Errorf("scopes = %q, want %q", r.Scopes, want)
	}

	// The original is untouched: Resolve copies, including nested tables.
	if p.BaseURL != "https://${HOST}/api" || p.Scopes[0] != "${SCOPE}/.default" || p.TokenParams["resource"] != "${SCOPE}" ||
		p.ClientSecret.Reveal() != "${SECRET}" || p.Login.URL != "https://${HOST}/login" || p.Login.Headers["X"] != "${TENANT}" ||
		fmt.Sprint(p.Login.JSON["nested"]) != "map[b:${TENANT}]" || p.Requests[0].Path != "/${TENANT}/items" ||
		*p.Inject.Prefix != "${PREFIX} " {
		t.Errorf("Resolve changed the provider it was called on: %+v", p)
	}

	// The design's maptable login body is expanded too.
	mt, _ := cfg.Provider("maptable")
	rm, err := mt.Resolve(mapEnv(map[string]string{"MAPTABLE_APP_ID": "app", "MAPTABLE_APP_SECRET": "appsecret"}))
	if err != nil {
		t.Fatal(err)
	}
	if rm.Login.JSON["appId"] != "app" || rm.Login.JSON["appSecret"] != "appsecret" {
		t.Errorf("maptable login json = %v", rm.Login.JSON)
	}
	if rm.Refresh.Headers["Authorization"] != "{{refresh_token}}" {
		t.Errorf("{{...}} templates must survive Resolve: %v", rm.Refresh.Headers)
	}
}

func TestResolveMissingVar(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(designExample))
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]string{
		"TAPKEY_CLIENT_ID": "id", "TAPKEY_CLIENT_SECRET": "sec",
		"AZURECN_TENANT": "tn", "AZURECN_CLIENT_ID": "id", "AZURECN_CLIENT_SECRET": "sec", "AZURECN_RESOURCE": "res",
	}
	tests := []struct {
		provider, unset, key string
	}{
		{"tapkey", "TAPKEY_CLIENT_ID", "client_id"},
		{"tapkey", "TAPKEY_CLIENT_SECRET", "client_secret"},
		{"azurecn", "AZURECN_TENANT", "token_url"},
		{"azurecn", "AZURECN_RESOURCE", "scopes"},
		{"maptable", "MAPTABLE_APP_ID", "login.json.appId"},
		{"my-oidc", "MY_CLIENT_ID", "client_id"},
	}
	for _, tt := range tests {
		env := map[string]string{}
		for k, v := range full {
			env[k] = v
		}
		env["MAPTABLE_APP_SECRET"] = "x"
		env["MY_CLIENT_ID"] = "x"
		delete(env, tt.unset)
		p, _ := cfg.Provider(tt.provider)
		r, err := p.Resolve(mapEnv(env))
		var mv *MissingVarError
		if !errors.As(err, &mv) {
			t.Errorf("%s without %s: Resolve = %v, %v; want *MissingVarError", tt.provider, tt.unset, r, err)
			continue
		}
		if r != nil {
			t.Errorf("%s: Resolve returned a provider with an error", tt.provider)
		}
		if mv.Provider != tt.provider || mv.Var != tt.unset || mv.Key != tt.key {
			t.Errorf("MissingVarError = %+v, want provider %s var %s key %s", mv, tt.provider, tt.unset, tt.key)
		}
		if msg := err.Error(); !strings.Contains(msg, tt.unset) || !strings.Contains(msg, tt.key) || !strings.Contains(msg, tt.provider) {
			t.Errorf("Error() = %q: must name the provider, the key and the variable", msg)
		}
	}
}

func TestResolveMissingVarIsDeterministic(t *testing.T) {
	// With several unset variables inside a table, the one reported must
	// not depend on map iteration order.
	p := &Provider{Name: "x", TokenParams: map[string]string{"a": "${VA}", "b": "${VB}", "c": "${VC}", "d": "${VD}"}}
	for range 20 {
		_, err := p.Resolve(mapEnv(nil))
		var mv *MissingVarError
		if !errors.As(err, &mv) || mv.Var != "VA" || mv.Key != "token_params.a" {
			t.Fatalf("Resolve = %v, want token_params.a / VA every time", err)
		}
	}
}

func TestResolvedSecretNeverPrinted(t *testing.T) {
	const plain = "hunter2-very-secret"
	cfg, err := Parse("c.toml", []byte(provider+"client_id = \"cid\"\nclient_secret = \"${S}\"\npassword = \"${S}\"\nrefresh_token = \"${S}\"\ntoken = \"${S}\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := cfg.Providers[0].Resolve(mapEnv(map[string]string{"S": plain}))
	if err != nil {
		t.Fatal(err)
	}
	// The field is a secret.String (a compile-time fact) holding the value.
	var s secret.String = p.ClientSecret
	if s.Reveal() != plain || p.Password.Reveal() != plain || p.RefreshToken.Reveal() != plain || p.Token.Reveal() != plain {
		t.Fatal("secrets not resolved")
	}
	js, _ := json.Marshal(p)
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("provider", "p", p, "v", *p)
	for _, out := range []string{
		fmt.Sprintf("%v", p), fmt.Sprintf("%+v", p), fmt.Sprintf("%#v", p), fmt.Sprintf("%+v", *p),
		fmt.Sprintf("%s", p.ClientSecret), fmt.Sprintf("%q", p.ClientSecret), fmt.Sprintf("%x", p.ClientSecret),
		fmt.Sprint(p.ClientSecret), string(js), logged.String(),
	} {
		if strings.Contains(out, plain) {
			t.Errorf("secret printed: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprintf("%+v", p), "ClientSecret:"+secret.Mask) {
		t.Errorf("%%+v does not show the mask for the secret: %+v", p)
	}
	// An unset secret stays unset rather than becoming a masked empty value.
	q, err := (&Provider{Name: "q"}).Resolve(mapEnv(nil))
	if err != nil || !q.ClientSecret.IsZero() {
		t.Errorf("empty secret after Resolve: %v, zero=%v", err, q.ClientSecret.IsZero())
	}
}

func TestOSEnv(t *testing.T) {
	t.Setenv("KEYHOLE_TEST_RESOLVE", "from-os")
	p, err := (&Provider{Name: "x", BaseURL: "https://${KEYHOLE_TEST_RESOLVE}"}).Resolve(OSEnv())
	if err != nil || p.BaseURL != "https://from-os" {
		t.Errorf("Resolve(OSEnv) = %v, %v", p, err)
	}
}
