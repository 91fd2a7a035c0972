package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers/secret"
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
	keys := append(append(p.urlFields(), p.secretFields()...), p.presetParamFields()...)
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

// configError is a Error at one of p's keys.
func (p *Provider) configError(key, msg, hint string) *Error {
	e := &Error{File: "config", Key: "providers." + p.Name + "." + key, Msg: msg, Hint: hint}
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
		if err := CheckURL(resolvedURLs[i].value); err != nil {
			vars := strings.Join(braced(varNames(f.value)), ", ")
			msg := fmt.Sprintf("with %s expanded: %v", vars, err)
			if r.secretsIn(msg) {
				// A variable meant for a secret, named here by mistake:
				// the error is printed and drawn, and must not carry it,
				// whole or in the piece url.Parse quotes.
				msg = fmt.Sprintf("with %s expanded: not an absolute http(s) URL with a host (the value holds a secret, so it is not shown)", vars)
			}
			return p.configError(f.key, msg, urlHint)
		}
	}
	return nil
}

// secretsIn reports whether text holds one of r's secrets, in any form
// the redactor knows, or a credential parameter. The ${VAR} values a
// custom login or refresh sends count, except the URLs themselves
// (login.url is one of them), which are what is being checked.
func (r *Provider) secretsIn(text string) bool {
	var red secret.Redactor
	red.Add(r.ClientSecret, r.Password, r.RefreshToken, r.Token)
	urls := r.urlFields()
	for _, v := range r.injected {
		if !slices.ContainsFunc(urls, func(f urlField) bool { return f.value == v.Reveal() }) {
			red.Add(v)
		}
	}
	return red.Redact(text) != text
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
