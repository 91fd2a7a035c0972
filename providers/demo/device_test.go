package demo_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/demo/demotest"
)

const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// fastDevice polls every 100 ms by the server's clock. The wire still says
// "interval": 1, so x/oauth2 waits a second before each poll.
func fastDevice() demo.Options { return demo.Options{DeviceInterval: 100 * time.Millisecond} }

func deviceConfig(base string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: demo.DeviceClientID,
		Endpoint: oauth2.Endpoint{
			DeviceAuthURL: base + "/oauth2/device_authorization",
			TokenURL:      base + "/oauth2/token",
			AuthStyle:     oauth2.AuthStyleInParams,
		},
		Scopes: scopes,
	}
}

// deviceAuth starts a device authorization with x/oauth2.
func deviceAuth(t *testing.T, base string, scopes ...string) (*oauth2.Config, *oauth2.DeviceAuthResponse) {
	t.Helper()
	cfg := deviceConfig(base, scopes...)
	da, err := cfg.DeviceAuth(clientCtx(t))
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	return cfg, da
}

// decideDevice plays the person at the browser: it opens pageURL (the
// verification_uri_complete, or /device?user_code= with the code as typed),
// reads the form and presses the button for action ("approve" or "deny").
// The page must accept the decision: every test needs it to go through.
func decideDevice(t *testing.T, pageURL, action string) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	defer c.CloseIdleConnections()
	if err := demotest.DecideDevice(c, pageURL, "", action); err != nil {
		t.Fatal(err)
	}
}

// pollDevice sends one device_code token request by hand, so the test
// controls the timing, and returns the status and the JSON body.
func pollDevice(t *testing.T, base, clientID, deviceCode string) (int, map[string]any) {
	t.Helper()
	resp, body := postForm(t, base+"/oauth2/token", url.Values{
		"grant_type": {deviceGrantType}, "client_id": {clientID}, "device_code": {deviceCode},
	})
	m := map[string]any{}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("token endpoint: %d, not JSON: %s", resp.StatusCode, body)
	}
	return resp.StatusCode, m
}

// wantPollError checks one hand-made poll's RFC 6749 §5.2 error.
func wantPollError(t *testing.T, base, clientID, deviceCode string, status int, code string) map[string]any {
	t.Helper()
	got, m := pollDevice(t, base, clientID, deviceCode)
	if got != status || m["error"] != code || m["error_description"] == "" {
		t.Errorf("poll: %d %v, want %d %s with a description", got, m, status, code)
	}
	if m["access_token"] != nil {
		t.Error("an error response carries an access token")
	}
	return m
}

