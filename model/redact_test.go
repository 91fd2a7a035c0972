package model

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/providers"
)

// leakForms are the forms a secret would show in (attack.LeakForms), and
// its first ten bytes (a secret cut by an excerpt's end or by the pane's
// edge).
func leakForms(s string) []string { return append(attack.LeakForms(s), s[:10]) }

// hostileServer answers every request with status and body, after
// reading the request.
func hostileServer(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTokenErrorsNeverLeakOnScreen selects, one after the other,
// providers whose token endpoints echo their credentials in the error
// code, in the vendor's code field, in lower-case percent escapes, and
// answer a 500 holding tokens, and searches every frame of the token
// pane for them.
func TestTokenErrorsNeverLeakOnScreen(t *testing.T) {
	testEnv(t)
	const (
		clientSecret = "cs/screen+secret>>>?0123456789"
		appSecret    = "envapp-screen-secret-value"
		varSecret    = "envvar-screen-secret-value"
		leakedToken  = "leaked-access-token-on-screen"
	)
	env := map[string]string{"CLIENT_SECRET": clientSecret, "APP_SECRET": appSecret, "VAR_SECRET": varSecret}
	q := url.QueryEscape(clientSecret)
	cc := "grant = \"client_credentials\"\nclient_id = \"cid\"\nclient_secret = \"${CLIENT_SECRET}\"\ntoken_url = \"URL\"\n"
	cases := []struct {
		name, provider, answer, want string
		status                       int
	}{
		{"oauth2-code", cc, `{"error":"` + clientSecret + `","error_description":"refused here"}`, "refused here", 400},
		{"vendor-code", "grant = \"custom\"\nlogin = { method = \"POST\", url = \"URL\", json = { appSecret = \"${APP_SECRET}\" } }\ntoken_response = { access_token = \"detail.token\", ok = \"code == 0\", error = \"message\" }\n",
			`{"code":"` + appSecret + `","message":"vendor refused"}`, "vendor refused", 200},
		{"lower-hex", cc, `{"error":"invalid_client","error_description":"secret ` + strings.ToLower(q) + ` wrong"}`, "invalid_client", 401},
		{"tokens-in-500", cc + "client_auth = \"basic_raw\"\n", `{"access_token":"` + leakedToken + `","note":"gateway failed"}`, "gateway failed", 500},
		{"var-in-login", "grant = \"custom\"\nvars = { key = \"${VAR_SECRET}\" }\nlogin = { method = \"POST\", url = \"URL\", json = { k = \"{{key}}\" } }\ntoken_response = { access_token = \"token\", error = \"message\" }\n",
			`{"message":"unknown key ` + varSecret + `"}`, "unknown key", 401},
	}
	var toml strings.Builder
	toml.WriteString("[settings]\ntoken_cache = \"memory\"\n")
	for _, c := range cases {
		base := hostileServer(t, c.status, "application/json", c.answer)
		fmt.Fprintf(&toml, "\n[providers.%s]\nbase_url = %q\n%s", c.name, base, strings.ReplaceAll(c.provider, "URL", base+"/token"))
	}
	cfg, err := providers.Parse("hostile.toml", []byte(toml.String()))
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	b := app.NewBackend(cfg, lookup, providers.SessionOptions{})
	m := New(Options{Label: "hostile.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 200, Height: 50})}
	for i, c := range cases {
		r.m.focus = paneProviders
		if i > 0 {
			r.send(press("down"))
		}
		r.send(press("enter"))
		if !strings.Contains(plain(r.m), c.want) {
			t.Errorf("%s: the token pane does not show %q: the failure did not happen as planned:\n%s", c.name, c.want, plain(r.m))
		}
	}
	for i, f := range r.frames {
		for _, s := range []string{clientSecret, appSecret, varSecret, leakedToken} {
			for _, form := range leakForms(s) {
				if strings.Contains(f, form) {
					t.Errorf("frame %d holds %q as %q:\n%s", i, s, form, ansiRE.ReplaceAllString(f, ""))
				}
			}
		}
	}
}

// TestIntrospectionAnswerIsMasked: an introspection endpoint that echoes
// the token and the client secret has them masked in its overlay.
func TestIntrospectionAnswerIsMasked(t *testing.T) {
	testEnv(t)
	const (
		clientSecret = "isecret-77-client-value"
		accessToken  = "itoken-77-access-value"
	)
	tokens := hostileServer(t, 200, "application/json", `{"access_token":"`+accessToken+`","token_type":"Bearer","expires_in":3600}`)
	intro := hostileServer(t, 200, "application/json", `{"active":true,"token":"`+accessToken+`","echo":"`+clientSecret+`","scope":"api:read"}`)
	cfg, err := providers.Parse("i.toml", []byte(fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\ntoken_url = %q\nintrospect_url = %q\n", tokens, tokens+"/token", intro+"/introspect")))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { return clientSecret, k == "CS" }, providers.SessionOptions{})
	m := New(Options{Label: "i.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 160, Height: 50})}
	r.send(press("enter"))
	r.m.setFocus(paneToken)
	r.send(press("i"))
	screen := plain(r.m)
	if !strings.Contains(screen, "api:read") {
		t.Fatalf("the introspection answer is not on screen:\n%s", screen)
	}
	for i, f := range r.frames {
		for _, s := range []string{clientSecret, accessToken} {
			if strings.Contains(f, s[:10]) {
				t.Errorf("frame %d holds %q:\n%s", i, s, ansiRE.ReplaceAllString(f, ""))
			}
		}
	}
}
