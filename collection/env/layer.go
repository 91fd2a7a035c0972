package env

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// UnknownError is an environment name that neither the config nor an env
// file defines.
type UnknownError struct {
	Name string
	// Known are the names there are: the config's, then the env files'.
	Known []string
}

func (e *UnknownError) Error() string {
	known := "there are none"
	if len(e.Known) > 0 {
		known = "known: " + strings.Join(e.Known, ", ")
	}
	return fmt.Sprintf("no environment %q (%s; the config's [environments.NAME] and the entries of %s and %s)", e.Name, known, PublicFile, PrivateFile)
}

// Layer is one environment made ready: the config with it applied, the
// providers its env files add, and the variables it gives a request.
type Layer struct {
	// Name is the environment; "" for none (only $shared values apply).
	Name string
	// Danger is set for an environment whose sends must be confirmed: a
	// TOML one marked danger = true, or one named prod or production.
	Danger bool
	// Config is the config with the environment applied and the env
	// files' providers added; nil when there is no config and the env
	// files add no provider (the built-in demo is used then).
	Config *config.File
	// Files are the env files read; an empty Set when there are none.
	Files *Set
	// Warnings are worth saying whenever the environment is used: an
	// env-file provider the config's of the same name shadows.
	Warnings []string
	// Notes are worth saying when the environments are looked at
	// (keyhole providers): an Auth entry keyhole cannot run, what the files
	// hold that keyhole does not use.
	Notes []string

	tomlVars map[string]string
	fileVars map[string]string
	private  map[string]bool
}

// Known are the environment names of cfg (nil for none) and of files, the
// config's first, each once.
func Known(cfg *config.File, files *Set) []string {
	var out []string
	if cfg != nil {
		out = cfg.EnvironmentNames()
	}
	for _, n := range files.Names() {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Build makes the environment called name ready for cfg (nil: no config
// file), with the env files of the first of dirs that has one (see Find).
// A TOML environment and an env-file environment of the same name are one
// environment. name "" is no environment: the config as it is, with the
// $shared values and providers of the env files. An unknown name is an
// *UnknownError listing the known ones; an env file that cannot be read
// is an *Error.
func Build(cfg *config.File, name string, dirs ...string) (*Layer, error) {
	files, err := Find(dirs...)
	if err != nil {
		return nil, err
	}
	l := &Layer{Name: name, Config: cfg, Files: files}
	if name != "" {
		_, inTOML := tomlEnv(cfg, name)
		if !inTOML && !files.Has(name) {
			return nil, &UnknownError{Name: name, Known: Known(cfg, files)}
		}
		l.Danger = config.DangerousEnv(name, false)
		if cfg != nil && !inTOML {
			l.Config = cfg.InEnvironment(name)
		}
		if inTOML {
			if l.Config, err = cfg.WithEnvironment(name); err != nil {
				return nil, err
			}
			te, _ := tomlEnv(cfg, name)
			l.Danger = te.Dangerous()
			l.tomlVars = te.Vars
		}
	}
	l.fileVars, l.private = files.Vars(name)
	for _, n := range files.Notes() {
		l.Notes = append(l.Notes, n.String())
	}
	l.addProviders()
	return l, nil
}

// tomlEnv finds the environment called name in cfg.
func tomlEnv(cfg *config.File, name string) (*config.Environment, bool) {
	if cfg == nil {
		return nil, false
	}
	return cfg.Environment(name)
}

// addProviders adds the env files' providers to the config: after its
// own, and never in place of one. A config provider of the same name wins,
// with a warning: the config is what keyhole's doctor and checks know.
func (l *Layer) addProviders() {
	vars := l.envVars()
	ps, notes := l.Files.Providers(l.Name, vars)
	for _, n := range notes {
		l.Notes = append(l.Notes, n.String())
	}
	if len(ps) == 0 {
		return
	}
	var cfg config.File
	if l.Config != nil {
		cfg = *l.Config
	} else {
		// No config file: the env files are the configuration.
		cfg.Path, cfg.ActiveEnv = l.Files.files()[0].Path, l.Name
	}
	cfg.Providers = slices.Clone(cfg.Providers)
	for _, p := range ps {
		if _, taken := cfg.Provider(p.Name); taken {
			l.Warnings = append(l.Warnings, fmt.Sprintf("%s: Security.Auth.%s not used: the config defines a provider %s, which is used instead", l.authPath(p), p.Name, p.Name))
			continue
		}
		cfg.Providers = append(cfg.Providers, p)
	}
	l.Config = &cfg
}

// authPath is where an env-file provider was written, for a message.
func (l *Layer) authPath(p *config.Provider) string {
	for _, f := range l.Files.files() {
		for _, e := range append([]*Env{f.Shared}, f.Envs...) {
			if e == nil {
				continue
			}
			for _, a := range e.Auth {
				if a.ID == p.Name && a.Line == p.Line {
					return fmt.Sprintf("%s:%d", f.Path, a.Line)
				}
			}
		}
	}
	return PublicFile
}

// envVars are the environment's own variables, without a provider's: the
// TOML environment's vars, then the env files' values over them.
func (l *Layer) envVars() map[string]string {
	out := maps.Clone(l.tomlVars)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, l.fileVars)
	return out
}

// Vars are the variables a request of provider (its name; "" for none)
// sees from this layer, from lowest to highest: the provider's vars (as
// the environment changes them), the TOML environment's vars,
// http-client.env.json, http-client.private.env.json. A .http file's own
// @variables and a run's captures go over these; that is the runner's part.
func (l *Layer) Vars(provider string) map[string]string {
	out := map[string]string{}
	if l.Config != nil && provider != "" {
		if p, ok := l.Config.Provider(provider); ok {
			maps.Copy(out, p.Vars)
		}
	}
	maps.Copy(out, l.envVars())
	return out
}

// Secret reports whether the variable called name takes its value from
// the private env file: such values are masked wherever they show.
func (l *Layer) Secret(name string) bool { return l.private[name] }

// Known are the environments there are to choose from: the config's, then
// the env files'.
func (l *Layer) Known() []string {
	return Known(l.Config, l.Files)
}
