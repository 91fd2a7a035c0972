package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/keyhole-sh/keyhole/app"
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
	a := app.New(cfg, opts)
	defer a.Close()
	b, err := a.Backend(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "keyhole"); b.SpecCache != want {
		t.Errorf("SpecCache = %q, want %q", b.SpecCache, want)
	}
	d := app.New(nil, opts)
	defer d.Close()
	b, err = d.Backend(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.SpecCache != "" {
		t.Errorf("the built-in demo caches specs in %q", b.SpecCache)
	}
}
