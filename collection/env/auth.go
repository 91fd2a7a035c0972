package env

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Auth is one Security.Auth entry of an env file: an id and its fields as
// written ("Grant Type": "Client Credentials").
type Auth struct {
	ID   string
	Path string
	Line int
	// Fields are the entry's plain values, by their JetBrains names.
	Fields map[string]string
	// Params are its Custom Request Parameters.
	Params []Param
}

// Param is one Custom Request Parameter: sent in the authorization
// request, the token request, or both ("Use": "Everywhere", the default).
type Param struct {
	Name, Value string
	InAuth      bool
	InToken     bool
}

// auth reads one Security.Auth entry.
func (f *File) auth(id string, n *node) *Auth {
	a := &Auth{ID: id, Path: f.Path, Line: n.line, Fields: map[string]string{}}
	for i, key := range n.keys {
		v := n.vals[i]
		switch {
		case v.kind == scalar:
			a.Fields[key] = v.text
		case key == "PKCE" && v.kind == object:
			// keyhole always uses PKCE with S256, whatever is asked here.
			a.Fields[key] = "true"
		case key == "Custom Request Parameters" && v.kind == object:
			f.params(a, v)
		default:
			f.note(v.line, fmt.Sprintf("Security.Auth.%s.%s is not used by keyhole", id, key))
		}
	}
	return a
}

// params reads Custom Request Parameters: a name to a value, or to
// {"Value": …, "Use": "Everywhere" | "In Auth Request" | "In Token Request"}.
func (f *File) params(a *Auth, n *node) {
	for i, name := range n.keys {
		v := n.vals[i]
		p := Param{Name: name, InAuth: true, InToken: true}
		switch v.kind {
		case scalar:
			p.Value = v.text
		case object:
			val, use := v.get("Value"), v.get("Use")
			if val == nil || val.kind != scalar {
				f.note(v.line, fmt.Sprintf("Security.Auth.%s: custom parameter %s has no text Value: not used", a.ID, name))
				continue
			}
			p.Value = val.text
			if use != nil && use.kind == scalar {
				switch strings.ToLower(use.text) {
				case "in auth request":
					p.InToken = false
				case "in token request":
					p.InAuth = false
				}
			}
		default:
			f.note(v.line, fmt.Sprintf("Security.Auth.%s: custom parameter %s is %s: not used", a.ID, name, v.kind))
			continue
		}
		a.Params = append(a.Params, p)
	}
}

// mergeAuth lays the Security.Auth entries of layers over each other by
// id, field by field: a private file often holds only the Client Secret of
// an entry the public file describes. The first definition gives the
// position; ids keep the order they first appear in.
func mergeAuth(layers []*Env) []*Auth {
	var out []*Auth
	for _, e := range layers {
		for _, a := range e.Auth {
			i := slices.IndexFunc(out, func(o *Auth) bool { return o.ID == a.ID })
			if i < 0 {
				c := *a
				c.Fields = map[string]string{}
				c.Params = nil
				out = append(out, &c)
				i = len(out) - 1
			}
			m := out[i]
			for k, v := range a.Fields {
				m.Fields[k] = v
			}
			for _, p := range a.Params {
				m.Params = slices.DeleteFunc(m.Params, func(o Param) bool { return o.Name == p.Name })
				m.Params = append(m.Params, p)
			}
		}
	}
	return out
}

// grantTypes maps the Grant Type values of both tools (JetBrains writes
// "Client Credentials", httpyac client_credentials) onto keyhole's grants;
// "" marks one keyhole refuses.
var grantTypes = map[string]config.Grant{
	"authorizationcode":   config.GrantAuthorizationCode,
	"clientcredentials":   config.GrantClientCredentials,
	"deviceauthorization": config.GrantDeviceCode,
	"devicecode":          config.GrantDeviceCode,
	"password":            config.GrantPassword,
	"implicit":            "",
}