func TestDeviceFlow(t *testing.T) {
	t.Parallel()
	srv, base := testServer(t, fastDevice())
	ctx := clientCtx(t)
	cfg, da := deviceAuth(t, base, "api:read", "offline_access")

	if !regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`).MatchString(da.UserCode) {
		t.Errorf("user_code = %q, want XXXX-XXXX from the RFC 8628 §6.1 alphabet", da.UserCode)
	}
	if len(da.DeviceCode) < 43 {
		t.Errorf("device_code %d characters, want at least 256 bits of base64url", len(da.DeviceCode))
	}
	if da.VerificationURI != base+"/device" || da.VerificationURIComplete != base+"/device?user_code="+da.UserCode {
		t.Errorf("verification URIs %q, %q", da.VerificationURI, da.VerificationURIComplete)
	}
	if left := time.Until(da.Expiry); left < demo.DefaultDeviceCodeTTL-5*time.Second || left > demo.DefaultDeviceCodeTTL {
		t.Errorf("expires in %v, want about %v", left, demo.DefaultDeviceCodeTTL)
	}
	if da.Interval != 1 {
		t.Errorf("interval = %d, want 100 ms announced as 1", da.Interval)
	}

	// The person types the code in lower case without the dash.
	typed := strings.ToLower(strings.ReplaceAll(da.UserCode, "-", ""))
	decideDevice(t, base+"/device?user_code="+typed, "approve")
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token although offline_access was granted")
	}
	if scope, _ := tok.Extra("scope").(string); scope != "api:read offline_access" {
		t.Errorf("scope = %q", scope)
	}
	if left := time.Until(tok.Expiry); left < demo.DefaultTokenTTL-5*time.Second || left > demo.DefaultTokenTTL+time.Second {
		t.Errorf("expires in %v, want about %v", left, demo.DefaultTokenTTL)
	}
	header, claims := jwtParts(t, tok.AccessToken)
	if header["alg"] != "ES256" {
		t.Errorf("JWT header %v", header)
	}
	for k, v := range map[string]any{"iss": base, "sub": "demo-user", "client_id": demo.DeviceClientID, "scope": "api:read offline_access"} {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != "demo-api" {
		t.Errorf("claim aud = %v", claims["aud"])
	}
	resp, body := call(t, "GET", base+"/api/me", tok.AccessToken, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"sub":"demo-user"`) || !strings.Contains(string(body), `"client_id":"demo-device"`) {
		t.Errorf("/api/me: %d %s", resp.StatusCode, body)
	}

	// x/oauth2 waited the announced second, so it polled exactly once.
	st := srv.Stats()
	if st.Grants["device_code"] != 1 || st.Endpoints["/oauth2/device_authorization"] != 1 || st.Endpoints["/device"] != 2 {
		t.Errorf("Stats() = %+v", st)
	}

	// The refresh token works like demo-pkce's.
	refreshed, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if refreshed.AccessToken == tok.AccessToken || refreshed.RefreshToken == "" {
		t.Error("refresh returned no new pair")
	}
	if _, claims := jwtParts(t, refreshed.AccessToken); claims["sub"] != "demo-user" || claims["client_id"] != demo.DeviceClientID {
		t.Errorf("refreshed claims = %v", claims)
	}

	// Introspection and revocation treat the token like any other.
	var ir map[string]any
	if resp, body := postFormAs(t, demo.CCClientID, demo.CCClientSecret, base+"/oauth2/introspect", url.Values{"token": {refreshed.AccessToken}}); resp.StatusCode != 200 || json.Unmarshal(body, &ir) != nil || ir["active"] != true || ir["client_id"] != demo.DeviceClientID || ir["sub"] != "demo-user" {
		t.Errorf("introspect: %d %s", resp.StatusCode, body)
	}
	resp, body = postForm(t, base+"/oauth2/revoke", url.Values{"token": {refreshed.AccessToken}, "client_id": {demo.DeviceClientID}})
	if resp.StatusCode != 200 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	resp, body = call(t, "GET", base+"/api/me", refreshed.AccessToken, nil)
	wantChallenge(t, resp, body, 401, "invalid_token")
}

func TestDeviceTokenOnce(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, fastDevice())
	_, da := deviceAuth(t, base, "api:read")
	decideDevice(t, da.VerificationURIComplete, "approve")
	status, m := pollDevice(t, base, demo.DeviceClientID, da.DeviceCode)
	if status != 200 || m["access_token"] == nil || m["token_type"] != "bearer" || m["scope"] != "api:read" {
		t.Fatalf("exchange: %d %v", status, m)
	}
	if m["refresh_token"] != nil {
		t.Error("refresh token issued without offline_access")
	}
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "invalid_grant")
	if resp, body := call(t, "GET", base+"/api/me", m["access_token"].(string), nil); resp.StatusCode != 200 {
		t.Errorf("a second exchange must not revoke the first tokens: /api/me %d %s", resp.StatusCode, body)
	}
}

func TestDevicePendingAndSlowDown(t *testing.T) {
	t.Parallel()
	// The server's clock is the test's: "too soon" and "on time" are said
	// by it, not by how fast a busy machine carries the requests.
	const interval = 500 * time.Millisecond
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	wait := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	_, base := testServer(t, demo.Options{DeviceInterval: interval, Now: clock})
	_, da := deviceAuth(t, base, "api:read")

	// The first poll may come at once; one a full interval later is on time.
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")
	wait(interval)
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")
	// A tenth of the interval early is forgiven.
	wait(interval - interval/10)
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")

	// Too soon: slow_down, and the interval is now 5.5 s, so a poll one old
	// interval later is still too soon (RFC 8628 §3.5).
	wait(interval / 2)
	m := wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "slow_down")
	if d, _ := m["error_description"].(string); !strings.Contains(d, "6 s") {
		t.Errorf("slow_down description %q does not give the new interval (6 s, rounded up)", d)
	}
	wait(interval)
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "slow_down")
	// The interval is now 10.5 s: a poll that keeps it is on time again.
	wait(10500 * time.Millisecond)
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")

	// Once approved, the answer comes at once, however fast the poll.
	decideDevice(t, da.VerificationURIComplete, "approve")
	if status, m := pollDevice(t, base, demo.DeviceClientID, da.DeviceCode); status != 200 || m["access_token"] == nil {
		t.Errorf("poll after approval: %d %v", status, m)
	}
}

