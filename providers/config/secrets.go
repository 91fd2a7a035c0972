package config

import (
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// A vendor's custom login carries credentials under names keyhole cannot
// know in advance (appSecret, api_password, an Authorization header), and
// token_params may too. This file finds them, so that Resolve registers
// them with the session's redactor and the world-readable-config warning
// names them, whether they are written into the file or come from ${VAR}.

// customString is one string value of a login, a refresh or token_params,
// with its key as the config spells it ("login.json.appSecret").
type customString struct {
	key, value string
}

// customStrings lists the string values of p's login, refresh and
// token_params, keys in sorted order for a stable output.
func (p *Provider) customStrings() []customString {
	var out []customString
	collect := func(key, v string) string {
		out = append(out, customString{key, v})
		return v
	}
	strMap := func(key string, m map[string]string) { mapStringMap(key, m, collect) }
	for _, c := range []struct {
		key string
		req *CustomRequest
	}{{"login", p.Login}, {"refresh", p.Refresh}} {
		if c.req == nil {
			continue
		}
		out = append(out, customString{c.key + ".url", c.req.URL})
		strMap(c.key+".headers", c.req.Headers)
		strMap(c.key+".query", c.req.Query)
		if c.req.JSON != nil {
			MapStrings(c.key+".json", c.req.JSON, collect)
		}
		strMap(c.key+".form", c.req.Form)
	}
	strMap("token_params", p.TokenParams)
	return out
}

// credentialKey reports whether the last part of a config key names a
// credential: a JSON field, header or parameter that carries one.
func credentialKey(key string) bool {
	name := key[strings.LastIndexByte(key, '.')+1:]
	return secret.SensitiveField(name) || secret.SensitiveHeader(name) || secret.SensitiveParam(name)
}

// sensitiveValues are the credential parts of a value under a credential
// key: the whole, and what follows an Authorization scheme. A URL
// (login.url) contributes the values of its credential query parameters.
func sensitiveValues(key, value string) []string {
	if strings.HasSuffix(key, ".url") {
		u, err := url.Parse(value)
		if err != nil {
			return nil
		}
		var out []string
		for k, vs := range u.Query() {
			if secret.SensitiveField(k) || secret.SensitiveParam(k) {
				out = append(out, vs...)
			}
		}
		return out
	}
	if !credentialKey(key) {
		return nil
	}
	out := []string{value}
	if scheme, rest, ok := strings.Cut(value, " "); ok && rest != "" && !strings.ContainsAny(scheme, "={}") {
		out = append(out, rest)
	}
	return out
}

// LiteralSecrets names the keys of p that hold a secret written into the
// config file itself rather than taken from a ${VAR}: client_secret,
// password, token, refresh_token, and the credential values of a custom
// login, refresh or token_params (login.json.appSecret). Keys are given
// as written under [providers.NAME]. p must not be resolved yet.
func (p *Provider) LiteralSecrets() []string {
	var out []string
	for _, f := range []struct {
		key string
		v   string
	}{
		{"client_secret", p.ClientSecret.Reveal()},
		{"password", p.Password.Reveal()},
		{"token", p.Token.Reveal()},
		{"refresh_token", p.RefreshToken.Reveal()},
	} {
		if literal(f.v) {
			out = append(out, f.key)
		}
	}
	for _, cs := range p.customStrings() {
		for _, v := range sensitiveValues(cs.key, cs.value) {
			if literal(v) {
				out = append(out, cs.key)
				break
			}
		}
	}
	return out
}

// literal reports whether a value is written out in the file: not empty,
// not from the environment, not filled in at request time.
func literal(v string) bool {
	return v != "" && !strings.Contains(v, "${") && !strings.Contains(v, "{{")
}

// sentSecrets are the values a resolved provider r sends in its custom
// login, refresh or token_params that are credentials: those under a
// credential key (appSecret, written literally or not), and the vars such
// a request fills in ({{key}}) — every var it sends that came from ${VAR},
// and any var under a credential key. raw is the provider before Resolve,
// which tells which vars came from the environment.
func (r *Provider) sentSecrets(raw *Provider) []secret.String {
	var out []secret.String
	add := func(vs ...string) {
		for _, v := range vs {
			out = append(out, secret.New(v))
		}
	}
	for _, cs := range r.customStrings() {
		sensitive := sensitiveValues(cs.key, cs.value)
		if !strings.Contains(cs.value, "{{") {
			add(sensitive...)
			continue
		}
		for _, name := range TemplateNames(cs.value) {
			v, ok := r.Vars[name]
			if !ok {
				continue
			}
			if len(sensitive) > 0 || strings.Contains(raw.Vars[name], "${") {
				add(v)
			}
		}
	}
	return out
}
