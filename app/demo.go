package app

import (
	"errors"
	"fmt"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// ErrDemoStart is wrapped by the error for a built-in demo that could not
// start: no loopback port to listen on, a network failure rather than a
// mistake in the config.
var ErrDemoStart = errors.New("start the built-in demo")

// builtinDemo is the built-in demo: its providers as listed before it
// runs, and once started, the server, its config and its token store.
type builtinDemo struct {
	listed *config.File // with a placeholder base URL
	srv    *demo.Server
	cfg    *config.File    // with the server's URL
	store  providers.Store // memory: the server's signing key dies with it
}

// placeholderURL stands for the demo's address until the server listens:
// enough to list the providers without starting anything.
const placeholderURL = "http://127.0.0.1:1"

// demoConfig parses the built-in demo's configuration for a server at
// baseURL. It is the one place the demo config is parsed.
func demoConfig(baseURL string) (*config.File, error) {
	cfg, err := config.Parse("built-in demo", []byte(demo.Config(baseURL)))
	if err != nil {
		// demo.Config is our own text, and its tests parse it.
		return nil, fmt.Errorf("built-in demo config: %w", err)
	}
	return cfg, nil
}

// demoListed is the built-in demo's configuration with the placeholder
// base URL, parsed once.
func (a *App) demoListed() (*config.File, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.demo.listed == nil {
		cfg, err := demoConfig(placeholderURL)
		if err != nil {
			return nil, err
		}
		a.demo.listed = cfg
	}
	return a.demo.listed, nil
}

// DemoProviders lists the built-in demo's providers that the config does
// not define under the same name, without starting the demo: their base
// URLs are placeholders.
func (a *App) DemoProviders() ([]*config.Provider, error) {
	listed, err := a.demoListed()
	if err != nil {
		return nil, err
	}
	var out []*config.Provider
	for _, p := range listed.Providers {
		if a.cfg != nil {
			if _, ok := a.cfg.Provider(p.Name); ok {
				continue
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// startDemo starts the built-in demo server, once, and returns its
// configuration, with the server's URL, and its token store (in memory).
// The token lifetime comes from $KEYHOLE_DEMO_TOKEN_TTL.
func (a *App) startDemo() (*config.File, providers.Store, error) {
	a.mu.Lock()
	if a.demo.cfg != nil {
		defer a.mu.Unlock()
		return a.demo.cfg, a.demo.store, nil
	}
	a.mu.Unlock()
	ttl, err := demo.TokenTTLFromEnv()
	if err != nil {
		return nil, nil, err
	}
	// The server starts outside the lock: Close must not wait on it.
	srv, err := demo.Start(demo.Options{TokenTTL: ttl})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrDemoStart, err)
	}
	cfg, err := demoConfig(srv.URL())
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case err != nil:
	case a.closed:
		err = errors.New("keyhole is closing: the built-in demo was not started")
	case a.demo.cfg != nil:
		// Started twice at once: keep the first.
	default:
		a.demo.srv, a.demo.cfg, a.demo.store = srv, cfg, tokencache.NewMemory()
		return cfg, a.demo.store, nil
	}
	_ = srv.Close()
	if err != nil {
		return nil, nil, err
	}
	return a.demo.cfg, a.demo.store, nil
}
