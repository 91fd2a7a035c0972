package emulators_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/emulators"
)

const tapkeyScope = "read:owneraccounts read:owneraccount:permissions"

// tapkeyBasic is Basic auth the RFC 6749 §2.3.1 way: each half
// form-urlencoded before base64 (what golang.org/x/oauth2 sends).
func tapkeyBasic(emu emulators.Emulator) string {
	env := emu.Env()
	return basic(url.QueryEscape(env["TAPKEY_CLIENT_ID"]), url.QueryEscape(env["TAPKEY_CLIENT_SECRET"]))
}

func TestTapkeyHappyPath(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "tapkey", emulators.Options{Now: clk.Now})

	r := do(t, srv, "POST", "/connect/token", form("grant_type", "client_credentials", "scope", tapkeyScope),
		"Content-Type: application/x-www-form-urlencoded", tapkeyBasic(emu))
	wantStatus(t, r, 200)
	if str(r, "token_type") != "Bearer" || num(r, "expires_in") != 3600 || str(r, "scope") != "read:owneraccount:permissions read:owneraccounts" {
		t.Fatalf("token response %s", r.raw)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	tok := str(r, "access_token")
	if exp := claims(t, tok)["exp"].(float64); int64(exp) != clk.Now().Add(time.Hour).Unix() {
		t.Errorf("JWT exp %v, want now+1h on the injected clock", exp)
	}

	owners := do(t, srv, "GET", "/api/v1/Owners", "", "Authorization: Bearer "+tok)
	wantStatus(t, owners, 200)
	if !strings.Contains(owners.raw, `"name":"Emulated Owner Account"`) {
		t.Fatalf("owners body %s", owners.raw)
	}
	grants := do(t, srv, "GET", "/api/v1/Owners/5f2a9d3c7b1e4f0a8c6d2e1b/Grants", "", "Authorization: Bearer "+tok)
	wantStatus(t, grants, 200)

	wantStats(t, emu.Stats(), emulators.Stats{Requests: 3, TokenOK: 1, APIOK: 2})
	if emu.Stats().TokenRequests() != 1 {
		t.Error("TokenRequests != 1")
	}
}

// Seed 000's whole article: "Authorization: access_token <t>" gets a 401.
func TestTapkeyAccessTokenSchemeIs401(t *testing.T) {
	emu, srv := start(t, "tapkey", emulators.Options{})
	tok := str(do(t, srv, "POST", "/connect/token", form("grant_type", "client_credentials", "scope", tapkeyScope),
		"Content-Type: application/x-www-form-urlencoded", tapkeyBasic(emu)), "access_token")

	for _, h := range []string{"access_token " + tok, "Access_token " + tok} {
		r := do(t, srv, "GET", "/api/v1/Owners", "", "Authorization: "+h)
		wantStatus(t, r, 401)
		if got := r.header.Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("WWW-Authenticate %q, want a bare Bearer challenge (RFC 6750 §3.1)", got)
		}
	}
	r := do(t, srv, "GET", "/api/v1/Owners", "", "Authorization: Bearer Bearer "+tok)
	wantStatus(t, r, 401)
	if got := r.header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
		t.Errorf("doubled prefix: WWW-Authenticate %q", got)
	}
	wantStatus(t, do(t, srv, "GET", "/api/v1/Owners", ""), 401)

	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, APIRejected: map[string]int{
		emulators.ReasonWrongScheme: 2, emulators.ReasonDoublePrefix: 1, emulators.ReasonMissingToken: 1,
	}})
}

