package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// MissingVarError is a ${VAR} reference to an unset environment variable.
type MissingVarError struct {
	Provider string
	Key      string
	Var      string
}

func (e *MissingVarError) Error() string {
	return fmt.Sprintf("provider %s: %s uses ${%s}, which is not set (export %s=...)", e.Provider, e.Key, e.Var, e.Var)
}

// Env looks up an environment variable; os.LookupEnv in production, a map
// in tests.
type Env func(name string) (string, bool)

// OSEnv is the process environment.
func OSEnv() Env { return os.LookupEnv }

// Resolve returns a copy of p with every ${VAR} expanded from env ($${ is a
// literal ${): plain strings, secrets, scopes, and the string values inside
// nested tables (login, refresh, token_response, inject, vars, saved
// requests), as DESIGN.md promises. p itself is not changed. It fails on the
// first unset variable, in file order for keys and sorted order inside
// tables, naming it and the key that uses it; and, with the file and line,
// on a secret a ${VAR} left empty or a URL key a ${VAR} made no URL.
func (p *Provider) Resolve(env Env) (*Provider, error) {
	r := *p
	var firstErr error
	str := func(key string, v *string) {
		if firstErr != nil {
			return
		}
		out, err := expand(*v, env)
		if err != nil {
			firstErr = &MissingVarError{Provider: p.Name, Key: key, Var: err.(missingVar).name}
			return
		}
		if out != *v && secretBearing(key) {
			r.injected = append(r.injected, secret.New(out))
		}
		*v = out
	}
	sec := func(key string, v *secret.String) {
		if v.IsZero() || firstErr != nil {
			return
		}
		plain := v.Reveal()
		str(key, &plain)
		*v = secret.New(plain)
	}
	expanded := func(key, v string) string {
		str(key, &v)
		return v
	}
	// Tables are copied, so p keeps its own.
	strMap := func(key string, m map[string]string) map[string]string { return mapStringMap(key, m, expanded) }
	custom := func(key string, c *CustomRequest) *CustomRequest {
		if c == nil {
			return nil
		}
		out := *c
		str(key+".method", &out.Method)
		str(key+".url", &out.URL)
		out.Headers = strMap(key+".headers", c.Headers)
		out.Query = strMap(key+".query", c.Query)
		if c.JSON != nil {
			out.JSON, _ = MapStrings(key+".json", c.JSON, expanded).(map[string]any)
		}
		out.Form = strMap(key+".form", c.Form)
		return &out
	}
	for _, f := range []struct {
		key string
		v   *string
	}{
		{"title", &r.Title},
		{"tenant", &r.Tenant}, {"cloud", &r.Cloud}, {"domain", &r.Domain},
		{"authorization_server", &r.AuthorizationServer}, {"server_url", &r.ServerURL}, {"realm", &r.Realm},
		{"base_url", &r.BaseURL}, {"issuer", &r.Issuer},
		{"token_url", &r.TokenURL}, {"auth_url", &r.AuthURL}, {"device_url", &r.DeviceURL},
		{"revoke_url", &r.RevokeURL}, {"introspect_url", &r.IntrospectURL},
		{"client_id", &r.ClientID}, {"client_secret_cmd", &r.ClientSecretCmd},
		{"audience", &r.Audience}, {"resource", &r.Resource}, {"username", &r.Username},
		{"rate_limit", &r.RateLimit},
		{"ca_file", &r.CAFile}, {"cert_file", &r.CertFile}, {"key_file", &r.KeyFile},
		{"openapi", &r.OpenAPI}, {"par_url", &r.PARURL},
		{"client_key_file", &r.ClientKeyFile}, {"client_key_id", &r.ClientKeyID}, {"assertion_audience", &r.AssertionAudience},
	} {
		str(f.key, f.v)
	}
	sec("client_secret", &r.ClientSecret)
	sec("password", &r.Password)
	sec("refresh_token", &r.RefreshToken)
	sec("token", &r.Token)
	sec("subject_token", &r.SubjectToken)
	r.Scopes = append([]string(nil), p.Scopes...)
	for i := range r.Scopes {
		str("scopes", &r.Scopes[i])
	}
	if r.commandWritten == nil {
		r.commandWritten = p.Command
		r.injected = append(r.injected, commandSecrets(p.Command, env)...)
	}
	r.Command = append([]string(nil), p.Command...)
	for i := range r.Command {
		str("command", &r.Command[i])
	}
	if p.AuthorizationDetails != nil {
		r.AuthorizationDetails, _ = MapStrings("authorization_details", p.AuthorizationDetails, expanded).([]map[string]any)
	}
	r.TokenParams = strMap("token_params", p.TokenParams)
	r.AuthParams = strMap("auth_params", p.AuthParams)
	if p.AssertionClaims != nil {
		r.AssertionClaims, _ = MapStrings("assertion_claims", p.AssertionClaims, expanded).(map[string]any)
	}
	r.Login = custom("login", p.Login)
	r.Refresh = custom("refresh", p.Refresh)
	if p.TokenResponse != nil {
		tr := *p.TokenResponse
		for _, f := range []struct {
			key string
			v   *string
		}{
			{"access_token", &tr.AccessToken}, {"refresh_token", &tr.RefreshToken}, {"expires_in", &tr.ExpiresIn},
			{"expires_at", &tr.ExpiresAt}, {"token_type", &tr.TokenType}, {"scope", &tr.Scope}, {"ok", &tr.OK}, {"error", &tr.Error},
		} {
			str("token_response."+f.key, f.v)
		}
		r.TokenResponse = &tr
	}
	if p.Inject != nil {
		in := *p.Inject
		str("inject.header", &in.Header)
		str("inject.query", &in.Query)
		if p.Inject.Prefix != nil {
			prefix := *p.Inject.Prefix
			str("inject.prefix", &prefix)
			in.Prefix = &prefix
		}
		r.Inject = &in
	}
	r.Vars = strMap("vars", p.Vars)
	if p.Requests != nil {
		r.Requests = make([]SavedRequest, len(p.Requests))
		for i, req := range p.Requests {
			key := fmt.Sprintf("requests[%d]", i)
			str(key+".name", &req.Name)
			str(key+".method", &req.Method)
			str(key+".path", &req.Path)
			req.Query = strMap(key+".query", req.Query)
			req.Headers = strMap(key+".headers", req.Headers)
			str(key+".body", &req.Body)
			r.Requests[i] = req
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := r.checkPresetResolved(p); err != nil {
		return nil, err
	}
	if err := r.checkResolved(p); err != nil {
		return nil, err
	}
	r.injected = append(r.injected, r.sentSecrets(p)...)
	return &r, nil
}

// secretBearing reports whether a key's expanded value may be a credential
// keyhole cannot name: a vendor login's appSecret, a token_params entry.
// Such values are redacted like client secrets.
func secretBearing(key string) bool {
	for _, prefix := range []string{"login.", "refresh.", "token_params."} {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

type missingVar struct{ name string }

func (m missingVar) Error() string { return "unset variable " + m.name }

// expand replaces ${NAME} with its value; $${ stands for a literal ${.
func expand(s string, env Env) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		name := s[i+2 : i+end]
		v, ok := env(name)
		if !ok {
			return "", missingVar{name}
		}
		b.WriteString(s[:i] + v)
		s = s[i+end+1:]
	}
}
