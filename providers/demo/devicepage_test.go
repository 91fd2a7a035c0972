package demo_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/demo/demotest"
)

func TestDevicePage(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, fastDevice())
	_, da := deviceAuth(t, base, "api:read", "api:write")

	page := func(query string) (int, string) {
		t.Helper()
		resp, body := do(t, get(t, base+"/device"+query))
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET /device%s: Content-Type %q", query, ct)
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET /device%s may be framed", query)
		}
		return resp.StatusCode, string(body)
	}

	if status, body := page(""); status != 200 || !strings.Contains(body, `name="user_code"`) || strings.Contains(body, "csrf_token") {
		t.Errorf("bare page: %d\n%s", status, body)
	}
	if status, body := page("?user_code=ABCD"); status != 400 || !strings.Contains(body, "8 letters") {
		t.Errorf("malformed code: %d\n%s", status, body)
	}
	if status, body := page("?user_code=BBBB-BBBB"); status != 404 || !strings.Contains(body, "No request") {
		t.Errorf("unknown code: %d\n%s", status, body)
	}
	typed := " " + strings.ToLower(da.UserCode[:4]) + " " + da.UserCode[5:]
	status, body := page("?user_code=" + url.QueryEscape(typed))
	for _, want := range []string{demo.DeviceClientID, "demo-user", "api:read", "api:write", da.UserCode, `value="approve"`, `value="deny"`, "csrf_token"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirm page lacks %q", want)
		}
	}
	if status != 200 {
		t.Fatalf("known code: %d\n%s", status, body)
	}
	csrf := demotest.Field([]byte(body), "csrf_token")
	if csrf == "" {
		t.Fatalf("the confirm page has no csrf_token value:\n%s", body)
	}

	post := func(form url.Values, header ...string) (int, string) {
		t.Helper()
		req := formRequest(t, base+"/device", form)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, body := do(t, req)
		return resp.StatusCode, string(body)
	}
	approve := url.Values{"user_code": {da.UserCode}, "csrf_token": {csrf}, "action": {"approve"}}

	// Forged approvals are refused and leave the request pending.
	noToken := url.Values{"user_code": {da.UserCode}, "action": {"approve"}}
	if status, _ := post(noToken); status != 403 {
		t.Errorf("POST without csrf_token: %d, want 403", status)
	}
	otherCode := url.Values{"user_code": {"BBBB-BBBB"}, "csrf_token": {csrf}, "action": {"approve"}}
	if status, _ := post(otherCode); status != 403 {
		t.Errorf("POST with another code's csrf_token: %d, want 403", status)
	}
	if status, _ := post(approve, "Sec-Fetch-Site", "cross-site"); status != 403 {
		t.Errorf("cross-site POST: %d, want 403", status)
	}
	if status, _ := post(approve, "Origin", "http://evil.example"); status != 403 {
		t.Errorf("POST from another origin: %d, want 403", status)
	}
	if status, _ := post(url.Values{"user_code": {da.UserCode}, "csrf_token": {csrf}, "action": {"maybe"}}); status != 400 {
		t.Errorf("unknown action: %d, want 400", status)
	}
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")

	// The real form, then the same again: the code is decided.
	if status, body := post(approve, "Sec-Fetch-Site", "same-origin", "Origin", base); status != 200 || !strings.Contains(body, "connected") {
		t.Errorf("approve: %d\n%s", status, body)
	}
	if status, _ := post(approve); status != 404 {
		t.Errorf("second approve: %d, want 404", status)
	}
	if status, _ := page("?user_code=" + da.UserCode); status != 404 {
		t.Errorf("page for a decided code: %d, want 404", status)
	}
	if status, m := pollDevice(t, base, demo.DeviceClientID, da.DeviceCode); status != 200 || m["scope"] != "api:read api:write" {
		t.Errorf("exchange: %d %v", status, m)
	}
}

func TestDevicePageNoScopes(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, fastDevice())
	_, da := deviceAuth(t, base)
	resp, body := do(t, get(t, da.VerificationURIComplete))
	if resp.StatusCode != 200 || !strings.Contains(string(body), "no scopes") {
		t.Errorf("page: %d\n%s", resp.StatusCode, body)
	}
	decideDevice(t, da.VerificationURIComplete, "approve")
	status, m := pollDevice(t, base, demo.DeviceClientID, da.DeviceCode)
	if status != 200 || m["refresh_token"] != nil {
		t.Fatalf("exchange: %d %v", status, m)
	}
	// A token without scopes still says who it belongs to.
	if resp, body := call(t, "GET", base+"/api/me", m["access_token"].(string), nil); resp.StatusCode != 200 {
		t.Errorf("/api/me: %d %s", resp.StatusCode, body)
	}
}
