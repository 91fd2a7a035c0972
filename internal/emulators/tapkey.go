package emulators

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Tapkey (seed 000): an IdentityServer-style token endpoint at
// /connect/token (login.tapkey.com) and the REST API under /api/v1
// (my.tapkey.com), both on one handler here.

const (
	tapkeyDefaultID     = "tapkey-emulator-client"
	tapkeyDefaultSecret = "tapkey-emulator-secret+/=" // '+', '/' and '=' change under form-urlencoding: see tapkeyClient
	tapkeyDefaultTTL    = time.Hour
	tapkeyIssuer        = "https://login.tapkey.com"
)

// The scopes seed 000 requests; a client may ask for any subset of them.
var tapkeyScopes = []string{"read:owneraccounts", "read:owneraccount:permissions"}

type tapkey struct{ *core }

func newTapkey(o Options) Emulator {
	return &tapkey{newCore("tapkey", o, defaults{tapkeyDefaultID, tapkeyDefaultSecret, tapkeyDefaultTTL, "TAPKEY_CLIENT_ID", "TAPKEY_CLIENT_SECRET"})}
}

func (t *tapkey) Handler() http.Handler { return t.serve(t.route) }

func (t *tapkey) route(w http.ResponseWriter, r *http.Request) {
	// ASP.NET Core routing ignores case, so /api/v1/owners reaches the same
	// action as /api/v1/Owners.
	parts := strings.Split(strings.Trim(strings.ToLower(r.URL.Path), "/"), "/")
	switch {
	case r.URL.Path == "/connect/token":
		t.token(w, r)
	case len(parts) == 3 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "owners":
		t.api(w, r, "read:owneraccounts", func() (int, any) { return http.StatusOK, tapkeyOwners })
	case len(parts) == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "owners" && parts[4] == "grants":
		t.api(w, r, "read:owneraccount:permissions", func() (int, any) {
			if !strings.EqualFold(parts[3], tapkeyOwnerID) {
				return http.StatusNotFound, nil
			}
			return http.StatusOK, tapkeyGrants
		})
	default:
		t.count(kindUnrouted, "")
		w.WriteHeader(http.StatusNotFound) // ASP.NET's 404 has no body
	}
}

// tokenError is the RFC 6749 §5.2 body IdentityServer writes: only "error",
// no description (VENDORS.md: inferred from Tapkey being IdentityServer).
func (t *tapkey) tokenError(w http.ResponseWriter, status int, code, reason string) {
	t.count(kindToken, reason)
	noStore(w)
	if status == http.StatusUnauthorized {
		// RFC 6749 §5.2: a 401 names the scheme the client should use.
		w.Header().Set("WWW-Authenticate", `Basic realm="tapkey"`)
	}
	writeJSON(w, status, map[string]string{"error": code})
}

