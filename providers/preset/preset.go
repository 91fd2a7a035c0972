// Package preset knows the endpoints of the common identity providers, so
// that a provider's table can say preset = "okta" and a domain instead of
// six URLs. A preset is configuration kept in the code: it fills keys the
// table leaves empty, every one of which the table may still set itself,
// and it never reaches the network — the URLs it gives are explicit, so
// `keyhole providers --json` shows them as they will be used.
//
// The package knows nothing of the config file: it takes the preset's
// parameters as strings and returns the keys it fills, by their names in
// a provider's table. A parameter holding a ${VAR} reference is taken as
// written, unchecked, so that the URLs carry the reference for the caller
// to expand; the caller checks the expanded parameters with Fill again.
package preset

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Params are the keys of a provider's table that a preset reads.
type Params struct {
	Tenant              string // entra-id: the directory (tenant) ID or domain
	Cloud               string // entra-id: global (default) or china
	Domain              string // auth0, okta: a host name; cognito: a URL
	AuthorizationServer string // okta: default when empty
	ServerURL           string // keycloak: the server's root URL
	Realm               string // keycloak
}

// paramKeys are the config keys of Params, in the order a table lists them.
var paramKeys = []string{"tenant", "cloud", "domain", "authorization_server", "server_url", "realm"}

// ParamKeys are the config keys of Params, in the order a table lists them.
func ParamKeys() []string { return slices.Clone(paramKeys) }

// Value returns the parameter called key (one of ParamKeys).
func (p Params) Value(key string) string {
	if f := p.field(key); f != nil {
		return *f
	}
	return ""
}

// Set sets the parameter called key (one of ParamKeys); another key is
// ignored.
func (p *Params) Set(key, value string) {
	if f := p.field(key); f != nil {
		*f = value
	}
}

// field is the parameter called key, nil for a key that is not one: the
// one place a config key is mapped onto its field.
func (p *Params) field(key string) *string {
	return map[string]*string{
		"tenant":               &p.Tenant,
		"cloud":                &p.Cloud,
		"domain":               &p.Domain,
		"authorization_server": &p.AuthorizationServer,
		"server_url":           &p.ServerURL,
		"realm":                &p.Realm,
	}[key]
}

// Field is one key a preset fills, by its name in a provider's table.
type Field struct {
	Key   string
	Value string
}

// Error is a parameter a preset cannot use, by its key in the table.
type Error struct {
	Key  string
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Key + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %s (%s)", e.Key, e.Msg, e.Hint)
}

// Preset is one identity provider's endpoints and defaults.
type Preset struct {
	// Name is what preset = "..." says.
	Name string
	// Title names the identity provider for people.
	Title string
	// Needs are the parameters that must be set; Reads are all the
	// parameters the preset takes, Needs included.
	Needs, Reads []string
	// Example is each parameter's example value, and Doc what it is,
	// for keyhole init.
	Example, Doc map[string]string
	// Notes are what a new user should know, one sentence each, for
	// keyhole init and the README.
	Notes []string
	// BaseURL is an example base_url for keyhole init, where the preset
	// does not fill it; Scopes are example scopes.
	BaseURL string
	Scopes  []string
	// Secret says the identity provider wants a client secret even from
	// the kind of client the preset is for (Google's installed apps).
	Secret bool
	// Audience says the identity provider wants audience set to issue an
	// access token an API can check (Auth0's JWTs).
	Audience bool
	// DomainURL says the domain parameter is a URL with its scheme
	// (Cognito's), not a host name (Auth0's, Okta's).
	DomainURL bool
	// fill makes the fields from checked parameters.
	fill func(Params) []Field
}

// Fill returns the keys the preset fills from params, in the order a table
// lists them, or an Error naming the parameter that is missing, malformed
// or not one the preset reads.
func (ps *Preset) Fill(params Params) ([]Field, error) {
	for _, k := range paramKeys {
		v := params.Value(k)
		if v == "" {
			if slices.Contains(ps.Needs, k) {
				return nil, &Error{Key: k, Msg: fmt.Sprintf("preset %s needs %s", ps.Name, k), Hint: fmt.Sprintf("%s = %q", k, ps.Example[k])}
			}
			continue
		}
		if !slices.Contains(ps.Reads, k) {
			return nil, &Error{Key: k, Msg: fmt.Sprintf("preset %s does not read %s", ps.Name, k), Hint: ps.readsHint()}
		}
		if deferred(v) {
			continue
		}
		if err := ps.checkParam(k, v); err != nil {
			return nil, err
		}
	}
	return ps.fill(params), nil
}

func (ps *Preset) readsHint() string {
	if len(ps.Reads) == 0 {
		return "it takes no parameters; remove the key"
	}
	return "it reads " + strings.Join(ps.Reads, ", ")
}

