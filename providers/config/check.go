package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/ratelimit"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// Error is a problem in the configuration file, located as precisely
// as the file allows.
type Error struct {
	File string
	Line int    // 0 when unknown
	Key  string // dotted key path, "" when none applies
	Msg  string
	Hint string // what is allowed, or a likely fix
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": %s", e.Key)
	}
	fmt.Fprintf(&b, ": %s", e.Msg)
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	return b.String()
}

var clientAuths = []string{"basic", "basic_raw", "post", "query", "none", AuthPrivateKeyJWT, AuthClientSecretJWT, AuthTLS, AuthSelfSignedTLS}

// reservedAuthParams are the authorization request's parameters keyhole
// sets itself, each a part of what keeps the sign-in safe, with why. From
// auth_params, redirect_uri would send the code elsewhere, state would
// drop the CSRF check, response_type would change the flow (a token in
// the URL), code_challenge(_method) would undo PKCE S256, and client_id
// would have the person approve another client than the one the code is
// exchanged for. Compared without case: a server that reads parameter
// names loosely must not get a second value.
var reservedAuthParams = map[string]string{
	"client_id":             "set client_id instead",
	"redirect_uri":          "the redirect is keyhole's loopback listener; redirect_port sets its port",
	"state":                 "keyhole makes a new random state for each sign-in and checks it",
	"response_type":         "keyhole runs the authorization code flow",
	"code_challenge":        "keyhole makes a new PKCE challenge for each sign-in",
	"code_challenge_method": "keyhole always uses PKCE S256",
}

// ReservedAuthParam reports whether k is one of reservedAuthParams.
func ReservedAuthParam(k string) bool {
	_, ok := reservedAuthParams[strings.ToLower(k)]
	return ok
}

// validate checks what decoding cannot: enumerations, required fields and
// combinations.
func (c *File) validate(data []byte) error {
	errAt := func(key toml.Key, msg, hint string) error {
		return &Error{File: c.Path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: msg, Hint: hint}
	}
	s := c.Settings
	if s.Theme != "" && !slices.Contains([]string{"auto", "dark", "light"}, s.Theme) {
		return errAt(toml.Key{"settings", "theme"}, fmt.Sprintf("unknown theme %q", s.Theme), "allowed: auto, dark, light")
	}
	if s.TokenCache != "" && !slices.Contains([]string{"file", "keyring", "memory"}, s.TokenCache) {
		return errAt(toml.Key{"settings", "token_cache"}, fmt.Sprintf("unknown token cache %q", s.TokenCache), "allowed: file, keyring, memory")
	}
	if s.History != nil && *s.History < 0 {
		return errAt(toml.Key{"settings", "history"}, "must not be negative", "")
	}
	for _, c := range s.Collections {
		if strings.TrimSpace(c) == "" {
			return errAt(toml.Key{"settings", "collections"}, "an empty entry", "files, folders or globs of .http files, relative to this file")
		}
	}
	for _, p := range c.Providers {
		if err := checkProvider(c.Path, data, p, true); err != nil {
			return err
		}
	}
	return c.checkExchangeRefs(data)
}

