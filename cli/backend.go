package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// loadedConfig is the configuration a command runs on.
type loadedConfig struct {
	// path is the file; "" when none was found.
	path string
	// explicit is set when --config or $KEYHOLE_CONFIG named the file,
	// rather than the default location.
	explicit bool
	// cfg is nil when no file was found: only the built-in demo is there.
	// It has the environment asked for applied (see layer).
	cfg *config.File
	// layer is the environment asked for, and the env files' variables
	// and providers.
	layer *collenv.Layer
	// file is cfg as the file has it, no environment applied: the TUI
	// applies another one to it when the person switches.
	file *config.File
}

// loadConfig finds, reads and validates the configuration, and warns on
// stderr about a literal secret in a file others can read. No file at all
// is not an error: the built-in demo is still there.
func loadConfig(e env, flagPath string) (loadedConfig, error) {
	conf, err := readConfig(e, flagPath)
	if err != nil {
		return loadedConfig{}, err
	}
	return conf.inEnvironment(e)
}

// readConfig is loadConfig without the environment.
func readConfig(e env, flagPath string) (loadedConfig, error) {
	path, found, err := findConfig(flagPath, e)
	if err != nil {
		return loadedConfig{}, &exitError{code: ExitUsage, err: err}
	}
	conf := loadedConfig{}
	if found {
		cfg, err := config.LoadFile(path)
		if err != nil {
			return loadedConfig{}, &exitError{code: ExitUsage, err: err}
		}
		warnLooseSecrets(e, cfg, path)
		conf = loadedConfig{path: path, explicit: flagPath != "" || e.getenv("KEYHOLE_CONFIG") != "", cfg: cfg}
	}
	return conf, nil
}

// inEnvironment applies the environment asked for to a config as
// readConfig read it, with the env files of the first of dirs that has
// them (see environment).
func (conf loadedConfig) inEnvironment(e env, dirs ...string) (loadedConfig, error) {
	layer, err := environment(e, conf.cfg, conf.path, dirs...)
	if err != nil {
		return loadedConfig{}, err
	}
	conf.file = conf.cfg
	conf.cfg, conf.layer = layer.Config, layer
	return conf, nil
}

// literalSecrets names the keys of providers that hold a secret written
// into the file itself rather than taken from a ${VAR}
// (config.Provider.LiteralSecrets).
func literalSecrets(cfg *config.File) []string {
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
func warnLooseSecrets(e env, cfg *config.File, path string) {
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

// backend is what token, call and curl share: the configuration and the
// app wired from it (sessions, clients, the token store, the built-in
// demo, started in this process when a demo-* name is asked for that the
// configuration does not define). It turns app's errors into exit codes
// and says on stderr what the command line says there.
type backend struct {
	e    env
	conf loadedConfig
	app  *app.App
}

func newBackend(e env, flagPath string) (*backend, error) {
	conf, err := loadConfig(e, flagPath)
	if err != nil {
		return nil, err
	}
	return &backend{e: e, conf: conf, app: newApp(e, conf.cfg)}, nil
}

// newApp wires cfg (nil: no config file) for this environment. What the
// token store has to say (no keyring over SSH, a file mode fixed) goes to
// stderr.
func newApp(e env, cfg *config.File) *app.App {
	return app.New(cfg, app.Options{Env: e.lookupEnv, Getenv: e.getenv, Sleep: e.sleep,
		Say: func(msg string) { fmt.Fprintln(e.stderr, "keyhole: "+termtext.Line(msg)) }})
}

// close stops the built-in demo, if it was started, and drops idle
// connections.
func (b *backend) close() { b.app.Close() }

// exitFor gives an error from app its exit code: 3 when the built-in demo
// could not start, else 1 (a usage or config error).
func exitFor(err error) error {
	if errors.Is(err, app.ErrDemoStart) {
		return &exitError{code: ExitNetwork, err: err}
	}
	return &exitError{code: ExitUsage, err: err}
}

// provider finds name in the configuration, else among the built-in
// demo's providers (builtin is then true). The provider is as written:
// ${VAR}s are not resolved yet.
func (b *backend) provider(name string) (p *config.Provider, builtin bool, err error) {
	p, builtin, err = b.app.Provider(name)
	if err != nil {
		return nil, false, exitFor(err)
	}
	return p, builtin, nil
}

// session returns a session for the provider called name (app.Session),
// and warns on stderr about an insecure provider and endpoints in plain
// http.
func (b *backend) session(name string) (*providers.Session, error) {
	sess, err := b.app.Session(name)
	if err != nil {
		return nil, exitFor(err)
	}
	r := sess.Provider()
	if r.Insecure {
		fmt.Fprintln(b.e.stderr, insecureWarning(b.e, r.Name))
	}
	if keys := r.ClearEndpoints(); len(keys) > 0 {
		fmt.Fprintln(b.e.stderr, clearWarning(b.e, r.Name, keys))
	}
	return sess, nil
}

// openSession opens the backend on the configuration flagPath finds and
// a session for the provider called name: what token and call begin
// with. The caller closes the backend; on an error it is closed already.
func openSession(e env, flagPath, name string) (*backend, *providers.Session, error) {
	b, err := newBackend(e, flagPath)
	if err != nil {
		return nil, nil, err
	}
	sess, err := b.session(name)
	if err != nil {
		b.close()
		return nil, nil, err
	}
	return b, sess, nil
}

// configFlag is the --config part of a keyhole command line that must
// find the same configuration as this run: empty when the default location
// was used, else the absolute path.
func (c loadedConfig) configFlag() ([]string, error) {
	if !c.explicit || c.path == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(c.path)
	if err != nil {
		return nil, err
	}
	return []string{"--config", abs}, nil
}

// completeProviders offers provider names for shell completion: the
// config's, then the built-in demo's it does not shadow.
func completeProviders(e env, flagPath string) []string {
	quiet := env{stdout: e.stdout, stderr: discard{}, getenv: e.getenv, lookupEnv: e.lookupEnv, envFlag: e.envFlag}
	conf, err := loadConfig(quiet, flagPath)
	if err != nil {
		return nil
	}
	var names []string
	if conf.cfg != nil {
		for _, p := range conf.cfg.Providers {
			names = append(names, p.Name)
		}
	}
	demo, err := newApp(quiet, conf.cfg).DemoProviders()
	if err != nil {
		return nil
	}
	for _, p := range demo {
		names = append(names, p.Name)
	}
	return slices.Compact(names)
}

// discard is an io.Writer that drops everything.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