func TestTapkeyExpiredTokenOnInjectedClock(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "tapkey", emulators.Options{Now: clk.Now, TokenTTL: 90 * time.Second})
	r := do(t, srv, "POST", "/connect/token", form("grant_type", "client_credentials"),
		"Content-Type: application/x-www-form-urlencoded", tapkeyBasic(emu))
	wantStatus(t, r, 200)
	if num(r, "expires_in") != 90 {
		t.Fatalf("expires_in %v, want the configured 90", num(r, "expires_in"))
	}
	// No scope asked: IdentityServer grants all the client's scopes.
	if str(r, "scope") != "read:owneraccount:permissions read:owneraccounts" {
		t.Errorf("scope %q", str(r, "scope"))
	}
	tok := str(r, "access_token")
	clk.Advance(89 * time.Second)
	wantStatus(t, do(t, srv, "GET", "/api/v1/Owners", "", "Authorization: Bearer "+tok), 200)
	clk.Advance(time.Second)
	e := do(t, srv, "GET", "/api/v1/Owners", "", "Authorization: Bearer "+tok)
	wantStatus(t, e, 401)
	if got := e.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer error="invalid_token", error_description="The token expired at`) {
		t.Errorf("WWW-Authenticate %q", got)
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, APIOK: 1, APIRejected: map[string]int{emulators.ReasonExpiredToken: 1}})
}

func TestTapkeyTokenEndpointErrors(t *testing.T) {
	emu, srv := start(t, "tapkey", emulators.Options{})
	env := emu.Env()
	id, secret := env["TAPKEY_CLIENT_ID"], env["TAPKEY_CLIENT_SECRET"]
	ct := "Content-Type: application/x-www-form-urlencoded"
	ok := form("grant_type", "client_credentials", "scope", tapkeyScope)
	cases := []struct {
		name    string
		body    string
		headers []string
		status  int
		err     string
	}{
		{"secret in the form", form("grant_type", "client_credentials", "client_id", id, "client_secret", secret), []string{ct}, 401, "invalid_client"},
		{"no client auth", ok, []string{ct}, 401, "invalid_client"},
		{"wrong secret", ok, []string{ct, basic(id, "nope")}, 401, "invalid_client"},
		// '+' unencoded decodes to a space, as IdentityServer reads it.
		{"secret not form-urlencoded", ok, []string{ct, basic(id, secret)}, 401, "invalid_client"},
		{"JSON body", `{"grant_type":"client_credentials"}`, []string{"Content-Type: application/json", tapkeyBasic(emu)}, 400, "invalid_request"},
		{"password grant", form("grant_type", "password"), []string{ct, tapkeyBasic(emu)}, 400, "unsupported_grant_type"},
		{"foreign scope", form("grant_type", "client_credentials", "scope", "read:owneraccounts write:locks"), []string{ct, tapkeyBasic(emu)}, 400, "invalid_scope"},
	}
	for _, c := range cases {
		r := do(t, srv, "POST", "/connect/token", c.body, c.headers...)
		if r.status != c.status || r.raw != `{"error":"`+c.err+`"}`+"\n" {
			t.Errorf("%s: %d %s, want %d {\"error\":%q}", c.name, r.status, r.raw, c.status, c.err)
		}
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenFailed: map[string]int{
		emulators.ReasonClientAuthPlace: 1, emulators.ReasonInvalidClient: 3, emulators.ReasonBadRequest: 1,
		emulators.ReasonUnsupportedGrant: 1, emulators.ReasonInvalidScope: 1,
	}})
}

func TestTapkeyInsufficientScope(t *testing.T) {
	emu, srv := start(t, "tapkey", emulators.Options{})
	tok := str(do(t, srv, "POST", "/connect/token", form("grant_type", "client_credentials", "scope", "read:owneraccounts"),
		"Content-Type: application/x-www-form-urlencoded", tapkeyBasic(emu)), "access_token")
	wantStatus(t, do(t, srv, "GET", "/api/v1/owners", "", "Authorization: bearer "+tok), 200) // ASP.NET: case-insensitive
	r := do(t, srv, "GET", "/api/v1/Owners/5f2a9d3c7b1e4f0a8c6d2e1b/Grants", "", "Authorization: Bearer "+tok)
	wantStatus(t, r, 403)
	if !strings.Contains(r.header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
		t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}
}