func TestDeviceDenied(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, fastDevice())
	cfg, da := deviceAuth(t, base, "api:read")
	decideDevice(t, da.VerificationURIComplete, "deny")
	_, err := cfg.DeviceAccessToken(clientCtx(t), da)
	if re := retrieveError(t, err); re.ErrorCode != "access_denied" || re.Response.StatusCode != 400 {
		t.Errorf("DeviceAccessToken after deny: %d %q, want 400 access_denied", re.Response.StatusCode, re.ErrorCode)
	}
	// The page cannot turn a denial into an approval.
	resp, _ := do(t, get(t, da.VerificationURIComplete))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("page for a denied code: %d, want 404", resp.StatusCode)
	}
}

func TestDeviceExpired(t *testing.T) {
	t.Parallel()
	const ttl = 500 * time.Millisecond // room to approve before it expires
	_, base := testServer(t, demo.Options{DeviceCodeTTL: ttl, DeviceInterval: 10 * time.Millisecond})
	_, da := deviceAuth(t, base, "api:read")
	if time.Until(da.Expiry) < 500*time.Millisecond {
		t.Errorf("expires_in announced as %v, want a sub-second lifetime rounded up to 1 s", time.Until(da.Expiry))
	}
	// Approved in time, exchanged too late.
	decideDevice(t, da.VerificationURIComplete, "approve")
	_, pending := deviceAuth(t, base, "api:read")
	time.Sleep(ttl + 20*time.Millisecond)
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "expired_token")
	wantPollError(t, base, demo.DeviceClientID, pending.DeviceCode, 400, "expired_token")
	if resp, _ := do(t, get(t, pending.VerificationURIComplete)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page for an expired code: %d, want 404", resp.StatusCode)
	}
}

func TestDeviceTokenRejected(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, fastDevice())
	_, da := deviceAuth(t, base, "api:read")
	decideDevice(t, da.VerificationURIComplete, "approve")

	// Another client presenting the code: demo-pkce may not use the grant.
	wantPollError(t, base, demo.PKCEClientID, da.DeviceCode, 400, "unauthorized_client")
	wantPollError(t, base, "nobody", da.DeviceCode, 401, "invalid_client")
	wantPollError(t, base, demo.DeviceClientID, "", 400, "invalid_request")
	wantPollError(t, base, demo.DeviceClientID, "not-a-device-code", 400, "invalid_grant")

	if resp, body := postFormAs(t, demo.CCClientID, demo.CCClientSecret, base+"/oauth2/token", url.Values{
		"grant_type": {deviceGrantType}, "device_code": {da.DeviceCode},
	}); resp.StatusCode != 400 || !strings.Contains(string(body), "unauthorized_client") {
		t.Errorf("demo-cc with the code: %d %s", resp.StatusCode, body)
	}

	// None of that spent the code.
	if status, m := pollDevice(t, base, demo.DeviceClientID, da.DeviceCode); status != 200 || m["access_token"] == nil {
		t.Errorf("the right client after the wrong ones: %d %v", status, m)
	}
}

func TestDeviceAuthorizationRejected(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	for _, tc := range []struct {
		name     string
		clientID string
		scopes   []string
		status   int
		code     string
	}{
		{"unknown client", "nobody", nil, 401, "invalid_client"},
		{"unknown scope", demo.DeviceClientID, []string{"api:read", "admin"}, 400, "invalid_scope"},
		{"client without the grant", demo.PKCEClientID, []string{"api:read"}, 400, "unauthorized_client"},
		// No client_id is no client authentication at all (RFC 6749 §5.2).
		{"no client_id", "", nil, 401, "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := deviceConfig(base, tc.scopes...)
			cfg.ClientID = tc.clientID
			da, err := cfg.DeviceAuth(clientCtx(t))
			if err == nil {
				t.Fatalf("got a device code %v, want an error", da.UserCode)
			}
			re := retrieveError(t, err)
			if re.Response.StatusCode != tc.status || re.ErrorCode != tc.code || re.ErrorDescription == "" {
				t.Errorf("%d %q (%s), want %d %s", re.Response.StatusCode, re.ErrorCode, re.Body, tc.status, tc.code)
			}
		})
	}
	if resp, _ := do(t, get(t, base+"/oauth2/device_authorization")); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
}
