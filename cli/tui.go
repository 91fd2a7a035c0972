package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/model"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// errNoTerminal is what the TUI says when it has no terminal to draw on.
var errNoTerminal = errors.New("the keyhole TUI needs a terminal on stdin and stdout; run it in one (for scripts, keyhole serve-demo prints a demo config)")

func runTUI(ctx context.Context, e env, flagPath string, forceDemo bool) error {
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return &exitError{code: ExitUsage, err: errNoTerminal}
	}
	opts, cleanup, err := tuiOptions(e, flagPath, forceDemo)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	defer cleanup()
	p := tea.NewProgram(model.New(opts), tea.WithContext(ctx), tea.WithInput(e.stdin), tea.WithOutput(e.stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("run the TUI: %w", err)
	}
	return nil
}

// tuiOptions decides between the user's configuration and the built-in
// demo. Nothing slow happens here: the demo server starts after the first
// frame. cleanup stops whatever was started.
func tuiOptions(e env, flagPath string, forceDemo bool) (model.Options, func(), error) {
	path, found, err := findConfig(flagPath, e)
	if err != nil {
		return model.Options{}, nil, err
	}
	if forceDemo || !found {
		return demoOptions(e, forceDemo)
	}
	cfg, err := providers.LoadFile(path)
	if err != nil {
		return model.Options{}, nil, err
	}
	warnLooseSecrets(e, cfg, path)
	opts := baseOptions(e, cfg.Settings)
	opts.Label = path
	if flagPath != "" || e.getenv("KEYHOLE_CONFIG") != "" {
		// A copied curl command runs elsewhere: it must name this file.
		if abs, err := filepath.Abs(path); err == nil {
			opts.ConfigPath = abs
		}
	}
	for _, p := range cfg.Providers {
		opts.Placeholder = append(opts.Placeholder, p.Name)
	}
	// The store opens after the first frame: a keyring probe may wait
	// seconds for a locked keyring. It is the command line's store too: a
	// token fetched by keyhole token is the TUI's cached token, and the
	// other way round. What it has to say goes to the screen, not to
	// stderr under the TUI.
	opts.Start = func(context.Context) (*model.Backend, error) {
		var notes []string
		store, err := openStore(e, cfg.Settings.TokenCache, func(msg string) { notes = append(notes, msg) })
		if err != nil {
			return nil, err
		}
		b := model.NewBackend(cfg, e.lookupEnv, providers.SessionOptions{RefreshBefore: opts.RefreshBefore, Store: store, Sleep: e.sleep})
		if b.History, err = openHistory(e, cfg.Settings); err != nil {
			notes = append(notes, err.Error())
		}
		b.Notice = strings.Join(notes, "; ")
		return b, nil
	}
	return opts, func() {}, nil
}

func baseOptions(e env, s providers.Settings) model.Options {
	ssh := sshSession(e.getenv)
	opts := model.Options{
		Redact: s.RedactOn(), Theme: s.Theme, RefreshBefore: s.RefreshBefore.Std(), MaxBody: int64(s.MaxBody),
		OpenURL: e.open, NoBrowser: ssh, SSH: ssh,
	}
	if opts.RefreshBefore == 0 {
		opts.RefreshBefore = providers.DefaultRefreshBefore
	}
	return opts
}

// demoOptions runs the TUI on the built-in demo: its provider names are
// drawn at once, and the server starts in a command after the first frame.
func demoOptions(e env, forced bool) (model.Options, func(), error) {
	ttl, err := demo.TokenTTLFromEnv()
	if err != nil {
		return model.Options{}, nil, err
	}
	// The placeholder base URL only serves to list the providers: the
	// real one is known once the server listens.
	cfg, err := providers.Parse("built-in demo", []byte(demo.Config("http://127.0.0.1:1")))
	if err != nil {
		return model.Options{}, nil, fmt.Errorf("built-in demo config: %w", err)
	}
	opts := baseOptions(e, cfg.Settings)
	opts.Label, opts.Demo, opts.AutoFetch = "built-in demo (no config file found)", true, true
	if forced {
		opts.Label = "built-in demo"
	}
	for _, p := range cfg.Providers {
		opts.Placeholder = append(opts.Placeholder, p.Name)
	}
	var mu sync.Mutex
	var srv *demo.Server
	opts.Start = func(context.Context) (*model.Backend, error) {
		s, err := demo.Start(demo.Options{TokenTTL: ttl})
		if err != nil {
			return nil, fmt.Errorf("start the demo server: %w", err)
		}
		mu.Lock()
		srv = s
		mu.Unlock()
		cfg, err := providers.Parse("built-in demo", []byte(demo.Config(s.URL())))
		if err != nil {
			return nil, fmt.Errorf("built-in demo config: %w", err)
		}
		// Demo tokens are kept in memory only: the server and its
		// signing key die with this process.
		b := model.NewBackend(cfg, e.lookupEnv, providers.SessionOptions{RefreshBefore: opts.RefreshBefore, Store: tokencache.NewMemory(), Sleep: e.sleep})
		if b.History, err = openHistory(e, cfg.Settings); err != nil {
			b.Notice = err.Error()
		}
		return b, nil
	}
	cleanup := func() {
		mu.Lock()
		defer mu.Unlock()
		if srv != nil {
			_ = srv.Close()
		}
	}
	return opts, cleanup, nil
}

// findConfig looks for the configuration: --config, then $KEYHOLE_CONFIG,
// then $XDG_CONFIG_HOME/keyhole/config.toml. A file named explicitly must
// exist; the default location may be missing (found is false then).
func findConfig(flagPath string, e env) (path string, found bool, err error) {
	for _, explicit := range []struct{ path, from string }{{flagPath, "--config"}, {e.getenv("KEYHOLE_CONFIG"), "$KEYHOLE_CONFIG"}} {
		if explicit.path == "" {
			continue
		}
		if _, err := os.Stat(explicit.path); err != nil {
			return "", false, fmt.Errorf("%s %s: %w", explicit.from, explicit.path, err)
		}
		return explicit.path, true, nil
	}
	path = DefaultConfigPath(e.getenv)
	if path == "" {
		return "", false, nil
	}
	if _, err := os.Stat(path); err != nil {
		return path, false, nil
	}
	return path, true, nil
}

// DefaultConfigPath is $XDG_CONFIG_HOME/keyhole/config.toml, or
// ~/.config/keyhole/config.toml; "" when neither can be known.
func DefaultConfigPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "keyhole", "config.toml")
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && file != nil && term.IsTerminal(file.Fd())
}

// openHistory opens the exchange history under the state folder, bounded
// by the history setting.
func openHistory(e env, s providers.Settings) (*history.History, error) {
	dir, err := tokencache.StateDir(e.getenv)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	limit := providers.DefaultHistory
	if s.History != nil {
		limit = *s.History
	}
	return history.Open(dir, limit)
}
