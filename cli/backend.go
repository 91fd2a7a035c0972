package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// loadedConfig is the configuration a command runs on.
type loadedConfig struct {
	// path is the file; "" when none was found.
	path string
	// explicit is set when --config or $KEYHOLE_CONFIG named the file,
	// rather than the default location.
	explicit bool
	// cfg is nil when no file was found: only the built-in demo is there.
	cfg *providers.Config
}

// loadConfig finds, reads and validates the configuration, and warns on
// stderr about a literal secret in a file others can read. No file at all
// is not an error: the built-in demo is still there.
func loadConfig(e env, flagPath string) (loadedConfig, error) {
	path, found, err := findConfig(flagPath, e)
	if err != nil {
		return loadedConfig{}, &exitError{code: ExitUsage, err: err}
	}
	if !found {
		return loadedConfig{}, nil
	}
	cfg, err := providers.LoadFile(path)
	if err != nil {
		return loadedConfig{}, &exitError{code: ExitUsage, err: err}
	}
	warnLooseSecrets(e, cfg, path)
	return loadedConfig{path: path, explicit: flagPath != "" || e.getenv("KEYHOLE_CONFIG") != "", cfg: cfg}, nil
}

// literalSecrets names the keys of providers that hold a secret written
// into the file itself rather than taken from a ${VAR}
// (providers.Provider.LiteralSecrets).
func literalSecrets(cfg *providers.Config) []string {
	var out []string
	for _, p := range cfg.Providers {
		for _, key := range p.LiteralSecrets() {
			// The demo's secret is public knowledge (serve-demo prints
			// it into every config it writes): no warning for that one.
			public := key == "client_secret" && p.ClientID == demo.CCClientID && p.ClientSecret.Reveal() == demo.CCClientSecret
			if !public {
				out = append(out, "providers."+p.Name+"."+key)
			}
		}
	}
	return out
}

// warnLooseSecrets warns when the config file holds a literal secret and
// its group or others may read it (DESIGN.md, "Rules that protect users").
// Windows has ACLs, not mode bits: nothing to check there.
func warnLooseSecrets(e env, cfg *providers.Config, path string) {
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	keys := literalSecrets(cfg)
	if len(keys) == 0 {
		return
	}
	fmt.Fprintf(e.stderr, "keyhole: warning: %s holds a secret (%s) and others can read it (mode %04o); run: chmod 600 %s — or take the secret from the environment with ${VAR}\n",
		termtext.Line(path), termtext.Line(strings.Join(keys, ", ")), fi.Mode().Perm(), termtext.Line(shellword.Quote(path)))
}

// builtinDemo is the built-in demo's configuration with a placeholder
// base URL: enough to know its provider names without starting it.
func builtinDemo() *providers.Config {
	cfg, err := providers.Parse("built-in demo", []byte(demo.Config("http://127.0.0.1:1")))
	if err != nil {
		// demo.Config is our own constant text; its tests parse it.
		panic("built-in demo config: " + err.Error())
	}
	return cfg
}

// backend is what token, call and curl share: the configuration, one HTTP
// client, the token store, and the built-in demo, started in this process
// when a demo-* name is asked for that the configuration does not define.
type backend struct {
	e    env
	conf loadedConfig

	transport *http.Transport
	client    *http.Client
	// clients are the providers' own clients (providers.HTTPClient), by
	// name, as session built them: b.client itself for a provider with no
	// TLS settings.
	clients map[string]*http.Client

	store providers.Store // the token_cache store, opened on first use

	demoSrv   *demo.Server
	demoCfg   *providers.Config
	demoStore providers.Store
}

func newBackend(e env, flagPath string) (*backend, error) {
	conf, err := loadConfig(e, flagPath)
	if err != nil {
		return nil, err
	}
	// http.DefaultTransport's settings, Proxy: http.ProxyFromEnvironment
	// (HTTPS_PROXY, NO_PROXY) included. No response-header limit here: the
	// transport is shared, and each call runs under its provider's
	// timeout, which may be longer than the default.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &backend{e: e, conf: conf, transport: tr, client: providers.NewClient(&http.Client{Transport: tr}), clients: map[string]*http.Client{}}, nil
}

// close stops the built-in demo, if it was started, and drops idle
// connections.
func (b *backend) close() {
	if b.demoSrv != nil {
		_ = b.demoSrv.Close()
	}
	b.transport.CloseIdleConnections()
	for _, c := range b.clients {
		c.CloseIdleConnections()
	}
}

// clientFor is the client the provider called name makes its calls with:
// the one session built for it, else the shared one.
func (b *backend) clientFor(name string) *http.Client {
	if c, ok := b.clients[name]; ok {
		return c
	}
	return b.client
}

// provider finds name in the configuration, else among the built-in
// demo's providers (builtin is then true). The provider is as written:
// ${VAR}s are not resolved yet.
func (b *backend) provider(name string) (p *providers.Provider, builtin bool, err error) {
	if b.conf.cfg != nil {
		if p, ok := b.conf.cfg.Provider(name); ok {
			return p, false, nil
		}
	}
	if p, ok := builtinDemo().Provider(name); ok {
		return p, true, nil
	}
	return nil, false, &exitError{code: ExitUsage, err: b.unknown(name)}
}

