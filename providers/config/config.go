// Package config is the provider configuration as written in keyhole's
// TOML file: its schema (settings, providers, grants, environments,
// presets, client authentication, DPoP, PAR and token exchange as
// configured), its decoding with errors that name file, line and key, and
// its resolution (${VAR}s, relative paths, presets, environments layered
// over providers) with the checks and clear-text rules that go with it. It
// gets no token and knows no session: package providers does that.
package config

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// File is a parsed keyhole configuration file.
type File struct {
	// Path is the file the configuration came from ("" for built-in text).
	Path string
	// Settings are the [settings] table with defaults filled in.
	Settings Settings
	// Providers in the order the file defines them.
	Providers []*Provider
	// Environments in the order the file defines them ([environments.NAME]).
	Environments []*Environment
	// ActiveEnv is the environment WithEnvironment applied; "" for none.
	ActiveEnv string
}

// Provider finds a provider by name.
func (c *File) Provider(name string) (*Provider, bool) {
	for _, p := range c.Providers {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Settings is the [settings] table.
type Settings struct {
	Theme         string   `toml:"theme"`
	Redact        *bool    `toml:"redact"`
	TokenCache    string   `toml:"token_cache"`
	RefreshBefore Duration `toml:"refresh_before"`
	MaxBody       Size     `toml:"max_body"`
	History       *int     `toml:"history"`
	// Collections are the .http files, folders and globs of the
	// collection, relative to the config file's folder.
	Collections []string `toml:"collections"`
}

// Defaults for [settings].
const (
	DefaultRefreshBefore = 30 * time.Second
	DefaultMaxBody       = 100 << 20
	DefaultHistory       = 500
	DefaultTimeout       = 30 * time.Second
)

// RedactOn reports whether secrets start masked on screen (the default).
func (s Settings) RedactOn() bool { return s.Redact == nil || *s.Redact }

// Provider is one [providers.NAME] table, as written: strings may still hold
// ${VAR} references, which Resolve expands when the provider is used.
type Provider struct {
	// Name is the table's key; Line is where the table starts in the file.
	Name string `toml:"-"`
	Line int    `toml:"-"`
	// Environment is the environment applied to the provider, "" for none
	// (File.WithEnvironment). It is part of the token's cache key: a
	// token fetched for staging is never used in production.
	Environment string `toml:"-"`

	Title   string `toml:"title"`
	BaseURL string `toml:"base_url"`
	Grant   Grant  `toml:"grant"`

	Issuer        string `toml:"issuer"`
	TokenURL      string `toml:"token_url"`
	AuthURL       string `toml:"auth_url"`
	DeviceURL     string `toml:"device_url"`
	RevokeURL     string `toml:"revoke_url"`
	IntrospectURL string `toml:"introspect_url"`

	ClientID        string        `toml:"client_id"`
	ClientSecret    secret.String `toml:"client_secret"`
	ClientSecretCmd string        `toml:"client_secret_cmd"`
	ClientAuth      string        `toml:"client_auth"`

	// Signed JWTs (RFC 7523), checked in assertion.go: the key that
	// signs private_key_jwt's client assertion and the jwt_bearer grant's
	// assertion (PEM, JWK or JWKS; a relative path is taken from the
	// config's folder), its kid and algorithm, the assertions' aud
	// ("token_url", "issuer" or a URL) and the grant's claims (sub and
	// more).
	ClientKeyFile     string         `toml:"client_key_file"`
	ClientKeyID       string         `toml:"client_key_id"`
	ClientKeyAlg      string         `toml:"client_key_alg"`
	AssertionAudience string         `toml:"assertion_audience"`
	AssertionClaims   map[string]any `toml:"assertion_claims"`

	Scopes      []string          `toml:"scopes"`
	Audience    string            `toml:"audience"`
	Resource    string            `toml:"resource"`
	TokenParams map[string]string `toml:"token_params"`
	AuthParams  map[string]string `toml:"auth_params"`

	RedirectPort int `toml:"redirect_port"`

	Username     string        `toml:"username"`
	Password     secret.String `toml:"password"`
	RefreshToken secret.String `toml:"refresh_token"`
	Token        secret.String `toml:"token"`

	Login         *CustomRequest `toml:"login"`
	Refresh       *CustomRequest `toml:"refresh"`
	TokenResponse *TokenResponse `toml:"token_response"`
	TokenLifetime Duration       `toml:"token_lifetime"`
	Inject        *Inject        `toml:"inject"`

	RateLimit string   `toml:"rate_limit"`
	Timeout   Duration `toml:"timeout"`
	Insecure  bool     `toml:"insecure"`
	CAFile    string   `toml:"ca_file"`
	CertFile  string   `toml:"cert_file"`
	KeyFile   string   `toml:"key_file"`

	// DPoP binds the provider's tokens to a key of keyhole's (RFC 9449):
	// a proof with every token request and every call (checked in dpop.go;
	// package providers makes the proofs). DPoPKeyFile is the key, PEM or
	// JWK, made there when missing; without it the key is kept under the
	// state folder.
	DPoP        bool   `toml:"dpop"`
	DPoPKeyFile string `toml:"dpop_key_file"`

	Vars     map[string]string `toml:"vars"`
	Requests []SavedRequest    `toml:"requests"`

	// The exchange grants (exchange.go). Command is the command
	// grant's program and its arguments, run without a shell.
	Command []string `toml:"command"`
	// token_exchange (RFC 8693): the subject token is another provider's
	// (SubjectProvider) or one of the config's (SubjectToken); an actor
	// token may come from a third. The types are short names (access_token,
	// id_token, jwt...) or URNs.
	SubjectProvider    string        `toml:"subject_provider"`
	SubjectToken       secret.String `toml:"subject_token"`
	SubjectTokenType   string        `toml:"subject_token_type"`
	ActorProvider      string        `toml:"actor_provider"`
	ActorTokenType     string        `toml:"actor_token_type"`
	RequestedTokenType string        `toml:"requested_token_type"`
	// The authorization request (package providers' grant_par.go): PAR
	// pushes it (RFC 9126) to par_url, else to the endpoint discovery names; authorization_details
	// (RFC 9396) go with it and with the token requests.
	PAR                  bool             `toml:"par"`
	PARURL               string           `toml:"par_url"`
	AuthorizationDetails []map[string]any `toml:"authorization_details"`

	// OpenAPI is the API's description, a file (relative to the config's
	// folder, see FilePath) or an http(s) URL. Only the commands that
	// browse operations load it (package spec); the config checks its form.
	OpenAPI string `toml:"openapi"`

	// Preset fills the endpoints and defaults of a common identity
	// provider (package providers/preset) that the table leaves empty;
	// the keys after it are the parameters its URLs are made from.
	// applyPreset records what it filled in presetFilled, so that an
	// environment that changes a parameter gets the URLs made anew.
	Preset              string `toml:"preset"`
	Tenant              string `toml:"tenant"`
	Cloud               string `toml:"cloud"`
	Domain              string `toml:"domain"`
	AuthorizationServer string `toml:"authorization_server"`
	ServerURL           string `toml:"server_url"`
	Realm               string `toml:"realm"`
	presetFilled        map[string]string

	// injected holds the values Resolve put into login, refresh and
	// token_params from the environment, and the credentials those send
	// (see sentSecrets), to be redacted wherever they might show.
	injected []secret.String
	// commandWritten is Command as written, its ${VAR}s unexpanded: what
	// an error quotes (see CommandLine), as an argument may hold a secret.
	commandWritten []string
	// src locates the provider's ${VAR} keys in its file; nil for a
	// provider not parsed from one.
	src *source
}

// DisplayTitle is the title, or the name when there is none.
func (p *Provider) DisplayTitle() string {
	if p.Title != "" {
		return p.Title
	}
	return p.Name
}

// CustomRequest is a vendor's own login or refresh call.
type CustomRequest struct {
	Method  string            `toml:"method"`
	URL     string            `toml:"url"`
	Headers map[string]string `toml:"headers"`
	Query   map[string]string `toml:"query"`
	JSON    map[string]any    `toml:"json"`
	Form    map[string]string `toml:"form"`
}

// MapStrings copies a JSON-like value (a login or refresh body) with f
// applied to every string in it; f is told the dotted key the string
// stands under ("login.json.user.name"; key is the value's own). Tables
// are walked in sorted key order, so f sees the strings in a stable order.
func MapStrings(key string, v any, f func(key, s string) string) any {
	switch x := v.(type) {
	case string:
		return f(key, x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out[k] = MapStrings(key+"."+k, x[k], f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = MapStrings(key, e, f)
		}
		return out
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			out[i], _ = MapStrings(key, e, f).(map[string]any)
		}
		return out
	}
	return v
}

// mapStringMap is MapStrings for a table of strings (headers, a query, a
// form); nil stays nil.
func mapStringMap(key string, m map[string]string, f func(key, s string) string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out[k] = f(key+"."+k, m[k])
	}
	return out
}

// TokenResponse maps a non-standard token response onto a token, each field
// a gjson path.
type TokenResponse struct {
	AccessToken  string `toml:"access_token"`
	RefreshToken string `toml:"refresh_token"`
	ExpiresIn    string `toml:"expires_in"`
	ExpiresAt    string `toml:"expires_at"`
	TokenType    string `toml:"token_type"`
	Scope        string `toml:"scope"`
	OK           string `toml:"ok"`
	Error        string `toml:"error"`
}

// Inject says where a request carries the token.
type Inject struct {
	// Token is which token is sent: "access_token" (the default) or
	// "id_token" (inject.go).
	Token  string  `toml:"token"`
	Header string  `toml:"header"`
	Prefix *string `toml:"prefix"`
	Query  string  `toml:"query"`
}

// SavedRequest is one [[providers.NAME.requests]] entry.
type SavedRequest struct {
	Name    string            `toml:"name"`
	Method  string            `toml:"method"`
	Path    string            `toml:"path"`
	Query   map[string]string `toml:"query"`
	Headers map[string]string `toml:"headers"`
	Body    string            `toml:"body"`
}

// document is the top level of the TOML file.
type document struct {
	Settings     Settings             `toml:"settings"`
	Providers    map[string]*Provider `toml:"providers"`
	Environments map[string]*envTable `toml:"environments"`
}

// LoadFile reads and validates the configuration at path.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates configuration text. path names the source in
// errors. Unknown keys, wrong types and invalid values are Errors that
// name the file, the line and the key.
func Parse(path string, data []byte) (*File, error) {
	var f document
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, decodeError(path, err)
	}
	if err := decodeOverrides(path, &md, f.Environments); err != nil {
		return nil, err
	}
	for _, key := range md.Undecoded() {
		if !freeForm(key) {
			return nil, unknownKeyError(path, data, key)
		}
	}
	// BurntSushi/toml decodes a non-table "providers" value (providers = 5,
	// providers = [...]) into an empty map without complaint, which would
	// leave the user with no providers and no reason why.
	if t := md.Type("providers"); t != "" && t != "Hash" {
		key := toml.Key{"providers"}
		return nil, &Error{File: path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: "must be a table of providers", Hint: "write each one as [providers.NAME]"}
	}
	if t := md.Type("environments"); t != "" && t != "Hash" {
		key := toml.Key{"environments"}
		return nil, &Error{File: path, Line: tomltext.KeyLine(data, key), Key: key.String(), Msg: "must be a table of environments", Hint: "write each one as [environments.NAME]"}
	}
	cfg := &File{Path: path, Settings: f.Settings}
	for _, key := range md.Keys() {
		if len(key) != 2 || key[0] != "providers" {
			continue
		}
		p := f.Providers[key[1]]
		if p == nil || p.Name != "" {
			continue
		}
		p.Name = key[1]
		p.Line = tomltext.TableLine(data, key)
		cfg.Providers = append(cfg.Providers, p)
	}
	// Providers written only as dotted keys have no table key of their own.
	var rest []string
	for name, p := range f.Providers {
		if p.Name == "" {
			p.Name = name
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		p := f.Providers[name]
		p.Line = tomltext.TableLine(data, toml.Key{"providers", name})
		cfg.Providers = append(cfg.Providers, p)
	}
	if err := cfg.validate(data); err != nil {
		return nil, err
	}
	if err := cfg.buildEnvironments(data, &md, f.Environments); err != nil {
		return nil, err
	}
	return cfg, nil
}

// freeForm reports whether key lies inside a table whose keys are the
// user's own: a login or refresh JSON body. BurntSushi/toml decodes those
// into map[string]any but does not mark the keys of nested tables as
// decoded, so without this a body such as json = { user = { id = 1 } }
// would be refused as an unknown key.
func freeForm(key toml.Key) bool {
	if len(key) > 5 && key[0] == "environments" && key[2] == "providers" {
		key = append(toml.Key{"providers"}, key[3:]...) // an environment's override of a provider
	}
	if len(key) > 3 && key[0] == "providers" && (key[2] == "assertion_claims" || key[2] == "authorization_details") {
		return true // the claims are the user's own, nested or not; RFC 9396's objects are the API's own
	}
	return len(key) > 4 && key[0] == "providers" && (key[2] == "login" || key[2] == "refresh") && key[3] == "json"
}

// decodeError turns a toml error into a Error with a position.
func decodeError(path string, err error) error {
	pr := tomltext.DecodeProblem(err)
	return &Error{File: path, Line: pr.Line, Key: pr.Key, Msg: pr.Msg, Hint: pr.Hint}
}

// Injected returns the secrets Resolve put into login, refresh and
// token_params from the environment, and the credentials those send: a
// redactor that masks the provider's secrets needs them too.
func (p *Provider) Injected() []secret.String { return slices.Clone(p.injected) }

// HasTLSSettings reports whether p sets any of insecure, ca_file,
// cert_file or key_file: only such a provider needs a transport of its own.
func (p *Provider) HasTLSSettings() bool {
	return p.Insecure || p.CAFile != "" || p.CertFile != "" || p.KeyFile != ""
}