// deferred reports whether v holds a ${VAR} reference, expanded later.
func deferred(v string) bool { return strings.Contains(v, "${") }

// For returns what preset = name fills from params: nothing when name is
// empty and no parameter is set, else the preset's Fill. A parameter set
// without a preset, a name that is a ${VAR} (which preset a table is must
// be known before its URLs are made) or no preset's is an Error whose Key
// is the parameter's, or "preset".
func For(name string, params Params) ([]Field, error) {
	if name == "" {
		for _, k := range paramKeys {
			if params.Value(k) != "" {
				return nil, &Error{Key: k, Msg: k + " is set without preset", Hint: "only a preset reads it: preset = \"NAME\", one of " + strings.Join(Names(), ", ")}
			}
		}
		return nil, nil
	}
	if deferred(name) {
		return nil, &Error{Key: "preset", Msg: "preset cannot come from a ${VAR}", Hint: "name it: one of " + strings.Join(Names(), ", ")}
	}
	ps, ok := Lookup(name)
	if !ok {
		return nil, &Error{Key: "preset", Msg: fmt.Sprintf("unknown preset %q", name), Hint: "allowed: " + strings.Join(Names(), ", ")}
	}
	return ps.Fill(params)
}

// Names are the presets' names, in the order the README lists them.
func Names() []string {
	out := make([]string, len(all))
	for i, p := range all {
		out[i] = p.Name
	}
	return out
}

// Lookup finds a preset by name. It returns a copy: what a caller does
// with it changes no other caller's.
func Lookup(name string) (*Preset, bool) {
	for _, p := range all {
		if p.Name == name {
			c := *p
			c.Needs, c.Reads, c.Notes, c.Scopes = slices.Clone(p.Needs), slices.Clone(p.Reads), slices.Clone(p.Notes), slices.Clone(p.Scopes)
			c.Example, c.Doc = maps.Clone(p.Example), maps.Clone(p.Doc)
			return &c, true
		}
	}
	return nil, false
}

// clouds are the Entra ID clouds by the cloud parameter's values, and the
// host each signs in at.
var clouds = map[string]string{
	"global": "login.microsoftonline.com",
	"china":  "login.chinacloudapi.cn",
}

// checkParam checks one parameter's form: the host, path segment or URL it
// becomes in the preset's URLs must stay one, so that no value moves a
// token request to another host than the one the key names.
func (ps *Preset) checkParam(key, v string) error {
	switch key {
	case "tenant", "authorization_server", "realm":
		if err := checkSegment(v); err != nil {
			return &Error{Key: key, Msg: err.Error(), Hint: "letters, digits, '.', '-', '_' and '~' only"}
		}
	case "cloud":
		if _, ok := clouds[v]; !ok {
			return &Error{Key: key, Msg: fmt.Sprintf("unknown cloud %q", v), Hint: "allowed: global, china"}
		}
	case "domain":
		if ps.DomainURL {
			if _, err := baseURL(v); err != nil {
				return &Error{Key: key, Msg: err.Error(), Hint: "the domain with its scheme, like " + ps.Example[key]}
			}
		} else if err := hostOnly(v); err != nil {
			return &Error{Key: key, Msg: err.Error(), Hint: "the host alone, like " + ps.Example[key]}
		}
	case "server_url":
		if _, err := baseURL(v); err != nil {
			return &Error{Key: key, Msg: err.Error(), Hint: "the server's root URL, like https://sso.example.com"}
		}
	}
	return nil
}

// checkSegment accepts a value that is one path segment of RFC 3986's
// unreserved characters, and not a dot segment.
func checkSegment(v string) error {
	if v == "." || v == ".." {
		return fmt.Errorf("%q is not a name", v)
	}
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_', r == '~':
		default:
			return fmt.Errorf("%q holds %q, which would change the URL it is put into", v, r)
		}
	}
	return nil
}

// hostOnly checks a domain given without a scheme: a host and an optional
// port, nothing else.
func hostOnly(v string) error {
	if strings.Contains(v, "://") {
		return fmt.Errorf("%q has a scheme; the preset adds https://", v)
	}
	u, err := url.Parse("https://" + v)
	if err != nil || u.Host != v || u.Hostname() == "" || u.User != nil {
		return fmt.Errorf("%q is not a host name", v)
	}
	return nil
}

// baseURL checks a URL that paths are joined to: http or https, a host,
// no user, query or fragment. It returns it without a trailing slash.
func baseURL(v string) (string, error) {
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not a URL", v)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%q does not start with https:// (or http://)", v)
	case u.Hostname() == "":
		return "", fmt.Errorf("%q has no host", v)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(v, "?#"):
		return "", fmt.Errorf("%q has a user, query or fragment; give the root URL alone", v)
	}
	return strings.TrimRight(v, "/"), nil
}
