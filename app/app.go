// Package app turns a configuration (or none) into what a front end runs
// on: providers with their sessions and HTTP clients, the token store,
// the exchange history, and the built-in demo, started in this process
// when it is first needed. The command line and the TUI wire through it
// alike; nothing here draws, prints or exits.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// ErrUnknown is wrapped by the error for a provider name that neither the
// config nor the built-in demo has.
var ErrUnknown = errors.New("no provider")

// Options tune an App.
type Options struct {
	// Env resolves the config's ${VAR}s; os.LookupEnv outside tests.
	Env config.Env
	// Getenv reads where keyhole keeps its state (XDG_STATE_HOME, HOME);
	// os.Getenv outside tests.
	Getenv func(string) string
	// Sleep waits between device-grant polls; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Say hears what the token store has to say when it opens (a file
	// mode it fixed, no keyring here). Nil keeps it for Backend's Notice.
	Say func(string)
}

// App is the wiring for one configuration. Nothing slow happens until it
// is asked for: the token store opens, the history loads and the demo
// starts on first use. It is safe for concurrent use.
type App struct {
	cfg  *config.File // nil: no config file, only the built-in demo
	opts Options

	// transport is shared by every provider without TLS settings of its
	// own, so they share its pooled connections.
	transport *http.Transport
	client    *http.Client

	storeMu sync.Mutex
	store   providers.Store // the token_cache store, once opened

	mu      sync.Mutex
	clients map[string]*http.Client // by provider name, as Session built them
	notes   []string                // what the store said, with no Say
	demo    builtinDemo
	closed  bool
}

// New prepares the wiring for cfg; nil means no config file was found,
// and only the built-in demo is there.
func New(cfg *config.File, opts Options) *App {
	// http.DefaultTransport's settings, Proxy: http.ProxyFromEnvironment
	// (HTTPS_PROXY, NO_PROXY) included. No response-header limit here: the
	// transport is shared, and each call runs under its provider's
	// timeout, which may be longer than the default.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &App{cfg: cfg, opts: opts, transport: tr, client: providers.NewClient(&http.Client{Transport: tr}), clients: map[string]*http.Client{}}
}

// Close stops the built-in demo, if it was started, and drops idle
// connections.
func (a *App) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.demo.srv != nil {
		_ = a.demo.srv.Close()
	}
	a.transport.CloseIdleConnections()
	for _, c := range a.clients {
		c.CloseIdleConnections()
	}
}

// Config is the configuration file's content; nil when there is none.
func (a *App) Config() *config.File { return a.cfg }

// Environment is the environment the configuration has applied
// (config.File.ActiveEnv; "" for none), and whether it is dangerous:
// a send that may change something is then confirmed first.
func (a *App) Environment() (name string, dangerous bool) {
	if a.cfg == nil || a.cfg.ActiveEnv == "" {
		return "", false
	}
	name = a.cfg.ActiveEnv
	if e, ok := a.cfg.Environment(name); ok {
		return name, e.Dangerous()
	}
	return name, config.DangerousEnv(name, false)
}

// Settings are the [settings] in force: the file's, or the built-in
// demo's when there is no file.
func (a *App) Settings() (config.Settings, error) {
	if a.cfg != nil {
		return a.cfg.Settings, nil
	}
	listed, err := a.demoListed()
	if err != nil {
		return config.Settings{}, err
	}
	return listed.Settings, nil
}

// MaxBody is the response body limit the settings ask for.
func (a *App) MaxBody() int64 {
	if a.cfg != nil && a.cfg.Settings.MaxBody > 0 {
		return int64(a.cfg.Settings.MaxBody)
	}
	return config.DefaultMaxBody
}

// Provider finds name in the configuration, else among the built-in
// demo's providers (builtin is then true). The provider is as written:
// its ${VAR}s are not resolved yet.
func (a *App) Provider(name string) (p *config.Provider, builtin bool, err error) {
	if a.cfg != nil {
		if p, ok := a.cfg.Provider(name); ok {
			return p, false, nil
		}
	}
	listed, err := a.demoListed()
	if err != nil {
		return nil, false, err
	}
	if p, ok := listed.Provider(name); ok {
		return p, true, nil
	}
	return nil, false, a.unknown(name)
}

