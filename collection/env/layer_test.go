package env

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
)

const layerConfig = `[providers.api]
base_url = "https://api.example.com"
grant = "static"
token = "t"
vars = { a = "provider", b = "provider", c = "provider", d = "provider", only_provider = "p" }

[environments.dev]
vars = { b = "toml", c = "toml", d = "toml", only_toml = "t" }

  [environments.dev.providers.api]
  base_url = "https://dev.api.example.com"

[environments.staging]
danger = true
`

func TestLayerOrder(t *testing.T) {
	cfg, err := config.Parse("k.toml", []byte(layerConfig))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		PublicFile:  `{"dev": {"c": "public", "d": "public", "only_public": "x"}, "prod": {}}`,
		PrivateFile: `{"dev": {"d": "private"}}`,
	})
	l, err := Build(cfg, "dev", "", dir)
	if err != nil {
		t.Fatal(err)
	}
	got := l.Vars("api")
	want := map[string]string{"a": "provider", "b": "toml", "c": "public", "d": "private", "only_provider": "p", "only_toml": "t", "only_public": "x"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if !l.Secret("d") || l.Secret("c") {
		t.Error("only the private file's values are secret")
	}
	if p, _ := l.Config.Provider("api"); p.BaseURL != "https://dev.api.example.com" || p.Environment != "dev" {
		t.Errorf("the TOML environment is not applied: %+v", p)
	}
	if l.Danger {
		t.Error("dev is not dangerous")
	}
	if got := l.Known(); !slices.Equal(got, []string{"dev", "staging", "prod"}) {
		t.Errorf("known = %v", got)
	}

	// An environment only the env file has, named prod: dangerous.
	l, err = Build(cfg, "prod", dir)
	if err != nil || !l.Danger {
		t.Errorf("prod: %v, danger %v", err, l != nil && l.Danger)
	}
	if p, _ := l.Config.Provider("api"); p.BaseURL != "https://api.example.com" {
		t.Errorf("prod has no TOML table: the provider is as written, got %s", p.BaseURL)
	}
	if l, _ := Build(cfg, "staging", dir); !l.Danger {
		t.Error("danger = true makes staging dangerous")
	}

	_, err = Build(cfg, "qa", dir)
	var ue *UnknownError
	if !errors.As(err, &ue) || !slices.Equal(ue.Known, []string{"dev", "staging", "prod"}) || !strings.Contains(err.Error(), "known: dev, staging, prod") {
		t.Errorf("unknown: %v", err)
	}
}

func TestLayerProviders(t *testing.T) {
	cfg, err := config.Parse("k.toml", []byte(layerConfig))
	if err != nil {
		t.Fatal(err)
	}
	auth := `{"dev": {"Security": {"Auth": {
  "api": {"Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "https://x.example/token", "Client ID": "c"},
  "cc": {"Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "https://x.example/token", "Client ID": "c"}
}}}}`
	l, err := Build(cfg, "dev", writeFiles(t, map[string]string{PublicFile: auth}))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(l.Config.Providers); !slices.Equal(got, []string{"api", "cc"}) {
		t.Errorf("providers = %v", got)
	}
	if p, _ := l.Config.Provider("api"); p.Grant != config.GrantStatic {
		t.Error("the config's provider must win over the env file's of the same name")
	}
	if w := strings.Join(l.Warnings, "\n"); !strings.Contains(w, PublicFile+":2: Security.Auth.api not used: the config defines a provider api") {
		t.Errorf("warnings = %s", w)
	}
	// The config as parsed is not changed.
	if len(cfg.Providers) != 1 {
		t.Errorf("Build changed the config: %v", names(cfg.Providers))
	}

	// No config file: the env file's providers make one.
	l, err = Build(nil, "dev", writeFiles(t, map[string]string{PublicFile: auth}))
	if err != nil || l.Config == nil || len(l.Config.Providers) != 2 {
		t.Fatalf("no config: %v %+v", err, l)
	}
	// No config and no provider: nil, so the built-in demo is used.
	if l, _ := Build(nil, "", t.TempDir()); l.Config != nil {
		t.Error("no config and no env file must leave the config nil")
	}
}

func names(ps []*config.Provider) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
