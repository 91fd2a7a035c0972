package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// Environment is one [environments.NAME] table: the same API somewhere
// else (dev, staging, production), with any provider key changed and
// variables of its own.
type Environment struct {
	// Name is the table's key; Line is where the table starts.
	Name string
	Line int
	// Danger is the danger key as written; Dangerous also counts the name.
	Danger bool
	// Vars are the environment's variables (vars = { ... }).
	Vars map[string]string

	// providers are every provider of the config with this environment
	// applied and checked, in the config's order. They are made once, at
	// Parse: the overrides are decoded with the file's toml.MetaData, which
	// is not safe to share between goroutines afterwards.
	providers []*Provider
}

// Dangerous reports whether sends to e must be confirmed: it is marked
// danger = true, or named prod or production.
func (e *Environment) Dangerous() bool { return DangerousEnv(e.Name, e.Danger) }

// DangerousEnv is the danger rule for any environment, a TOML one or one of
// an env file: marked so, or named prod or production (in any case).
func DangerousEnv(name string, marked bool) bool {
	return marked || strings.EqualFold(name, "prod") || strings.EqualFold(name, "production")
}

// envTable is an [environments.NAME] table as decoded. The provider
// tables stay undecoded until each is laid over a copy of its provider,
// so that only the keys written there change.
type envTable struct {
	Danger    bool                      `toml:"danger"`
	Vars      map[string]string         `toml:"vars"`
	Providers map[string]toml.Primitive `toml:"providers"`
}

// Environment finds an environment by name.
func (c *File) Environment(name string) (*Environment, bool) {
	for _, e := range c.Environments {
		if e.Name == name {
			return e, true
		}
	}
	return nil, false
}

// EnvironmentNames are the environments' names, in file order.
func (c *File) EnvironmentNames() []string {
	out := make([]string, len(c.Environments))
	for i, e := range c.Environments {
		out[i] = e.Name
	}
	return out
}

// WithEnvironment returns a copy of c with the environment called name
// applied: every provider as the environment changes it, and marked with
// the environment's name (Provider.Environment), so that its tokens are
// cached apart from other environments'. c itself is not changed. Every
// override was checked at Parse; the only error is an unknown name.
func (c *File) WithEnvironment(name string) (*File, error) {
	e, ok := c.Environment(name)
	if !ok {
		return nil, fmt.Errorf("%s has no environment %q (it has %s)", c.Path, name, orNoneText(c.EnvironmentNames()))
	}
	out := *c
	out.ActiveEnv = name
	out.Providers = make([]*Provider, len(e.providers))
	for i, p := range e.providers {
		out.Providers[i] = p.clone()
	}
	return &out, nil
}

