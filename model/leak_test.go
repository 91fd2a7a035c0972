package model

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/emulators"
	"github.com/keyhole-sh/keyhole/providers"
)

// secretForms are the forms a leaked secret would show in
// (attack.LeakForms), as encoding/json escapes it, and in the HTTP Basic
// credentials of the client id and it.
func secretForms(id, secret string) []string {
	return append(append(attack.LeakForms(secret), attack.JSONForms(secret)...), attack.BasicForms(id, secret)...)
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
		base := exchangetest.JSONServer(t, c.status, c.answer)
		fmt.Fprintf(&toml, "\n[providers.%s]\nbase_url = %q\n%s", c.name, base, strings.ReplaceAll(c.provider, "URL", base+"/token"))
	}
	b := configBackend(t, "hostile.toml", toml.String(), env, providers.SessionOptions{})
	r := record(t, b, Options{Label: "hostile.toml", Redact: true}, 200, 50)
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
	r.noLeak(clientSecret, appSecret, varSecret, leakedToken)
}

// TestSecretsNeverLeakThroughAWholeSession drives the TUI through the
// failures that tempt a leak — sys303's secret rides in the token URL and
// its token in the API's query; its token endpoint first fails with a page
// that echoes the URL; maptable's login is refused; a token expires — and
// searches every frame, the history file, every error string and the curl
// export for each secret in every form.
func TestSecretsNeverLeakThroughAWholeSession(t *testing.T) {
	testEnv(t)
	var mu sync.Mutex
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }

	var sysCfg, mapCfg string
	env := map[string]string{}
	var secrets [][2]string // client id, secret
	for _, name := range []string{"sys303", "maptable"} {
		emu, err := emulators.New(name, emulators.Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		h := emu.Handler()
		failOnce := name == "sys303"
		var failMu sync.Mutex
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			failMu.Lock()
			fail := failOnce && strings.Contains(r.URL.Path, "/oauth/token")
			if fail {
				failOnce = false
			}
			failMu.Unlock()
			if fail {
				// A broken gateway that echoes the request, query and all.
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprintf(w, "<html><body>502 upstream failed for %s?%s</body></html>", r.URL.Path, r.URL.RawQuery)
				return
			}
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		for k, v := range emu.Env() {
			env[k] = v
		}
		if name == "sys303" {
			sysCfg = emu.Config(srv.URL)
			secrets = append(secrets, [2]string{env["SYS303_API_KEY"], env["SYS303_SECRET_KEY"]})
		} else {
			// Log in with a wrong secret first: the login is refused.
			mapCfg = emu.Config(srv.URL)
			secrets = append(secrets, [2]string{env["MAPTABLE_APP_ID"], env["MAPTABLE_APP_SECRET"]})
		}
	}
	const wrongSecret = "wrong-app-secret-0123456789"
	secrets = append(secrets, [2]string{env["MAPTABLE_APP_ID"], wrongSecret})
	env["MAPTABLE_APP_SECRET"] = wrongSecret
	hist, err := history.Open(t.TempDir(), 50)
	if err != nil {
		t.Fatal(err)
	}
	b := configBackend(t, "leak.toml", sysCfg+"\n"+mapCfg, env, providers.SessionOptions{Now: clock})
	b.History = hist
	r := record(t, b, Options{Label: "leak.toml", Redact: true, Now: clock}, 120, 40)

	// sys303: the token endpoint fails once (echoing its URL), then works.
	r.send(press("enter"))
	r.send(press("ctrl+s"))
	r.send(press("r"))
	r.send(press("ctrl+s"))
	r.m.focus = paneResponse
	r.send(press("/"))
	for _, k := range "balance" {
		r.send(press(string(k)))
	}
	r.send(press("enter"))
	r.m.focus = paneRequest
	_, copyCmd := r.m.Update(press("y"))
	var exports []string
	for _, msg := range drain(t, copyCmd) {
		exports = append(exports, fmt.Sprint(msg))
	}
	// The token expires: the next send renews it.
	mu.Lock()
	now = now.Add(31 * 24 * time.Hour)
	mu.Unlock()
	r.send(tickMsg(clock()))
	r.send(press("ctrl+s"))
	// maptable: the login is refused with the vendor's message.
	r.m.focus = paneProviders
	r.send(press("down"))
	r.send(press("enter"))
	r.send(press("ctrl+s"))
	r.send(press("?"))
	r.send(press("esc"))

	var errs []string
	for _, e := range r.m.entries {
		if e.err != nil {
			errs = append(errs, e.err.Error())
		}
	}
	if r.m.ex != nil && r.m.ex.Err != nil {
		errs = append(errs, r.m.ex.Err.Error())
	}
	data, err := os.ReadFile(hist.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.List()) < 3 {
		t.Errorf("history holds %d exchanges; the session made more", len(hist.List()))
	}
	places := map[string]string{"history file": string(data), "errors": strings.Join(errs, "\n"), "curl export": strings.Join(exports, "\n")}
	for i, f := range r.frames {
		places[fmt.Sprintf("frame %d", i)] = f
	}
	// The token endpoint's failure and the vendor's refusal were shown.
	all := strings.Join(r.frames, "\n")
	for _, want := range []string{"502", "appId or appSecret"} {
		if !strings.Contains(ansiRE.ReplaceAllString(all, ""), want) {
			t.Errorf("no frame shows %q: the failures did not happen as planned", want)
		}
	}
	for _, s := range secrets {
		for _, form := range secretForms(s[0], s[1]) {
			for where, text := range places {
				if strings.Contains(text, form) {
					t.Errorf("%s holds the secret of %s (as %q)", where, s[0], form)
				}
			}
		}
	}
}

