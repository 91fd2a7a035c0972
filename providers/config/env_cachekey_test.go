package config_test

import (
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestCacheKeyPerEnvironment(t *testing.T) {
	cfg, err := config.Parse("k.toml", []byte(config.EnvConfig))
	if err != nil {
		t.Fatal(err)
	}
	store := rawKeys{}
	base, _ := cfg.Provider("other")
	keys := map[string]string{"": providers.CacheKey(base, store)}
	for _, env := range []string{"staging", "qa"} {
		applied, _ := cfg.WithEnvironment(env)
		p, _ := applied.Provider("other")
		keys[env] = providers.CacheKey(p, store)
	}
	if keys[""] == keys["staging"] || keys["staging"] == keys["qa"] || keys[""] == keys["qa"] {
		t.Errorf("environments share a cache key: %v", keys)
	}
}

// rawKeys is a providers.Store's Key alone, showing the settings it is given.
type rawKeys struct{ providers.Store }

func (rawKeys) Key(name string, settings []byte) string { return name + " " + string(settings) }

// TestCacheKeyWithoutEnvironmentUnchanged pins the cache key of a
// provider with no environment to what keyhole used before environments:
// the tokens cached then must still be found.
func TestCacheKeyWithoutEnvironmentUnchanged(t *testing.T) {
	cfg, err := config.Parse("k.toml", []byte(config.EnvConfig))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Provider("other")
	const before = `other {"audience":"","auth_params":null,"auth_url":"","client_auth":"","client_id":"","client_secret":"","device_url":"","grant":"static","issuer":"","login":null,"password":"","refresh":null,"refresh_token":"","resource":"","scopes":null,"secret_cmd":"","token":"tok","token_params":null,"token_response":null,"token_url":"","username":""}`
	if got := providers.CacheKey(p, rawKeys{}); got != before {
		t.Errorf("cache key changed:\n got %s\nwant %s", got, before)
	}
}