func orNoneText(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// envOrder lists the environments' names in the order the file first
// mentions each, whether by [environments.NAME], a nested table or a
// dotted key.
func envOrder(md toml.MetaData) []string {
	var names []string
	for _, key := range md.Keys() {
		if len(key) >= 2 && key[0] == "environments" && !slices.Contains(names, key[1]) {
			names = append(names, key[1])
		}
	}
	return names
}

// decodeOverrides decodes every provider table of every environment into
// a scratch provider, so that their keys count as decoded (an unknown one
// is then found by Undecoded, with the others) and a wrong type is an
// error with its line.
func decodeOverrides(path string, md *toml.MetaData, envs map[string]*envTable) error {
	for _, name := range slices.Sorted(maps.Keys(envs)) {
		t := envs[name]
		if t == nil {
			continue
		}
		for _, pname := range slices.Sorted(maps.Keys(t.Providers)) {
			var scratch Provider
			if err := md.PrimitiveDecode(t.Providers[pname], &scratch); err != nil {
				return decodeError(path, err)
			}
		}
	}
	return nil
}

// buildEnvironments makes c.Environments from the decoded tables: each
// environment's providers are copies of c's with its overrides laid over
// them, then checked as a provider of the file is. An override of a
// provider the file does not define, or one that leaves a provider
// invalid, is a Error naming the environment's key.
func (c *File) buildEnvironments(data []byte, md *toml.MetaData, envs map[string]*envTable) error {
	for _, name := range envOrder(*md) {
		t := envs[name]
		if t == nil {
			continue
		}
		envKey := toml.Key{"environments", name}
		line := tomltext.TableLine(data, envKey)
		if line == 0 {
			line = tomltext.KeyLine(data, envKey)
		}
		e := &Environment{Name: name, Line: line, Danger: t.Danger, Vars: t.Vars}
		for _, pname := range slices.Sorted(maps.Keys(t.Providers)) {
			if _, ok := c.Provider(pname); !ok {
				key := append(slices.Clone(envKey), "providers", pname)
				hint := suggest(pname, c.providerNames())
				if hint == "" {
					hint = "the file defines " + orNoneText(c.providerNames())
				}
				return &Error{File: c.Path, Line: tomltext.TableLine(data, key), Key: key.String(), Msg: fmt.Sprintf("no provider %q to change", pname), Hint: hint}
			}
		}
		for _, base := range c.Providers {
			p := base.clone()
			p.Environment = name
			if prim, ok := t.Providers[base.Name]; ok {
				if err := md.PrimitiveDecode(prim, p); err != nil {
					return decodeError(c.Path, err)
				}
				tableKey := append(slices.Clone(envKey), "providers", base.Name)
				if err := checkProvider(c.Path, data, p, true); err != nil {
					return envProblem(err, data, md, tableKey, base.Name)
				}
				p.relocate(data, md, tableKey)
			}
			e.providers = append(e.providers, p)
		}
		c.Environments = append(c.Environments, e)
	}
	return nil
}

// envProblem turns a provider's Error, found with an environment's
// overrides applied, into one about the environment: the key is the
// override's when the environment sets it, else the override's table.
func envProblem(err error, data []byte, md *toml.MetaData, tableKey toml.Key, provider string) error {
	var ce *Error
	if !errors.As(err, &ce) {
		return err
	}
	out := *ce
	out.Line = tomltext.TableLine(data, tableKey)
	out.Key = tableKey.String()
	if rest, ok := strings.CutPrefix(ce.Key, "providers."+provider+"."); ok {
		key := append(slices.Clone(tableKey), strings.Split(rest, ".")...)
		if md.IsDefined(key...) {
			out.Key, out.Line = key.String(), tomltext.KeyLine(data, key)
		}
	}
	out.Msg = fmt.Sprintf("in environment %s: %s", tableKey[1], ce.Msg)
	return &out
}

// relocate points the ${VAR} keys an environment sets at the lines that
// set them, so that Resolve's errors name the override, not the provider.
func (p *Provider) relocate(data []byte, md *toml.MetaData, tableKey toml.Key) {
	if p.src == nil {
		return
	}
	for k := range p.src.lines {
		key := append(slices.Clone(tableKey), strings.Split(k, ".")...)
		if md.IsDefined(key...) {
			p.src.lines[k] = tomltext.KeyLine(data, key)
		}
	}
}

func (c *File) providerNames() []string { return names(c.Providers) }

func names(ps []*Provider) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// clone copies p deep enough that decoding an override into the copy, or
// changing the copy, leaves p as it was: its tables and lists are new.
func (p *Provider) clone() *Provider {
	c := *p
	c.Scopes = slices.Clone(p.Scopes)
	c.TokenParams = maps.Clone(p.TokenParams)
	c.AuthParams = maps.Clone(p.AuthParams)
	c.Vars = maps.Clone(p.Vars)
	c.Login = p.Login.clone()
	c.Refresh = p.Refresh.clone()
	if p.TokenResponse != nil {
		tr := *p.TokenResponse
		c.TokenResponse = &tr
	}
	if p.Inject != nil {
		in := *p.Inject
		if in.Prefix != nil {
			prefix := *in.Prefix
			in.Prefix = &prefix
		}
		c.Inject = &in
	}
	if p.Requests != nil {
		c.Requests = make([]SavedRequest, len(p.Requests))
		for i, r := range p.Requests {
			r.Query, r.Headers = maps.Clone(r.Query), maps.Clone(r.Headers)
			c.Requests[i] = r
		}
	}
	c.injected = slices.Clone(p.injected)
	if p.src != nil {
		src := source{path: p.src.path, lines: maps.Clone(p.src.lines)}
		c.src = &src
	}
	return &c
}

func (r *CustomRequest) clone() *CustomRequest {
	if r == nil {
		return nil
	}
	c := *r
	c.Headers, c.Query, c.Form = maps.Clone(r.Headers), maps.Clone(r.Query), maps.Clone(r.Form)
	if r.JSON != nil {
		c.JSON, _ = MapStrings("", r.JSON, func(_, s string) string { return s }).(map[string]any)
	}
	return &c
}

// CheckEnvFileProvider checks a provider made from an env file's
// Security.Auth entry (package collection/env) as a provider of a config
// file is checked, but for base_url, which such a provider has none of:
// its token goes to the origin the request names. path names the file in
// errors.
func CheckEnvFileProvider(path string, p *Provider) error {
	return checkProvider(path, nil, p, false)
}

// InEnvironment returns a copy of c for an environment c has no table for
// (one only an env file defines): its providers unchanged but for their
// Environment, so that their tokens are still cached per environment.
func (c *File) InEnvironment(name string) *File {
	out := *c
	out.ActiveEnv = name
	out.Providers = make([]*Provider, len(c.Providers))
	for i, p := range c.Providers {
		out.Providers[i] = p.clone()
		out.Providers[i].Environment = name
	}
	return &out
}
