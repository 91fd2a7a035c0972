package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
	"github.com/keyhole-sh/keyhole/spec"
)

// Provider is one provider ready to run: its resolved configuration,
// session and HTTP client, or the reason it cannot get a token (an unset
// ${VAR}, an unreadable ca_file, say).
type Provider struct {
	Config  *config.Provider
	Session *providers.Session
	// Client carries this provider's API calls, with its ca_file, client
	// certificate and insecure setting (see providers.HTTPClient); nil
	// means the backend's Client.
	Client *http.Client
	Err    error
}

// Backend is every provider of a configuration made ready at once, for a
// front end that lists them all, and what it reaches the network through.
type Backend struct {
	Providers []Provider
	Client    *http.Client
	// Notice is said once the backend is up (the token cache's notes).
	Notice string
	// History keeps every exchange, redacted; nil keeps none.
	History *history.History
	// SpecCache is where OpenAPI specs are cached (spec.CacheDir); ""
	// caches none, as for the built-in demo, whose port changes every run.
	SpecCache string
}

// NewBackend makes a session for every provider; one that cannot have a
// session (an unset ${VAR}, a ca_file that is not there) is listed with the
// reason. Each provider's client comes from providers.HTTPClient on
// opts.Client (a new one when nil): providers without TLS settings share
// its transport, and its pooled connections; the others get a transport of
// their own, their files read here, once. None follows a redirect: the
// response pane shows the 3xx. Sessions share the clock.
func NewBackend(cfg *config.File, env config.Env, opts providers.SessionOptions) *Backend {
	opts.Client = providers.NewClient(opts.Client)
	b := &Backend{Client: opts.Client}
	// A token_exchange provider's subject and actor are providers of this
	// backend, asked for their token when the exchange runs: by then b
	// holds them all.
	opts.TokenOf = b.tokenOf
	for _, p := range cfg.Providers {
		r, err := p.Resolve(env)
		if err != nil {
			b.Providers = append(b.Providers, Provider{Config: p, Err: err})
			continue
		}
		client, err := providers.HTTPClient(r, opts.Client)
		if err != nil {
			b.Providers = append(b.Providers, Provider{Config: r, Err: err})
			continue
		}
		o := opts
		if o.DPoP, err = dpopBinding(r, opts.StateDir); err != nil {
			b.Providers = append(b.Providers, Provider{Config: r, Err: err})
			continue
		}
		client = withDPoP(client, o.DPoP)
		o.Client = client
		sess, err := providers.NewSession(r, o)
		b.Providers = append(b.Providers, Provider{Config: r, Session: sess, Client: client, Err: err})
	}
	return b
}

// tokenOf is the token of the backend's provider called name, from its
// own session: its cache, its refresh and its single flight are shared
// with everything else that uses it.
func (b *Backend) tokenOf(ctx context.Context, name string) (*providers.Token, error) {
	for _, p := range b.Providers {
		if p.Config.Name != name {
			continue
		}
		if p.Session == nil {
			return nil, fmt.Errorf("provider %s cannot get a token: %w", name, p.Err)
		}
		return p.Session.Token(ctx)
	}
	return nil, fmt.Errorf("%w %q in this configuration", ErrUnknown, name)
}

// Names are the providers Backend makes ready, known without starting
// anything: the config's, or the built-in demo's when there is no config.
// A front end draws them before its backend is up.
func (a *App) Names() ([]string, error) {
	if a.cfg != nil {
		return names(a.cfg.Providers), nil
	}
	listed, err := a.demoListed()
	if err != nil {
		return nil, err
	}
	return names(listed.Providers), nil
}

// Backend makes every provider ready: the config's, with the token store
// token_cache asks for, or with no config the built-in demo's, the demo
// started now and its tokens kept in memory. It prepares the history too
// (History.Load reads it, later: a long history is not parsed before the
// first frame); a history that cannot be prepared is said in Notice, not
// an error. It may take seconds (a locked keyring, the demo's start):
// call it off the UI loop.
func (a *App) Backend(context.Context) (*Backend, error) {
	cfg := a.cfg
	var store providers.Store
	var err error
	if cfg == nil {
		cfg, store, err = a.startDemo()
	} else {
		store, err = a.Store()
	}
	if err != nil {
		return nil, err
	}
	b := NewBackend(cfg, a.opts.Env, providers.SessionOptions{Client: a.client, RefreshBefore: refreshWindow(cfg.Settings), Store: store, Sleep: a.opts.Sleep, StateDir: a.stateDir(a.cfg == nil)})
	for _, p := range b.Providers {
		if p.Client != nil {
			a.mu.Lock()
			a.clients[p.Config.Name] = p.Client
			a.mu.Unlock()
		}
	}
	hist, err := a.openHistory(cfg.Settings)
	a.mu.Lock()
	notes := a.notes
	a.notes = nil
	a.mu.Unlock()
	if err != nil {
		notes = append(notes, err.Error())
	}
	b.History, b.Notice = hist, strings.Join(notes, "; ")
	if a.cfg != nil && a.opts.Getenv != nil {
		if dir, err := spec.CacheDir(a.opts.Getenv); err == nil {
			b.SpecCache = dir
		}
	}
	return b, nil
}

// openHistory prepares the exchange history under the state folder,
// bounded by the history setting; its file is read by History.Load.
func (a *App) openHistory(s config.Settings) (*history.History, error) {
	dir, err := tokencache.StateDir(a.opts.Getenv)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	limit := config.DefaultHistory
	if s.History != nil {
		limit = *s.History
	}
	return history.Prepare(dir, limit)
}
