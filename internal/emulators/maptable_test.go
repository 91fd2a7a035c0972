package emulators_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/emulators"
)

const jsonCT = "Content-Type: application/json"

func maptableLogin(t *testing.T, emu emulators.Emulator, srv *httptest.Server) reply {
	t.Helper()
	env := emu.Env()
	body, _ := json.Marshal(map[string]string{"appId": env["MAPTABLE_APP_ID"], "appSecret": env["MAPTABLE_APP_SECRET"]})
	return do(t, srv, "POST", "/open/api/v1/auth/", string(body), jsonCT)
}

func maptableRefresh(t *testing.T, srv *httptest.Server, header, body string) reply {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"refreshtoken": body})
	return do(t, srv, "POST", "/open/api/v1/token/refresh/", string(b), jsonCT, "Authorization: "+header)
}

// wantEnvelope checks seed 004's success envelope and returns detail.token
// and detail.refreshToken.
func wantEnvelope(t *testing.T, r reply) (tok, refresh string) {
	t.Helper()
	wantStatus(t, r, 200)
	if num(r, "code") != 0 || str(r, "message") != "OK" || r.body["extra"] != nil || r.body["requestID"] != nil {
		t.Fatalf("envelope %s", r.raw)
	}
	for _, k := range []string{"code", "detail", "extra", "message", "requestID"} {
		if _, ok := r.body[k]; !ok {
			t.Fatalf("envelope lacks %q: %s", k, r.raw)
		}
	}
	tok, refresh = str(r, "detail.token"), str(r, "detail.refreshToken")
	if !strings.HasPrefix(tok, "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.") || !strings.HasPrefix(refresh, "Bearer eyJ") {
		t.Fatalf("tokens must carry seed 004's Bearer prefix: %s", r.raw)
	}
	return tok, refresh
}

func TestMaptableHappyPathAndJWTExpiry(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "maptable", emulators.Options{Now: clk.Now})
	tok, _ := wantEnvelope(t, maptableLogin(t, emu, srv))

	// The only expiry is the JWT's exp: 8 h.
	c := claims(t, strings.TrimPrefix(tok, "Bearer "))
	if int64(c["exp"].(float64)) != clk.Now().Add(8*time.Hour).Unix() {
		t.Errorf("exp %v, want now+8h", c["exp"])
	}
	r := do(t, srv, "GET", "/open/api/v1/workspaces/", "", jsonCT, "Authorization: "+tok)
	wantStatus(t, r, 200)
	if !strings.Contains(r.raw, `"name":"580****9080"`) || num(r, "code") != 0 {
		t.Errorf("workspaces %s", r.raw)
	}
	wantStatus(t, do(t, srv, "GET", "/open/api/v1/workspaces/164/", "", "Authorization: "+tok), 200)
	nf := do(t, srv, "GET", "/open/api/v1/workspaces/999/", "", "Authorization: "+tok)
	wantStatus(t, nf, 404)
	if num(nf, "code") == 0 {
		t.Errorf("404 with code 0: %s", nf.raw)
	}

	clk.Advance(8 * time.Hour)
	exp := do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: "+tok)
	wantStatus(t, exp, 401)
	wantStats(t, emu.Stats(), emulators.Stats{Requests: 5, TokenOK: 1, APIOK: 2, APIRejected: map[string]int{
		emulators.ReasonNotFound: 1, emulators.ReasonExpiredToken: 1,
	}})
}

func TestMaptableHeaderMustCarryTokenAsIssued(t *testing.T) {
	emu, srv := start(t, "maptable", emulators.Options{})
	tok, refresh := wantEnvelope(t, maptableLogin(t, emu, srv))

	for _, c := range []struct{ header, reason string }{
		{"Bearer " + tok, emulators.ReasonDoublePrefix}, // "Bearer Bearer eyJ..."
		{strings.TrimPrefix(tok, "Bearer "), emulators.ReasonWrongScheme},
		{refresh, emulators.ReasonUnknownToken},
	} {
		r := do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: "+c.header)
		wantStatus(t, r, 401)
		if num(r, "code") == 0 || str(r, "message") == "" {
			t.Errorf("%s: body %s", c.reason, r.raw)
		}
	}
	wantStatus(t, do(t, srv, "GET", "/open/api/v1/workspaces/", ""), 401)
	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, APIRejected: map[string]int{
		emulators.ReasonDoublePrefix: 1, emulators.ReasonWrongScheme: 1, emulators.ReasonUnknownToken: 1, emulators.ReasonMissingToken: 1,
	}})
}

