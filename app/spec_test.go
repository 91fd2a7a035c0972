package app_test

import (
	"path/filepath"
	"testing"
)

// TestBackendSpecCache: a config's backend caches specs under
// $XDG_CACHE_HOME/keyhole; the built-in demo's caches none, since its
// port, and so its description's URL, changes every run.
func TestBackendSpecCache(t *testing.T) {
	opts, _ := options(t)
	cache := t.TempDir()
	state := opts.Getenv("XDG_STATE_HOME")
	opts.Getenv = func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return cache
		case "XDG_STATE_HOME":
			return state
		}
		return ""
	}
	cfg := parse(t, "c.toml", "[providers.st]\ngrant = \"static\"\nbase_url = \"https://api.example\"\ntoken = \"t0k3n\"\nopenapi = \"api.json\"\n")
	b := backend(t, cfg, opts)
	if want := filepath.Join(cache, "keyhole"); b.SpecCache != want {
		t.Errorf("SpecCache = %q, want %q", b.SpecCache, want)
	}
	b = backend(t, nil, opts)
	if b.SpecCache != "" {
		t.Errorf("the built-in demo caches specs in %q", b.SpecCache)
	}
}