// unknown explains that no provider has this name, listing those there are.
func (b *backend) unknown(name string) error {
	where := "no config file was found"
	if b.conf.cfg != nil {
		where = b.conf.path + " defines " + orNone(providerNames(b.conf.cfg, nil))
	}
	names := providerNames(builtinDemo(), b.conf.cfg)
	return fmt.Errorf("no provider %q: %s; the built-in demo has %s (keyhole providers lists them)", name, where, orNone(names))
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// providerNames lists cfg's provider names, leaving out those shadow
// defines.
func providerNames(cfg, shadow *providers.Config) []string {
	var out []string
	for _, p := range cfg.Providers {
		if shadow != nil {
			if _, ok := shadow.Provider(p.Name); ok {
				continue
			}
		}
		out = append(out, p.Name)
	}
	return out
}

// session returns a session for the provider called name, resolved
// against the environment. A built-in demo provider starts the demo server
// in this process first, and keeps its tokens in memory only: the server
// and its signing key die with the process.
func (b *backend) session(name string) (*providers.Session, error) {
	p, builtin, err := b.provider(name)
	if err != nil {
		return nil, err
	}
	settings := providers.Settings{}
	if builtin {
		if p, err = b.startDemo(name); err != nil {
			return nil, err
		}
	} else {
		settings = b.conf.cfg.Settings
	}
	if err := providers.Supported(p); err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	r, err := p.Resolve(b.e.lookupEnv)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	store := b.demoStore
	if !builtin {
		if store, err = b.tokenStore(); err != nil {
			return nil, &exitError{code: ExitUsage, err: err}
		}
	}
	window := settings.RefreshBefore.Std()
	if window == 0 {
		window = providers.DefaultRefreshBefore
	}
	client, err := providers.HTTPClient(r, b.client)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	if r.Insecure {
		fmt.Fprintln(b.e.stderr, insecureWarning(b.e, r.Name))
	}
	if keys := r.ClearEndpoints(); len(keys) > 0 {
		fmt.Fprintln(b.e.stderr, clearWarning(b.e, r.Name, keys))
	}
	sess, err := providers.NewSession(r, providers.SessionOptions{Client: client, RefreshBefore: window, Store: store, Sleep: b.e.sleep})
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	b.clients[r.Name] = client
	return sess, nil
}

// maxBody is the body limit the settings ask for.
func (b *backend) maxBody() int64 {
	if b.conf.cfg != nil && b.conf.cfg.Settings.MaxBody > 0 {
		return int64(b.conf.cfg.Settings.MaxBody)
	}
	return providers.DefaultMaxBody
}

// startDemo starts the built-in demo server (once) and returns its
// provider called name, with the real base URL.
func (b *backend) startDemo(name string) (*providers.Provider, error) {
	if b.demoSrv == nil {
		ttl, err := demo.TokenTTLFromEnv()
		if err != nil {
			return nil, &exitError{code: ExitUsage, err: err}
		}
		srv, err := demo.Start(demo.Options{TokenTTL: ttl})
		if err != nil {
			return nil, &exitError{code: ExitNetwork, err: fmt.Errorf("start the built-in demo: %w", err)}
		}
		cfg, err := providers.Parse("built-in demo", []byte(demo.Config(srv.URL())))
		if err != nil {
			_ = srv.Close()
			return nil, fmt.Errorf("built-in demo config: %w", err)
		}
		b.demoSrv, b.demoCfg, b.demoStore = srv, cfg, tokencache.NewMemory()
	}
	p, ok := b.demoCfg.Provider(name)
	if !ok {
		return nil, &exitError{code: ExitUsage, err: b.unknown(name)}
	}
	return p, nil
}

// tokenStore opens the store token_cache asks for, once, printing its
// notice (no keyring over SSH, say) and anything it fixed on stderr.
func (b *backend) tokenStore() (providers.Store, error) {
	if b.store != nil {
		return b.store, nil
	}
	store, err := openStore(b.e, b.conf.cfg.Settings.TokenCache, func(msg string) { fmt.Fprintln(b.e.stderr, "keyhole: "+termtext.Line(msg)) })
	if err != nil {
		return nil, err
	}
	b.store = store
	return store, nil
}

// openStore opens the token store for a token_cache setting under the
// state folder, handing what it has to say (a fixed file mode, no keyring
// here) to say.
func openStore(e env, setting string, say func(string)) (providers.Store, error) {
	dir := ""
	if setting != tokencache.SettingMemory {
		d, err := tokencache.StateDir(e.getenv)
		if err != nil {
			return nil, err
		}
		dir = d
	}
	store, notice, err := tokencache.Open(setting, dir, tokencache.WithWarn(say))
	if err != nil {
		return nil, err
	}
	if notice != "" {
		say(notice)
	}
	return store, nil
}

// configFlag is the --config part of a keyhole command line that must
// find the same configuration as this run: empty when the default location
// was used, else the absolute path.
func (b *backend) configFlag() ([]string, error) {
	if !b.conf.explicit || b.conf.path == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(b.conf.path)
	if err != nil {
		return nil, err
	}
	return []string{"--config", abs}, nil
}

// completeProviders offers provider names for shell completion.
func completeProviders(e env, flagPath string) []string {
	conf, err := loadConfig(env{stdout: e.stdout, stderr: discard{}, getenv: e.getenv, lookupEnv: e.lookupEnv}, flagPath)
	if err != nil {
		return nil
	}
	var names []string
	if conf.cfg != nil {
		names = providerNames(conf.cfg, nil)
	}
	names = append(names, providerNames(builtinDemo(), conf.cfg)...)
	return slices.Compact(names)
}

// discard is an io.Writer that drops everything.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