// Issued refresh tokens carry "Bearer "; seed 004's example body does not.
func TestMaptableRefreshWithAndWithoutPrefix(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "maptable", emulators.Options{Now: clk.Now, TokenTTL: 90 * time.Second})
	tok1, ref1 := wantEnvelope(t, maptableLogin(t, emu, srv))
	clk.Advance(2 * time.Minute) // access token dead, refresh token alive
	wantStatus(t, do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: "+tok1), 401)

	tok2, ref2 := wantEnvelope(t, maptableRefresh(t, srv, ref1, ref1)) // with the prefix, as issued
	bare := strings.TrimPrefix(ref2, "Bearer ")
	tok3, ref3 := wantEnvelope(t, maptableRefresh(t, srv, bare, bare)) // without, as the seed's example
	_, _ = wantEnvelope(t, maptableRefresh(t, srv, ref3, strings.TrimPrefix(ref3, "Bearer ")))
	for _, tok := range []string{tok2, tok3} {
		wantStatus(t, do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: "+tok), 200)
	}

	// Failures answer HTTP 200 with a non-zero code, like the login.
	fails := []reply{
		maptableRefresh(t, srv, ref1, ref1), // spent: refresh tokens rotate
		maptableRefresh(t, srv, "Bearer "+ref3, "Bearer "+ref3),
		do(t, srv, "POST", "/open/api/v1/token/refresh/", `{"refreshtoken":"`+ref3+`"}`, jsonCT), // no header
	}
	for i, r := range fails {
		wantStatus(t, r, 200)
		if num(r, "code") == 0 || r.body["detail"] != nil {
			t.Errorf("failure %d: %s", i, r.raw)
		}
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, RefreshOK: 3, APIOK: 2,
		APIRejected:   map[string]int{emulators.ReasonExpiredToken: 1},
		RefreshFailed: map[string]int{emulators.ReasonSpentToken: 1, emulators.ReasonUnknownToken: 1, emulators.ReasonMissingToken: 1},
	})
	if emu.Stats().Refreshes() != 6 {
		t.Errorf("Refreshes() = %d, want 6", emu.Stats().Refreshes())
	}
}

func TestMaptableBadLoginIsHTTP200WithCode(t *testing.T) {
	emu, srv := start(t, "maptable", emulators.Options{})
	for _, body := range []string{
		`{"appId":"appid-in-profile-page","appSecret":"wrong"}`,
		`{"appId":"someone-else","appSecret":"6d3a45095e1127d99338f668ccec1f35ff60148a"}`,
		`{"appId":"appid-in-profile-page"}`,
	} {
		r := do(t, srv, "POST", "/open/api/v1/auth/", body, jsonCT)
		wantStatus(t, r, 200)
		if num(r, "code") == 0 || str(r, "message") == "" || r.body["detail"] != nil {
			t.Errorf("%s: %s", body, r.raw)
		}
	}
	// The right credentials as a form: seed 004 sends JSON.
	r := do(t, srv, "POST", "/open/api/v1/auth/", form("appId", "appid-in-profile-page", "appSecret", "6d3a45095e1127d99338f668ccec1f35ff60148a"), formCT)
	if num(r, "code") == 0 {
		t.Errorf("form login accepted: %s", r.raw)
	}
	// Django's trailing slash is part of the path.
	wantStatus(t, do(t, srv, "POST", "/open/api/v1/auth", `{}`, jsonCT), 404)
	wantStats(t, emu.Stats(), emulators.Stats{Unrouted: 1, TokenFailed: map[string]int{
		emulators.ReasonInvalidClient: 2, emulators.ReasonBadRequest: 2,
	}})
}

// Seed 004: 60 requests per minute per app. The login counts (所有接口), so
// login + 59 calls fill the minute and the 61st request gets a 429.
func TestMaptableRateLimitOnInjectedClock(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "maptable", emulators.Options{Now: clk.Now})
	tok, _ := wantEnvelope(t, maptableLogin(t, emu, srv))
	call := func() reply {
		return do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: "+tok)
	}
	for i := 2; i <= 60; i++ {
		clk.Advance(100 * time.Millisecond)
		wantStatus(t, call(), 200)
	}
	r := call() // the 61st request within the minute
	wantStatus(t, r, 429)
	if r.header.Get("Retry-After") != "55" { // the login ages out 60 s after it, 5.9 s in
		t.Errorf("Retry-After %q, want 55", r.header.Get("Retry-After"))
	}
	if num(r, "code") == 0 {
		t.Errorf("429 body %s", r.raw)
	}
	// Unattributable requests are not counted and not limited.
	wantStatus(t, do(t, srv, "GET", "/open/api/v1/workspaces/", "", "Authorization: Bearer "+tok), 401)

	clk.Advance(54 * time.Second)
	r = call()
	wantStatus(t, r, 429)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	clk.Advance(100 * time.Millisecond) // the login is now 60 s old: one slot frees (Retry-After rounds up)
	wantStatus(t, call(), 200)
	wantStatus(t, call(), 429) // and only one
	clk.Advance(time.Minute)
	wantStatus(t, call(), 200)

	s := emu.Stats()
	wantStats(t, s, emulators.Stats{TokenOK: 1, APIOK: 61, RateLimited: 3, APIRejected: map[string]int{
		emulators.ReasonRateLimited: 3, emulators.ReasonDoublePrefix: 1,
	}})
}
