package providers

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// source is where a provider was written: the file, and the line of each
// key holding a ${VAR}, for the mistakes only Resolve can see.
type source struct {
	path  string
	lines map[string]int // dotted key inside the provider's table → line
}

// locate records where p's ${VAR} keys are, so that Resolve can name the
// file and line of an empty secret or a URL that is none.
func (p *Provider) locate(path string, data []byte) {
	p.src = &source{path: path, lines: map[string]int{}}
	keys := append(p.urlFields(), p.secretFields()...)
	for _, f := range keys {
		if strings.Contains(f.value, "${") {
			key := append(toml.Key{"providers", p.Name}, strings.Split(f.key, ".")...)
			p.src.lines[f.key] = tomltext.KeyLine(data, key)
		}
	}
}

// secretFields are the keys that hold a credential, as written.
func (p *Provider) secretFields() []urlField {
	return []urlField{
		{"client_secret", p.ClientSecret.Reveal()}, {"password", p.Password.Reveal()},
		{"refresh_token", p.RefreshToken.Reveal()}, {"token", p.Token.Reveal()},
	}
}

// configError is a ConfigError at one of p's keys.
func (p *Provider) configError(key, msg, hint string) *ConfigError {
	e := &ConfigError{File: "config", Key: "providers." + p.Name + "." + key, Msg: msg, Hint: hint}
	if p.src != nil {
		e.File, e.Line = p.src.path, p.src.lines[key]
	}
	return e
}

// checkResolved checks what the ${VAR}s of p (as written) became in r:
// a secret that came out empty, and a URL that came out no URL. An empty
// client_secret would silently make a confidential client public, an
// empty password or token send nothing; both are mistakes in the
// environment, not choices (a public client has no client_secret key).
func (r *Provider) checkResolved(p *Provider) error {
	resolved := r.secretFields()
	for i, f := range p.secretFields() {
		if strings.Contains(f.value, "${") && resolved[i].value == "" {
			names := varNames(f.value)
			return p.configError(f.key, fmt.Sprintf("%s set but empty, so %s would be empty", describeVars(names), f.key),
				fmt.Sprintf("export %s=... with the value, or remove %s", names[0], f.key))
		}
	}
	resolvedURLs := r.urlFields()
	for i, f := range p.urlFields() {
		if !strings.Contains(f.value, "${") || strings.Contains(f.value, "{{") {
			continue
		}
		if err := checkURL(resolvedURLs[i].value); err != nil {
			return p.configError(f.key, fmt.Sprintf("with %s expanded: %v", strings.Join(braced(varNames(f.value)), ", "), err), urlHint)
		}
	}
	return nil
}

// varNames lists the variables a value refers to, in order, as expand
// reads them; $${ is a literal, not a reference.
func varNames(s string) []string {
	var names []string
	_, _ = expand(s, func(name string) (string, bool) {
		names = append(names, name)
		return "", true
	})
	return names
}

func braced(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "${" + n + "}"
	}
	return out
}

func describeVars(names []string) string {
	if len(names) == 1 {
		return "${" + names[0] + "} is"
	}
	return strings.Join(braced(names), ", ") + " are"
}
