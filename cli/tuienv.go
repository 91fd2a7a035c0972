package cli

import (
	"context"
	"sync"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// tuiWiring is the TUI's wiring, environment by environment: the app of
// the environment it started in, and one more for each environment the
// person switches to (e in the TUI). Every app is kept until the TUI
// ends: a switch that the person overtook with another, or a request of
// the last environment still in flight, never finds its app closed
// under it.
type tuiWiring struct {
	e env
	// file is the configuration as the file has it, no environment
	// applied (nil: no config file); dirs are where env files are looked
	// for, as on the command line.
	file *config.File
	dirs []string

	mu   sync.Mutex
	apps []*app.App
}

func newTUIWiring(e env, conf loadedConfig) *tuiWiring {
	// The env files beside the collection count first, as at start.
	return &tuiWiring{e: e, file: conf.file, dirs: append(collectionDirs(conf), envDirs(conf.path)...)}
}

// wire prepares an app for cfg (the config with an environment applied;
// nil: the built-in demo). What the token store has to say goes to the
// backend's Notice, on the screen.
func (w *tuiWiring) wire(cfg *config.File) *app.App {
	a := app.New(cfg, app.Options{Env: w.e.lookupEnv, Getenv: w.e.getenv, Sleep: w.e.sleep})
	w.mu.Lock()
	defer w.mu.Unlock()
	w.apps = append(w.apps, a)
	return a
}

// switchTo builds the environment called name ("" for none) over the
// config file, as --env would, and wires a backend for it: new sessions
// and clients, whose tokens are cached under that environment's keys. It
// may take seconds (a keyring, the demo's start): the TUI calls it off
// its loop.
func (w *tuiWiring) switchTo(ctx context.Context, name string) (*collenv.Layer, *app.Backend, error) {
	l, err := collenv.Build(w.file, name, w.dirs...)
	if err != nil {
		return nil, nil, err
	}
	b, err := w.wire(l.Config).Backend(ctx)
	if err != nil {
		return nil, nil, err
	}
	return l, b, nil
}

// close ends every app wired.
func (w *tuiWiring) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range w.apps {
		a.Close()
	}
}