func (t *tapkey) token(w http.ResponseWriter, r *http.Request) {
	// IdentityServer answers invalid_request to anything but a form POST
	// (TokenEndpoint.ProcessAsync); seed 000 posts a form with requests' data=.
	if r.Method != http.MethodPost || mediaType(r) != "application/x-www-form-urlencoded" {
		t.tokenError(w, http.StatusBadRequest, "invalid_request", ReasonBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil {
		t.tokenError(w, http.StatusBadRequest, "invalid_request", ReasonBadRequest)
		return
	}
	// Client authentication first, as IdentityServer validates the client
	// before the request.
	if reason := t.client(r); reason != "" {
		// invalid_client is 401 as RFC 6749 §5.2 asks when the client tried
		// the Authorization header. (IdentityServer4 itself answers 400 for
		// every token error; the body is the same either way.)
		t.tokenError(w, http.StatusUnauthorized, "invalid_client", reason)
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		// Seed 000 uses client_credentials only; IdentityServer reports a
		// missing grant_type the same way as an unknown one.
		t.tokenError(w, http.StatusBadRequest, "unsupported_grant_type", ReasonUnsupportedGrant)
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	if len(scopes) == 0 {
		// IdentityServer: "If not specified, a token for all explicitly
		// allowed scopes will be issued."
		scopes = slices.Clone(tapkeyScopes)
	}
	for _, s := range scopes {
		if !slices.Contains(tapkeyScopes, s) {
			t.tokenError(w, http.StatusBadRequest, "invalid_scope", ReasonInvalidScope)
			return
		}
	}
	scopes = slices.Compact(slices.Sorted(slices.Values(scopes)))

	now := t.now()
	exp := now.Add(t.ttl)
	tok := t.mintJWT(map[string]any{
		"iss": tapkeyIssuer, "aud": "tapkey_api", "client_id": t.id, "scope": scopes,
		"nbf": now.Unix(), "iat": now.Unix(), "exp": exp.Unix(),
	})
	t.remember(tok, &issued{client: t.id, scopes: scopes, expires: exp})
	t.count(kindToken, "")
	noStore(w)
	// Standard RFC 6749 §5.1 body (VENDORS.md: expires_in inferred).
	writeJSON(w, http.StatusOK, struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		TokenType   string `json:"token_type"`
		Scope       string `json:"scope"`
	}{tok, int64(t.ttl / time.Second), "Bearer", strings.Join(scopes, " ")})
}

// client checks HTTP Basic client authentication, the only method seed 000
// uses (requests' auth=(client_id, client_secret)); reason "" means ok.
// Both halves are form-urlencoded before base64, as RFC 6749 §2.3.1 says and
// IdentityServer's BasicAuthenticationSecretParser decodes them ("+" is a
// space), so a secret with "+" or "/" only matches when the client encodes
// it: keyhole's client_auth = "basic" passes, "basic_raw" does not.
func (t *tapkey) client(r *http.Request) string {
	if r.PostForm.Has("client_secret") || (r.PostForm.Has("client_id") && r.Header.Get("Authorization") == "") {
		// Seed 000 / VENDORS.md: credentials go in the Basic header, not the form.
		return ReasonClientAuthPlace
	}
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Basic") {
		return ReasonInvalidClient
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return ReasonInvalidClient
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return ReasonInvalidClient
	}
	id, err1 := url.PathUnescape(strings.ReplaceAll(id, "+", "%20"))
	secret, err2 := url.PathUnescape(strings.ReplaceAll(secret, "+", "%20"))
	if err1 != nil || err2 != nil || id != t.id || secret != t.secret {
		return ReasonInvalidClient
	}
	if fid := r.PostForm.Get("client_id"); fid != "" && fid != id {
		return ReasonInvalidClient
	}
	return ""
}

// api authenticates an API call the way ASP.NET's JwtBearer handler does
// for Tapkey's API, then requires scope, then answers with body().
func (t *tapkey) api(w http.ResponseWriter, r *http.Request, scope string, body func() (int, any)) {
	if r.Method != http.MethodGet {
		t.count(kindUnrouted, "")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	tok, reason := bearerToken(r)
	var it issued
	if reason == "" {
		it, reason = t.checkAccess(tok, t.now())
	}
	if reason != "" {
		t.count(kindAPI, reason)
		w.Header().Set("WWW-Authenticate", tapkeyChallenge(reason, it.expires))
		w.WriteHeader(http.StatusUnauthorized) // empty body, as ASP.NET
		return
	}
	if !slices.Contains(it.scopes, scope) {
		t.count(kindAPI, ReasonInsufficientScope)
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="insufficient_scope", scope=%q`, scope))
		w.WriteHeader(http.StatusForbidden)
		return
	}
	status, v := body()
	if status != http.StatusOK {
		t.count(kindAPI, ReasonNotFound)
		w.WriteHeader(status)
		return
	}
	t.count(kindAPI, "")
	writeJSON(w, status, v)
}

// tapkeyChallenge is the WWW-Authenticate value for a 401. Seed 000's whole
// point is the 401 for "Authorization: access_token <t>"; it does not show
// the header. A request without a Bearer credential (no header, or another
// scheme such as access_token) gets a bare "Bearer" challenge — RFC 6750
// §3.1 says to send no error code when the request lacks authentication,
// and ASP.NET's JwtBearer does exactly that. A Bearer credential that fails
// ("Bearer Bearer <t>", unknown, expired) gets error="invalid_token".
func tapkeyChallenge(reason string, expired time.Time) string {
	switch reason {
	case ReasonMissingToken, ReasonWrongScheme:
		return "Bearer"
	case ReasonExpiredToken:
		return fmt.Sprintf(`Bearer error="invalid_token", error_description="The token expired at '%s'"`, expired.UTC().Format("01/02/2006 15:04:05"))
	}
	return `Bearer error="invalid_token"`
}

// A small, realistic slice of the Tapkey API (seed 000 calls GET /Owners).
const tapkeyOwnerID = "5f2a9d3c7b1e4f0a8c6d2e1b"

var tapkeyOwners = []map[string]any{{
	"id": tapkeyOwnerID, "name": "Emulated Owner Account", "ownerType": "Organization",
	"created": "2024-01-15T08:30:00Z", "active": true,
}}

var tapkeyGrants = []map[string]any{{
	"id": "7c3e1a9b5d2f4e6a8b0c1d2e", "ownerAccountId": tapkeyOwnerID, "state": "Active",
	"contact":     map[string]any{"identifier": "someone@example.com", "identifierType": "email"},
	"boundLockId": "0a1b2c3d4e5f60718293a4b5", "validFrom": "2024-02-01T00:00:00Z", "validBefore": nil,
}}

func (t *tapkey) Config(baseURL string) string {
	return t.config(baseURL, t.Env(), providerTable{
		title: "Tapkey", seed: "seed 000", api: "/api/v1",
		grant: "client_credentials", token: "/connect/token", clientAuth: "basic",
		keys: `scopes = ["read:owneraccounts", "read:owneraccount:permissions"]
`,
		requests: []sampleRequest{
			{name: "List owners", method: "GET", path: "/Owners"},
			{name: "Grants of the owner account", method: "GET", path: "/Owners/" + tapkeyOwnerID + "/Grants"},
		},
	})
}
