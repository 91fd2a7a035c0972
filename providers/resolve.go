package providers

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
// literal ${). It fails on the first unset variable, naming it and the key
// that uses it.
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
	strMap := func(key string, m map[string]string) map[string]string {
		if m == nil {
			return nil
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			str(key+"."+k, &v)
			out[k] = v
		}
		return out
	}
	for _, f := range []struct {
		key string
		v   *string
	}{
		{"title", &r.Title}, {"base_url", &r.BaseURL}, {"issuer", &r.Issuer},
		{"token_url", &r.TokenURL}, {"auth_url", &r.AuthURL}, {"device_url", &r.DeviceURL},
		{"revoke_url", &r.RevokeURL}, {"introspect_url", &r.IntrospectURL},
		{"client_id", &r.ClientID}, {"client_secret_cmd", &r.ClientSecretCmd},
		{"audience", &r.Audience}, {"resource", &r.Resource}, {"username", &r.Username},
		{"ca_file", &r.CAFile}, {"cert_file", &r.CertFile}, {"key_file", &r.KeyFile},
	} {
		str(f.key, f.v)
	}
	sec("client_secret", &r.ClientSecret)
	sec("password", &r.Password)
	sec("refresh_token", &r.RefreshToken)
	sec("token", &r.Token)
	r.Scopes = append([]string(nil), p.Scopes...)
	for i := range r.Scopes {
		str("scopes", &r.Scopes[i])
	}
	r.TokenParams = strMap("token_params", p.TokenParams)
	r.AuthParams = strMap("auth_params", p.AuthParams)
	r.Vars = strMap("vars", p.Vars)
	if firstErr != nil {
		return nil, firstErr
	}
	return &r, nil
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