// TestSecretsNeverLeakFromEchoedBodies sends, with redaction on, a request
// whose every part carries a credential — the token, an X-Api-Key, an
// access_token= in the query, a JSON body with client_secret, password
// and the provider's own client secret typed in — to an API that echoes
// all of it back, in a JSON body, in a text body and in a header of its
// own. No frame shows any of them: not the composer, not the response
// body (pretty, raw, filtered), not its headers. ctrl+r shows them, and
// hides them again.
func TestSecretsNeverLeakFromEchoedBodies(t *testing.T) {
	b := echoBackend(t)
	r := record(t, b, Options{Label: "echo.toml", Redact: true}, 200, 80)
	r.send(press("enter"))
	echoSession(r, 200, 80)
	if !strings.Contains(plain(r.m), "client_secret") {
		t.Fatalf("the filtered body is not on screen:\n%s", plain(r.m))
	}
	masked := len(r.frames)
	secrets := []string{clientSecret, accessToken, apiKey, queryToken, typedSecret, typedPass}
	r.noLeak(secrets...)
	// ctrl+r shows them: the masking above is what hid them.
	r.send(press("ctrl+r"))
	shown := plain(r.m)
	for _, s := range []string{typedSecret, typedPass} {
		if !strings.Contains(shown, s) {
			t.Errorf("with secrets shown, the filtered body lacks %q:\n%s", s, shown)
		}
	}
	r.send(press("ctrl+r"))
	for _, s := range secrets {
		if strings.Contains(r.frames[len(r.frames)-1], s[:10]) {
			t.Errorf("after ctrl+r twice, %q shows again", s)
		}
	}
	if masked < 10 {
		t.Errorf("only %d frames were searched", masked)
	}
}

// The secrets of echoBackend: the provider's, the token it issues, and
// what a request typed to the echo API carries.
const (
	clientSecret = "provider-client-secret-0451"
	accessToken  = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlY2hvIn0.echoed-token-signature-0451"
	apiKey       = "api-key-value-typed-0451"
	queryToken   = "query-token-value-0451"
	typedSecret  = "typed-client-secret-0451"
	typedPass    = "typed-password-value-0451"
)

// echoBackend is the provider echo, whose API echoes the request back:
// as JSON, as text (?as=text), and the Authorization in a header of its
// own.
func echoBackend(t *testing.T) *app.Backend {
	t.Helper()
	testEnv(t)
	tokens := exchangetest.JSONServer(t, 200, `{"access_token":"`+accessToken+`","token_type":"Bearer","expires_in":3600}`)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
		if r.URL.Query().Get("as") == "text" {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "you sent %s %s\nAuthorization: %s\nX-Api-Key: %s\n%s\n", r.Method, r.URL, r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"), body)
			return
		}
		var parsed any
		_ = json.Unmarshal(body, &parsed)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"url": "http://" + r.Host + r.URL.String(), "headers": r.Header, "data": string(body), "json": parsed})
	}))
	t.Cleanup(api.Close)
	text := fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.echo]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"echo-client\"\nclient_secret = \"${ECHO_SECRET}\"\ntoken_url = %q\n", api.URL, tokens+"/token")
	b := configBackend(t, "echo.toml", text, map[string]string{"ECHO_SECRET": clientSecret}, providers.SessionOptions{})
	return b
}

// echoSession sends the echo API (echoBackend) a request carrying every
// credential — the token, an X-Api-Key, an access_token= in the query, a
// JSON body with client_secret, password and the provider's own client
// secret typed in — answered as JSON and as text, each scrolled, raw and
// pretty again; then once more, the answer filtered by the path json.
// The screen is w×h.
func echoSession(r *recorder, w, h int) {
	r.t.Helper()
	body := `{"client_secret":"` + typedSecret + `","password":"` + typedPass + `","note":"` + clientSecret + `"}`
	for _, as := range []string{"json", "text"} {
		r.m.composer.SetRequest("POST", "/echo?access_token="+queryToken+"&as="+as, "X-Api-Key: "+apiKey+"\nContent-Type: application/json", body)
		r.send(tea.WindowSizeMsg{Width: w, Height: h})
		r.send(press("ctrl+s"))
		r.m.setFocus(paneResponse)
		for range 4 {
			r.send(press("pgdown"))
		}
		r.send(press("p")) // raw
		r.send(press("p")) // pretty again
	}
	// The path filter digs into the JSON answer.
	r.m.composer.SetRequest("POST", "/echo?access_token="+queryToken, "X-Api-Key: "+apiKey+"\nContent-Type: application/json", body)
	r.send(press("ctrl+s"))
	r.m.setFocus(paneResponse)
	r.send(press("f"))
	for _, k := range "json" {
		r.send(press(string(k)))
	}
	r.send(press("enter"))
}