// checkProvider checks one provider of the file at path: what validate
// checks of each. A provider that comes from an env file has no base_url
// (its token goes where the request names), so requireBase is false there.
func checkProvider(path string, data []byte, p *Provider, requireBase bool) error {
	errAt := func(key toml.Key, msg, hint string) error {
		return &Error{File: path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: msg, Hint: hint}
	}
	key := func(k ...string) toml.Key { return append(toml.Key{"providers", p.Name}, k...) }
	if err := applyPreset(path, data, p); err != nil {
		return err
	}
	if p.Grant == "" {
		return &Error{File: path, Line: p.Line, Key: key().String(), Msg: "missing required key grant", Hint: "allowed: " + strings.Join(grantNames(), ", ")}
	}
	if !p.Grant.Known() {
		return errAt(key("grant"), fmt.Sprintf("unknown grant %q", p.Grant), suggest(string(p.Grant), grantNames()))
	}
	if requireBase && p.BaseURL == "" && !strings.HasPrefix(p.Name, "demo-") {
		return &Error{File: path, Line: p.Line, Key: key().String(), Msg: "missing required key base_url", Hint: "the API's root URL; request paths are joined to it"}
	}
	if err := checkURLs(path, data, p); err != nil {
		return err
	}
	if err := checkOpenAPI(p.OpenAPI); err != nil {
		return errAt(key("openapi"), err.Error(), openAPIHint)
	}
	p.locate(path, data)
	if p.ClientAuth != "" && !slices.Contains(clientAuths, p.ClientAuth) {
		return errAt(key("client_auth"), fmt.Sprintf("unknown client_auth %q", p.ClientAuth), "allowed: "+strings.Join(clientAuths, ", "))
	}
	if !p.ClientSecret.IsZero() && p.ClientSecretCmd != "" {
		return errAt(key("client_secret_cmd"), "both client_secret and client_secret_cmd are set", "keep one")
	}
	if p.Grant == GrantClientCredentials && p.TokenURL == "" && p.Issuer == "" {
		return &Error{File: path, Line: p.Line, Key: key().String(), Msg: "client_credentials needs token_url or issuer", Hint: "token_url = \"https://login.example.com/oauth2/token\""}
	}
	if err := checkExchange(p, errAt, key); err != nil {
		return err
	}
	if p.RateLimit != "" && !strings.Contains(p.RateLimit, "${") {
		if _, err := ratelimit.Parse(p.RateLimit); err != nil {
			return errAt(key("rate_limit"), err.Error(), "like 60/min or 10/s")
		}
	}
	if p.RedirectPort < 0 || p.RedirectPort > 65535 {
		return errAt(key("redirect_port"), "must be between 0 and 65535", "0 picks a free port")
	}
	if err := checkAssertion(errAt, key, p); err != nil {
		return err
	}
	if (p.CertFile == "") != (p.KeyFile == "") && !CertForThumbprint(p) {
		set, missing := "cert_file", "key_file"
		if p.CertFile == "" {
			set, missing = "key_file", "cert_file"
		}
		return errAt(key(set), set+" is set without "+missing, "a client certificate needs both cert_file and key_file (the same path when one PEM file holds both)")
	}
	for _, k := range slices.Sorted(maps.Keys(p.AuthParams)) {
		if why, ok := reservedAuthParams[strings.ToLower(k)]; ok {
			return errAt(key("auth_params", k), "keyhole sets "+strings.ToLower(k)+" itself; auth_params may not replace it", why)
		}
	}
	if in := p.Inject; in != nil && in.Query != "" && (in.Header != "" || in.Prefix != nil) {
		return errAt(key("inject"), "query and header/prefix both set", "inject the token in a header or in a query parameter, not both")
	}
	if err := checkDPoP(p, errAt, key); err != nil {
		return err
	}
	for i, r := range p.Requests {
		if r.Path == "" {
			// Point at this entry's [[...requests]] header, not at the
			// first key of the first entry.
			k := key("requests")
			return &Error{File: path, Line: tomltext.ArrayTableLine(data, k, i), Key: k.String(), Msg: fmt.Sprintf("saved request %d has no path", i+1), Hint: `path = "/items"`}
		}
	}
	return nil
}

// unknownKeyError reports a key the schema does not have, with the closest
// known key as a suggestion.
func unknownKeyError(path string, data []byte, key toml.Key) error {
	known := knownKeys(key)
	hint := suggest(key[len(key)-1], known)
	if hint == "" && len(known) > 0 {
		hint = "allowed: " + strings.Join(known, ", ")
	}
	return &Error{File: path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: "unknown key", Hint: hint}
}

// knownKeys lists the keys allowed beside key's last element.
func knownKeys(key toml.Key) []string {
	var t reflect.Type
	if len(key) > 4 && key[0] == "environments" && key[2] == "providers" {
		// An environment's provider table takes a provider's keys.
		return knownKeys(append(toml.Key{"providers"}, key[3:]...))
	}
	switch {
	case len(key) == 1:
		return []string{"settings", "providers", "environments"}
	case key[0] == "environments" && len(key) == 3:
		t = reflect.TypeFor[envTable]()
	case key[0] == "settings":
		t = reflect.TypeFor[Settings]()
	case key[0] == "providers" && len(key) == 3:
		t = reflect.TypeFor[Provider]()
	case key[0] == "providers" && len(key) == 4:
		switch key[2] {
		case "login", "refresh":
			t = reflect.TypeFor[CustomRequest]()
		case "token_response":
			t = reflect.TypeFor[TokenResponse]()
		case "inject":
			t = reflect.TypeFor[Inject]()
		case "requests":
			t = reflect.TypeFor[SavedRequest]()
		}
	}
	if t == nil {
		return nil
	}
	var out []string
	for f := range t.Fields() {
		if name := f.Tag.Get("toml"); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// suggest returns "did you mean X?" for the closest candidate, if close.
func suggest(got string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(got), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(got)/3) {
		return ""
	}
	return fmt.Sprintf("did you mean %s?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Duration is a Go duration written as a string ("30s", "1h").
type Duration time.Duration

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration (like 30s, 5m, 1h)", b)
	}
	if v < 0 {
		return fmt.Errorf("%q: a duration must not be negative", b)
	}
	*d = Duration(v)
	return nil
}

// Std returns the duration as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Size is a byte count written as a string ("100MB", "512KB", "1GiB").
type Size int64

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Size) UnmarshalText(b []byte) error {
	text := strings.TrimSpace(strings.ToUpper(string(b)))
	units := []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(text, u.suffix) {
			text, mult = strings.TrimSpace(strings.TrimSuffix(text, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size (like 100MB, 512KB)", b)
	}
	*s = Size(n * mult)
	return nil
}
