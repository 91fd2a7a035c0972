package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"github.com/keyhole-sh/keyhole/model"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// errNoTerminal is what the TUI says when it has no terminal to draw on.
var errNoTerminal = errors.New("the keyhole TUI needs a terminal on stdin and stdout; run it in one (for scripts, keyhole serve-demo prints a demo config)")

func runTUI(ctx context.Context, e env, flagPath string, forceDemo bool) error {
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return &exitError{code: ExitUsage, err: errNoTerminal}
	}
	// Built already when keyhole alone started this (Execute); not for
	// keyhole demo.
	warmWidths()
	opts, cleanup, err := tuiOptions(e, flagPath, forceDemo)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	defer cleanup()
	p := tea.NewProgram(model.Starting(opts), tea.WithContext(ctx), tea.WithFPS(frameRate), tea.WithInput(e.stdin), tea.WithOutput(e.stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("run the TUI: %w", err)
	}
	return nil
}

// tuiOptions decides between the user's configuration and the built-in
// demo, and wires it through app. Nothing slow happens here: the token
// store opens, and the demo server starts, after the first frame. cleanup
// stops whatever was started.
func tuiOptions(e env, flagPath string, forceDemo bool) (model.Options, func(), error) {
	conf := loadedConfig{}
	var err error
	if forceDemo {
		// The demo ignores the config, but a --config or $KEYHOLE_CONFIG
		// naming no file is still a mistake worth saying.
		_, _, err = findConfig(flagPath, e)
	} else if conf, err = readConfig(e, flagPath); err == nil {
		// As for keyhole run, the env files beside the collection's
		// .http files count first.
		conf, err = conf.inEnvironment(e, collectionDirs(conf)...)
	}
	if err != nil {
		return model.Options{}, nil, err
	}
	if conf.cfg == nil {
		// A bad $KEYHOLE_DEMO_TOKEN_TTL is said before the first frame,
		// not after it.
		if _, err := demo.TokenTTLFromEnv(); err != nil {
			return model.Options{}, nil, err
		}
	}
	// What the token store has to say goes to the screen (Backend's
	// Notice), not to stderr under the TUI.
	w := newTUIWiring(e, conf)
	a := w.wire(conf.cfg)
	settings, err := a.Settings()
	if err != nil {
		return model.Options{}, nil, err
	}
	names, err := a.Names()
	if err != nil {
		return model.Options{}, nil, err
	}
	opts := baseOptions(e, settings)
	opts.Placeholder, opts.Start = names, a.Backend
	if conf.layer != nil {
		// The environment --env asked for, and the others to switch to:
		// the built-in demo by keyhole demo has none.
		opts.Environment, opts.SwitchEnv = conf.layer, w.switchTo
	}
	opts.Collection = collectionOptions(conf, settings)
	switch {
	case conf.cfg != nil:
		opts.Label = conf.path
		// A copied curl command runs elsewhere: it must name this file.
		if flag, err := conf.configFlag(); err == nil && len(flag) == 2 {
			opts.ConfigPath = flag[1]
		}
	case forceDemo:
		opts.Label, opts.Demo, opts.AutoFetch = "built-in demo", true, true
	default:
		opts.Label, opts.Demo, opts.AutoFetch = "built-in demo (no config file found)", true, true
	}
	return opts, w.close, nil
}

func baseOptions(e env, s config.Settings) model.Options {
	ssh := sshSession(e.getenv)
	opts := model.Options{
		Redact: s.RedactOn(), Theme: s.Theme, RefreshBefore: s.RefreshBefore.Std(), MaxBody: int64(s.MaxBody),
		OpenURL: e.open, NoBrowser: ssh, SSH: ssh,
	}
	if opts.RefreshBefore == 0 {
		opts.RefreshBefore = config.DefaultRefreshBefore
	}
	return opts
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

// collectionOptions say where the TUI finds .http files: the configured
// collections, relative to the config file's folder, else the working
// folder's.
func collectionOptions(conf loadedConfig, s config.Settings) model.CollectionOptions {
	var o model.CollectionOptions
	if conf.cfg != nil && conf.path != "" {
		o.Patterns, o.Base = s.Collections, filepath.Dir(conf.path)
	}
	if wd, err := os.Getwd(); err == nil {
		o.WorkDir = wd
	}
	return o
}

// collectionDirs are the folders the configured collections name, for
// their env files: a folder as it is, a file's or a glob's folder. They
// are found from the patterns alone, with a stat each: the first frame
// does not wait for a walk of the folders.
func collectionDirs(conf loadedConfig) []string {
	if conf.cfg == nil || conf.path == "" {
		return nil
	}
	var dirs []string
	for _, p := range conf.cfg.Settings.Collections {
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(conf.path), p)
		}
		d := p
		if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
			d = filepath.Dir(p)
		}
		if !strings.ContainsAny(d, "*?[") && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}
