package emulators

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Options configure one emulator. The zero value is valid: every field has a
// per-vendor default, listed in the package documentation.
type Options struct {
	// Now is the clock the emulator judges expiry and rate limits by. Share
	// it with the client under test so time-dependent behaviour runs on an
	// injected clock instead of real waiting. nil means time.Now.
	Now func() time.Time
	// ClientID and ClientSecret are the only credentials the emulator
	// accepts (Tapkey client, sys303 API Key / Secret Key, Azure
	// application, maptable appId / appSecret).
	ClientID, ClientSecret string
	// TokenTTL is the access-token lifetime; 0 means the vendor's
	// documented one (Tapkey 1 h, sys303 30 days, Azure China 3599 s,
	// maptable 8 h).
	TokenTTL time.Duration
	// Tenant and Resource are for azurecn only: the directory the token
	// endpoint answers for and the resource whose "/.default" scope it
	// grants. The defaults are seed 003's GUIDs. Other emulators ignore them.
	Tenant, Resource string
}

// Emulator is one vendor's token endpoint and API on a single handler.
type Emulator interface {
	// Name is the registry name: "tapkey", "sys303", "azurecn", "maptable".
	Name() string
	// Handler serves the token endpoint(s) and the API at the vendor's
	// own paths; mount it at the root of an httptest.Server.
	Handler() http.Handler
	// Config is a ready keyhole [providers.NAME] table (TOML) for this
	// emulator served at baseURL (no trailing slash). Secrets are ${VAR}
	// references; a leading comment lists the values to export.
	Config(baseURL string) string
	// Env is what Config's ${VAR} references must resolve to: variable
	// name to this emulator's value. Tests can t.Setenv each pair.
	Env() map[string]string
	// Stats is a snapshot of what the emulator has seen so far.
	Stats() Stats
}

// Stats counts, at the server, what an emulator saw. Every request lands in
// exactly one of Token*, Refresh*, API* or Unrouted; RateLimited overlays
// them (a 429 is also counted as a failure with ReasonRateLimited).
type Stats struct {
	// Requests is every request the handler saw, whatever the path.
	Requests int
	// TokenOK counts token-endpoint requests (maptable: logins) that got a
	// token; TokenFailed those that did not, by Reason.
	TokenOK     int
	TokenFailed map[string]int
	// RefreshOK and RefreshFailed are the same for a refresh endpoint
	// (maptable only; the others re-run the grant).
	RefreshOK     int
	RefreshFailed map[string]int
	// APIOK counts API calls answered 2xx; APIRejected the others, by Reason.
	APIOK       int
	APIRejected map[string]int
	// RateLimited counts 429 answers on any endpoint.
	RateLimited int
	// Unrouted counts requests to no endpoint, or with a method the
	// endpoint does not serve.
	Unrouted int
}

// TokenRequests is every request the token endpoint saw, ok or not.
func (s Stats) TokenRequests() int { return s.TokenOK + sum(s.TokenFailed) }

// Refreshes is every request the refresh endpoint saw, ok or not.
func (s Stats) Refreshes() int { return s.RefreshOK + sum(s.RefreshFailed) }

// APICalls is every API request, ok or rejected.
func (s Stats) APICalls() int { return s.APIOK + sum(s.APIRejected) }

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Reasons a request was refused, the keys of Stats' failure maps. They name
// the client's mistake, so a test can assert which rule fired.
const (
	ReasonBadRequest        = "bad_request"           // wrong method, content type, body or missing parameter
	ReasonClientAuthPlace   = "client_auth_placement" // credentials sent where this vendor does not read them
	ReasonInvalidClient     = "invalid_client"        // missing, unknown or wrong client credentials
	ReasonUnsupportedGrant  = "unsupported_grant_type"
	ReasonInvalidScope      = "invalid_scope"
	ReasonWrongTenant       = "wrong_tenant"
	ReasonMissingToken      = "missing_token"   // no token where the vendor reads it
	ReasonWrongScheme       = "wrong_scheme"    // e.g. "Authorization: access_token X" (seed 000)
	ReasonDoublePrefix      = "double_prefix"   // "Bearer Bearer X"
	ReasonTokenInHeader     = "token_in_header" // sys303 wants it in the URL query
	ReasonUnknownToken      = "unknown_token"   // not issued here, or the wrong kind of token
	ReasonExpiredToken      = "expired_token"
	ReasonSpentToken        = "spent_refresh_token" // a maptable refresh token used twice
	ReasonInsufficientScope = "insufficient_scope"
	ReasonRateLimited       = "rate_limited"
	ReasonNotFound          = "not_found" // authenticated, but no such resource
)

// constructors in seed order; Names reports the same order.
var constructors = []struct {
	name string
	new  func(Options) Emulator
}{
	{"tapkey", newTapkey},
	{"sys303", newSys303},
	{"azurecn", newAzureCN},
	{"maptable", newMaptable},
}

// Names lists the emulators New knows, in seed order.
func Names() []string {
	out := make([]string, len(constructors))
	for i, c := range constructors {
		out[i] = c.name
	}
	return out
}

// New builds the named emulator.
func New(name string, opts Options) (Emulator, error) {
	if opts.TokenTTL < 0 {
		return nil, fmt.Errorf("emulators: negative TokenTTL %s", opts.TokenTTL)
	}
	for _, c := range constructors {
		if c.name == name {
			return c.new(opts), nil
		}
	}
	return nil, fmt.Errorf("emulators: unknown emulator %q (known: %s)", name, strings.Join(Names(), ", "))
}
