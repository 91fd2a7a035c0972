package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// environmentName is the environment the command line asks for: --env,
// else $KEYHOLE_ENV; "" for none.
func (e env) environmentName() string {
	if e.envFlag != nil && *e.envFlag != "" {
		return *e.envFlag
	}
	if e.getenv != nil {
		return e.getenv("KEYHOLE_ENV")
	}
	return ""
}

// environment lays the environment asked for over cfg (nil: no config
// file at path): its [environments.NAME] table, and the env files of the
// first of dirs that has them (run gives the folders of its .http files),
// else of the working directory, else of the config's folder. An
// unknown name is a usage error listing the known ones. What the env files
// hold that shadows the config is said on stderr.
func environment(e env, cfg *config.File, path string, dirs ...string) (*collenv.Layer, error) {
	l, err := collenv.Build(cfg, e.environmentName(), append(slices.Clone(dirs), envDirs(path)...)...)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	for _, w := range l.Warnings {
		fmt.Fprintln(e.stderr, "keyhole: warning: "+termtext.Line(w))
	}
	return l, nil
}

// envDirs are the folders whose env files count, the first that has one
// winning: the working directory, then the folder of the config at path
// ("" for none).
func envDirs(path string) []string {
	var dirs []string
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, wd)
	}
	if path != "" {
		dirs = append(dirs, filepath.Dir(path))
	}
	return dirs
}

// refuseDangerous refuses a request that may change something (any method
// but GET, HEAD and OPTIONS) in a dangerous environment, unless yes: a
// production environment is sent to only on purpose.
func refuseDangerous(l *collenv.Layer, method string, yes bool) error {
	if l == nil || !l.Danger || yes {
		return nil
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	return &exitError{code: ExitUsage, err: fmt.Errorf("environment %s is dangerous (production, or danger = true): %s not sent; add --yes to send it", l.Name, method)}
}

// describeEnvironment says on stderr which environment is in force, which
// there are, and what the env files hold that keyhole does not use.
func describeEnvironment(e env, conf loadedConfig) {
	l := conf.layer
	if l == nil {
		return
	}
	line := termtext.Line
	if known := l.Known(); len(known) > 0 {
		fmt.Fprintf(e.stderr, "keyhole: environments: %s (choose one with --env NAME)\n", line(strings.Join(known, ", ")))
	}
	switch {
	case l.Name == "":
		if len(l.Known()) > 0 {
			fmt.Fprintln(e.stderr, "keyhole: no environment in force")
		}
	case l.Danger:
		fmt.Fprintf(e.stderr, "keyhole: environment %s, dangerous: call sends a method other than GET, HEAD or OPTIONS only with --yes\n", line(l.Name))
	default:
		fmt.Fprintf(e.stderr, "keyhole: environment %s\n", line(l.Name))
	}
	for _, n := range l.Notes {
		fmt.Fprintln(e.stderr, "keyhole: note: "+line(n))
	}
}