// unknown explains that no provider has this name, listing those there are.
func (a *App) unknown(name string) error {
	where := "no config file was found"
	if a.cfg != nil {
		where = a.cfg.Path + " defines " + orNone(names(a.cfg.Providers))
	}
	demo, err := a.DemoProviders()
	if err != nil {
		return err
	}
	return fmt.Errorf("%w %q: %s; the built-in demo has %s (keyhole providers lists them)", ErrUnknown, name, where, orNone(names(demo)))
}

func names(ps []*config.Provider) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Session returns a session for the provider called name, resolved
// against the environment. A built-in demo provider starts the demo
// server in this process first, and keeps its tokens in memory only: the
// server and its signing key die with the process.
func (a *App) Session(name string) (*providers.Session, error) {
	p, builtin, err := a.Provider(name)
	if err != nil {
		return nil, err
	}
	settings := config.Settings{}
	var store providers.Store
	if builtin {
		var demoCfg *config.File
		if demoCfg, store, err = a.startDemo(); err != nil {
			return nil, err
		}
		if p, _ = demoCfg.Provider(name); p == nil {
			return nil, a.unknown(name)
		}
	} else {
		settings = a.cfg.Settings
	}
	if err := providers.Supported(p); err != nil {
		return nil, err
	}
	r, err := p.Resolve(a.opts.Env)
	if err != nil {
		return nil, err
	}
	if !builtin {
		if store, err = a.Store(); err != nil {
			return nil, err
		}
	}
	client, err := providers.HTTPClient(r, a.client)
	if err != nil {
		return nil, err
	}
	bind, err := dpopBinding(r, a.stateDir(builtin))
	if err != nil {
		return nil, err
	}
	client = withDPoP(client, bind)
	sess, err := providers.NewSession(r, providers.SessionOptions{Client: client, RefreshBefore: refreshWindow(settings), Store: store, Sleep: a.opts.Sleep, DPoP: bind, TokenOf: a.tokenOf})
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.clients[r.Name] = client
	a.mu.Unlock()
	return sess, nil
}

// tokenOf gets the token of the provider called name, for a token_exchange
// provider's subject or actor: from its cache, else by its grant. The
// config refuses a chain of exchanges that comes back to itself.
func (a *App) tokenOf(ctx context.Context, name string) (*providers.Token, error) {
	sess, err := a.Session(name)
	if err != nil {
		return nil, err
	}
	return sess.Token(ctx)
}

// Client is the client the provider called name makes its calls with:
// the one Session built for it, else the shared one.
func (a *App) Client(name string) *http.Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.clients[name]; ok {
		return c
	}
	return a.client
}

// refreshWindow is how long before expiry a token is refreshed.
func refreshWindow(s config.Settings) time.Duration {
	if w := s.RefreshBefore.Std(); w != 0 {
		return w
	}
	return config.DefaultRefreshBefore
}

// Store opens the token store token_cache asks for, once, under the state
// folder. It is the command line's and the TUI's alike: a token fetched by
// keyhole token is the TUI's cached token, and the other way round. What
// it has to say goes to Options.Say. A keyring probe may wait seconds for
// a locked keyring: the TUI calls it after its first frame.
func (a *App) Store() (providers.Store, error) {
	a.storeMu.Lock()
	defer a.storeMu.Unlock()
	if a.store != nil {
		return a.store, nil
	}
	setting := ""
	if a.cfg != nil {
		setting = a.cfg.Settings.TokenCache
	}
	dir := ""
	if setting != tokencache.SettingMemory {
		d, err := tokencache.StateDir(a.opts.Getenv)
		if err != nil {
			return nil, err
		}
		dir = d
	}
	store, notice, err := tokencache.Open(setting, dir, tokencache.WithWarn(a.say))
	if err != nil {
		return nil, err
	}
	if notice != "" {
		a.say(notice)
	}
	a.store = store
	return store, nil
}

// say hands what the store has to say to Options.Say, or keeps it for
// Backend's Notice. The file store may call it later, from any goroutine.
func (a *App) say(msg string) {
	if a.opts.Say != nil {
		a.opts.Say(msg)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notes = append(a.notes, msg)
}
