package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// urlField is one of a provider's keys that hold a URL, by its dotted
// name inside the provider's table.
type urlField struct {
	key   string
	value string
}

// urlFields lists every key of p that holds a URL: each takes only an
// absolute http(s) URL with a host. A URL key added to the schema belongs
// here.
func (p *Provider) urlFields() []urlField {
	f := []urlField{
		{"base_url", p.BaseURL}, {"issuer", p.Issuer}, {"token_url", p.TokenURL}, {"auth_url", p.AuthURL},
		{"device_url", p.DeviceURL}, {"revoke_url", p.RevokeURL}, {"introspect_url", p.IntrospectURL},
		{"par_url", p.PARURL},
	}
	if p.Login != nil {
		f = append(f, urlField{"login.url", p.Login.URL})
	}
	if p.Refresh != nil {
		f = append(f, urlField{"refresh.url", p.Refresh.URL})
	}
	return f
}

// CheckURL accepts an absolute http or https URL with a host, and nothing
// else: not javascript:, file:, a relative path, or text that is no URL.
// A token, a client secret or a browser goes where these point.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL, which the caller quotes
		}
		return fmt.Errorf("not a URL: %q (%v)", raw, err)
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return fmt.Errorf("not an absolute URL: %q", raw)
	default:
		return fmt.Errorf("%s: is not http or https: %q", u.Scheme, raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("no host in %q", raw)
	}
	return nil
}

// deferred reports whether a value can only be checked later: a ${VAR}
// once Resolve has expanded it, a {{name}} template (login, refresh) once
// the request is filled in.
func deferred(value string) bool {
	return strings.Contains(value, "${") || strings.Contains(value, "{{")
}

// urlHint is what a URL key wants.
const urlHint = "an absolute http:// or https:// URL with a host, like https://login.example.com/oauth2/token"

// checkURLs checks p's URL keys whose value is known now, with the file
// and line of the first bad one; deferred ones are checked by Resolve.
func checkURLs(path string, data []byte, p *Provider) error {
	for _, f := range p.urlFields() {
		if f.value == "" || deferred(f.value) {
			continue
		}
		if err := CheckURL(f.value); err != nil {
			key := append(toml.Key{"providers", p.Name}, strings.Split(f.key, ".")...)
			return &Error{File: path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: err.Error(), Hint: urlHint}
		}
	}
	return nil
}