// squash makes "Client Credentials", "client_credentials" and
// "client-credentials" one key.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// varRef is a {{name}} reference inside an Auth field.
// Compiled on first use, not at every start of keyhole.
var varRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*([^{}\s]+)\s*\}\}`) })

// provider makes a keyhole provider of an Auth entry, its {{variables}}
// filled from vars, for the environment called envName. The reason it
// cannot is returned instead: a flow keyhole does not run, a variable the
// environment does not set, a field missing. That is a note about the
// file, not an error: the other entries still load.
func (a *Auth) provider(envName string, vars map[string]string) (*config.Provider, string) {
	field := func(name string) (string, error) {
		v := a.Fields[name]
		var missing string
		v = varRef().ReplaceAllStringFunc(v, func(ref string) string {
			name := varRef().FindStringSubmatch(ref)[1]
			if val, ok := vars[name]; ok && !strings.HasPrefix(name, "$") {
				return val
			}
			if missing == "" {
				missing = name
			}
			return ref
		})
		if missing != "" {
			return "", fmt.Errorf("%s uses {{%s}}, which the environment does not set", name, missing)
		}
		return v, nil
	}
	if t := a.Fields["Type"]; t != "" && !strings.EqualFold(t, "OAuth2") {
		return nil, fmt.Sprintf("Type %q is not an OAuth 2.0 flow keyhole runs", t)
	}
	grantText := a.Fields["Grant Type"]
	grant, known := grantTypes[squash(grantText)]
	switch {
	case grantText == "":
		return nil, "no Grant Type"
	case !known:
		return nil, fmt.Sprintf("Grant Type %q is not one keyhole runs (it runs Authorization Code, Client Credentials, Device Authorization and Password)", grantText)
	case grant == "":
		return nil, "the Implicit grant hands the token over in a URL, which keyhole does not do; use Authorization Code (keyhole adds PKCE)"
	}
	p := &config.Provider{Name: a.ID, Title: a.ID + " (" + PublicFile + ")", Grant: grant, Environment: envName}
	for _, f := range []struct {
		name string
		into *string
	}{
		{"Token URL", &p.TokenURL}, {"Auth URL", &p.AuthURL}, {"Device Auth URL", &p.DeviceURL},
		{"Client ID", &p.ClientID}, {"Username", &p.Username}, {"Audience", &p.Audience}, {"Resource", &p.Resource},
	} {
		v, err := field(f.name)
		if err != nil {
			return nil, err.Error()
		}
		*f.into = v
	}
	for _, f := range []struct {
		name string
		into *secret.String
	}{{"Client Secret", &p.ClientSecret}, {"Password", &p.Password}} {
		v, err := field(f.name)
		if err != nil {
			return nil, err.Error()
		}
		if v != "" {
			*f.into = secret.New(v)
		}
	}
	scope, err := field("Scope")
	if err != nil {
		return nil, err.Error()
	}
	p.Scopes = strings.Fields(scope)
	switch squash(a.Fields["Client Credentials"]) {
	case "":
	case "basic":
		p.ClientAuth = "basic"
	case "inbody":
		p.ClientAuth = "post"
	case "none":
		p.ClientAuth = "none"
	default:
		return nil, fmt.Sprintf("Client Credentials %q is not one of basic, in body, none", a.Fields["Client Credentials"])
	}
	if redirect := a.Fields["Redirect URL"]; redirect != "" && grant == config.GrantAuthorizationCode {
		port, ok := loopbackPort(redirect)
		if !ok {
			return nil, fmt.Sprintf("Redirect URL %q is not a loopback address: keyhole receives the sign-in on 127.0.0.1 only (register http://127.0.0.1:PORT with the server)", redirect)
		}
		p.RedirectPort = port
	}
	for _, prm := range a.Params {
		v := prm.Value
		if prm.InAuth && grant == config.GrantAuthorizationCode {
			if p.AuthParams == nil {
				p.AuthParams = map[string]string{}
			}
			p.AuthParams[prm.Name] = v
		}
		if prm.InToken {
			if p.TokenParams == nil {
				p.TokenParams = map[string]string{}
			}
			p.TokenParams[prm.Name] = v
		}
	}
	if err := config.CheckEnvFileProvider(a.Path, p); err != nil {
		return nil, inFieldNames(err)
	}
	return p, ""
}

// loopbackPort is the port of a loopback http redirect URL (0 when it has
// none), and whether it is one.
func loopbackPort(raw string) (int, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return 0, false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return 0, false
	}
	if u.Port() == "" {
		return 0, true
	}
	port, err := strconv.Atoi(u.Port())
	return port, err == nil
}

// Providers are the providers the Auth entries of environment name
// describe ($shared ones included; with name "" only those), and a note
// for each entry that cannot be one: its flow is not one keyhole runs, or
// a field it needs is missing. Each carries the environment's name, so
// that its tokens are cached apart from another environment's.
func (s *Set) Providers(name string, vars map[string]string) ([]*config.Provider, []Note) {
	var ps []*config.Provider
	var notes []Note
	for _, a := range mergeAuth(s.layers(name)) {
		p, why := a.provider(name, vars)
		if why != "" {
			notes = append(notes, Note{Path: a.Path, Line: a.Line, Text: fmt.Sprintf("Security.Auth.%s not used: %s", a.ID, why)})
			continue
		}
		p.Line = a.Line
		ps = append(ps, p)
	}
	return ps, notes
}

// inFieldNames says a provider's config error in the env file's terms:
// the message and hint, with keyhole's key names as JetBrains names them.
func inFieldNames(err error) string {
	var ce *config.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	text := ce.Msg
	if ce.Hint != "" {
		text += " (" + ce.Hint + ")"
	}
	return fieldNames.Replace(text)
}

var fieldNames = strings.NewReplacer("token_url", "Token URL", "auth_url", "Auth URL", "device_url", "Device Auth URL",
	"client_id", "Client ID", "client_secret", "Client Secret", "username", "Username", "password", "Password")
