package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// TestOpenAPIForm: providers checks the form of openapi, never reads the
// spec: a path (relative or absolute) or an http(s) URL passes, anything
// else names file:line:key.
func TestOpenAPIForm(t *testing.T) {
	for _, c := range []struct {
		value, want string // want "": valid
	}{
		{"specs/github.json", ""},
		{"/abs/path/spec.yaml", ""},
		{"~/specs/api.json", ""},
		{"missing-file.json", ""}, // not read here
		{"https://api.example.com/openapi.json", ""},
		{"HTTP://127.0.0.1:8080/spec", ""},
		{"${SPEC_URL}", ""},
		{"ftp://example.com/spec.json", `:5: providers.p.openapi: ftp: URLs are not read, only http and https: "ftp://example.com/spec.json"`},
		{"file:///etc/passwd", `:5: providers.p.openapi: file: URLs are not read`},
		{"https:///spec.json", `:5: providers.p.openapi: no host in`},
		{"   ", ":5: providers.p.openapi: is blank"},
		{"spec\x07.json", ":5: providers.p.openapi: holds a control character"},
	} {
		path := filepath.Join(t.TempDir(), "k.toml")
		text := "[providers.p]\ngrant = \"static\"\nbase_url = \"https://api.example.com\"\ntoken = \"x\"\nopenapi = " + tomltext.Quote(c.value) + "\n"
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadFile(path)
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.value, err)
			} else if cfg.Providers[0].OpenAPI != c.value {
				t.Errorf("%q: read as %q", c.value, cfg.Providers[0].OpenAPI)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), path+c.want) {
			t.Errorf("%q: err = %v, want %q", c.value, err, path+c.want)
		}
	}
}
