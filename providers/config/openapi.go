package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// openAPIHint is what the openapi key wants.
const openAPIHint = `a file path (relative to this config's folder) or an http(s) URL, like "github.json" or "https://api.example.com/openapi.json"`

// checkOpenAPI checks the form of an openapi value, and only its form:
// reading the spec is for the commands that browse it, so that a missing
// or slow spec never stands in the way of a token or a call. A ${VAR} is
// checked once expanded.
func checkOpenAPI(v string) error {
	if v == "" || deferred(v) {
		return nil
	}
	if strings.TrimSpace(v) == "" {
		return errors.New("is blank")
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return errors.New("holds a control character")
	}
	if scheme, _, ok := strings.Cut(v, "://"); ok && !strings.ContainsAny(scheme, `/\.`) {
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
			return fmt.Errorf("%s: URLs are not read, only http and https: %q", scheme, v)
		}
		return CheckURL(strings.ToLower(scheme) + v[len(scheme):])
	}
	return nil
}
