package emulators_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/emulators"
)

// sys303Query is seed 002's token URL query.
func sys303Query(emu emulators.Emulator) string {
	env := emu.Env()
	return "?" + url.Values{
		"client_id": {env["SYS303_API_KEY"]}, "client_secret": {env["SYS303_SECRET_KEY"]}, "grant_type": {"client_credentials"},
	}.Encode()
}

func TestSys303HappyPathJSONAndForm(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "sys303", emulators.Options{Now: clk.Now})

	// Seed 002's Python sample: empty body labelled JSON; its C# sample:
	// an empty form. Both must work.
	var tok string
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
		headers := []string{"Accept: application/json"}
		if ct != "" {
			headers = append(headers, "Content-Type: "+ct)
		}
		r := do(t, srv, "POST", "/api/v1/oauth/token"+sys303Query(emu), "", headers...)
		wantStatus(t, r, 200)
		if want := clk.Now().Add(30 * 24 * time.Hour).Unix(); int64(num(r, "expires")) != want {
			t.Fatalf("expires %v, want absolute now+30d = %d; body %s", num(r, "expires"), want, r.raw)
		}
		if _, has := r.body["expires_in"]; has || len(r.body) != 2 {
			t.Fatalf("body %s, want exactly access_token and expires", r.raw)
		}
		tok = str(r, "access_token")
		if !strings.HasPrefix(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.") {
			t.Errorf("token %q is not seed 002's JWT shape", tok)
		}
	}

	r := do(t, srv, "GET", "/api/v1/account/balance?access_token="+url.QueryEscape(tok), "")
	wantStatus(t, r, 200)
	ocr := do(t, srv, "POST", "/api/v1/ocr/general_basic?access_token="+url.QueryEscape(tok), form("url", "https://example.com/a.png"),
		"Content-Type: application/x-www-form-urlencoded")
	wantStatus(t, ocr, 200)
	if num(ocr, "words_result_num") != 2 {
		t.Errorf("ocr body %s", ocr.raw)
	}
	wantStats(t, emu.Stats(), emulators.Stats{Requests: 5, TokenOK: 3, APIOK: 2})
}

func TestSys303RejectsCredentialsInTheBody(t *testing.T) {
	emu, srv := start(t, "sys303", emulators.Options{})
	env := emu.Env()
	creds := form("client_id", env["SYS303_API_KEY"], "client_secret", env["SYS303_SECRET_KEY"], "grant_type", "client_credentials")
	for _, c := range []struct{ body, ct string }{
		{creds, "application/x-www-form-urlencoded"},
		{`{"client_id":"` + env["SYS303_API_KEY"] + `","client_secret":"` + env["SYS303_SECRET_KEY"] + `","grant_type":"client_credentials"}`, "application/json"},
	} {
		r := do(t, srv, "POST", "/api/v1/oauth/token", c.body, "Content-Type: "+c.ct)
		wantStatus(t, r, 400)
		if num(r, "error_code") != 100 || str(r, "error_msg") != "Invalid parameter" || !strings.Contains(str(r, "details"), "URL query") {
			t.Errorf("body %s", r.raw)
		}
	}
	// Right query, but a body as well: the documented request has none.
	wantStatus(t, do(t, srv, "POST", "/api/v1/oauth/token"+sys303Query(emu), creds, "Content-Type: application/x-www-form-urlencoded"), 400)
	wantStatus(t, do(t, srv, "POST", "/api/v1/oauth/token"+sys303Query(emu), "{}", "Content-Type: application/json"), 400)
	// Wrong secret: the seed's own error body, code 6.
	bad := do(t, srv, "POST", "/api/v1/oauth/token?client_id="+env["SYS303_API_KEY"]+"&client_secret=nope&grant_type=client_credentials", "")
	wantStatus(t, bad, 401)
	if bad.raw != `{"error_code":6,"error_msg":"No permission to access data","details":null}`+"\n" {
		t.Errorf("bad secret body %s", bad.raw)
	}
	wantStatus(t, do(t, srv, "GET", "/api/v1/oauth/token"+sys303Query(emu), ""), 405)
	wantStats(t, emu.Stats(), emulators.Stats{TokenFailed: map[string]int{
		emulators.ReasonClientAuthPlace: 3, emulators.ReasonBadRequest: 2, emulators.ReasonInvalidClient: 1,
	}})
}

func TestSys303TokenOnlyInTheQuery(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "sys303", emulators.Options{Now: clk.Now, TokenTTL: time.Hour})
	tok := str(do(t, srv, "POST", "/api/v1/oauth/token"+sys303Query(emu), ""), "access_token")

	for _, h := range []string{"Authorization: Bearer " + tok, "Authorization: access_token " + tok} {
		r := do(t, srv, "GET", "/api/v1/account/balance", "", h)
		wantStatus(t, r, 401)
		if num(r, "error_code") != 110 || !strings.Contains(str(r, "details"), "access_token URL query parameter") {
			t.Errorf("token in header: %s", r.raw)
		}
	}
	wantStatus(t, do(t, srv, "GET", "/api/v1/account/balance", ""), 401)
	wantStatus(t, do(t, srv, "GET", "/api/v1/account/balance?access_token=forged", ""), 401)

	clk.Advance(time.Hour)
	exp := do(t, srv, "GET", "/api/v1/account/balance?access_token="+url.QueryEscape(tok), "")
	wantStatus(t, exp, 401)
	if num(exp, "error_code") != 111 || str(exp, "error_msg") != "Access token expired" {
		t.Errorf("expired: %s", exp.raw)
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, APIRejected: map[string]int{
		emulators.ReasonTokenInHeader: 2, emulators.ReasonMissingToken: 1, emulators.ReasonUnknownToken: 1, emulators.ReasonExpiredToken: 1,
	}})
}
