package model

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// TestTokenPaneShowsTheIDToken: with inject = { token = "id_token" } the
// token pane lists the access token and the ID token, each masked, and a
// send carries the ID token; neither shows in any frame.
func TestTokenPaneShowsTheIDToken(t *testing.T) {
	testEnv(t)
	const access, id = "access-tok-Ddd.333", "id-tok-Eee.444-not-the-access-token"
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" {
			fmt.Fprintf(w, `{"access_token":%q,"id_token":%q,"token_type":"bearer","expires_in":3600}`, access, id)
			return
		}
		// A hostile API echoes the credential it got.
		fmt.Fprintf(w, `{"you_sent":%q}`, r.Header.Get("Authorization"))
	})
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.oidc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\ninject = { token = \"id_token\" }\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	dir := t.TempDir()
	hist, err := history.Open(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	b.History = hist
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	screen := plain(r.m)
	for _, want := range []string{"token ••••", "id token ••••", "Authorization: Bearer •••• (added)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	r.m.composer.SetRequest("GET", "/me", "", "")
	r.m.focus = paneRequest
	r.send(press("ctrl+s"))
	var sent []string
	for _, rq := range srv.All() {
		if rq.Path != "/token" {
			sent = append(sent, rq.Header.Get("Authorization"))
		}
	}
	if got := strings.Join(sent, ","); got != "Bearer "+id {
		t.Errorf("the API got Authorization %q, want the ID token", got)
	}
	r.noLeak(access, id)
	// The history holds the exchange, the echoed ID token masked.
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var kept []byte
	for _, f := range files {
		b, _ := os.ReadFile(f)
		kept = append(kept, b...)
	}
	if !strings.Contains(string(kept), "/me") {
		t.Fatalf("the history holds no exchange: %v", files)
	}
	for _, form := range leakForms(id) {
		if strings.Contains(string(kept), form) {
			t.Errorf("the history holds the ID token as %q", form)
		}
	}
}

// TestClaimsShowTheIDTokenSent: with inject = { token = "id_token" } the
// ID token is what the API gets, so v shows its claims — first, and named
// — and the access token's below; neither token shows whole in any frame.
func TestClaimsShowTheIDTokenSent(t *testing.T) {
	testEnv(t)
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	access := seg(`{"alg":"RS256"}`) + "." + seg(`{"sub":"u1","kind":"access-claims-0413"}`) + ".c2lnLWE"
	id := seg(`{"alg":"RS256"}`) + "." + seg(`{"sub":"u1","aud":"c","nonce":"id-claims-0414"}`) + ".c2lnLWk"
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"id_token":%q,"token_type":"bearer","expires_in":3600}`, access, id)
	})
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.oidc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\ninject = { token = \"id_token\" }\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	r.m.setFocus(paneToken)
	r.send(press("v"))
	screen := plain(r.m)
	idAt, accessAt := strings.Index(screen, "id-claims-0414"), strings.Index(screen, "access-claims-0413")
	if idAt < 0 || !strings.Contains(screen, "ID token (the one sent)") {
		t.Fatalf("the claims view does not show the ID token's claims:\n%s", screen)
	}
	if accessAt >= 0 && accessAt < idAt {
		t.Errorf("the access token's claims come before the ID token's:\n%s", screen)
	}
	r.noLeak(access, id)
}

// TestClaimsWithoutToken: v on a provider whose token request failed (a
// command grant whose command exits 3) says there is no token, not that
// the token is not a JWT.
func TestClaimsWithoutToken(t *testing.T) {
	testEnv(t)
	b := configBackend(t, "k.toml", "[providers.cli]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"command\"\ncommand = [\"sh\", \"-c\", \"echo not logged in >&2; exit 3\"]\n",
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok != nil || e.err == nil {
		t.Fatalf("the failing command gave a token, or no error: %v", e.err)
	}
	r.m.setFocus(paneToken)
	r.send(press("v"))
	screen := plain(r.m)
	if strings.Contains(screen, "not a JWT") || !strings.Contains(screen, "no token yet") {
		t.Errorf("the claims view does not say there is no token:\n%s", screen)
	}
}

// TestTokenPaneCountsDownTheIDToken: with inject = { token = "id_token" }
// the token pane's countdown is the ID token's exp (ten minutes), the one
// sent, not the access token's hour; the access token's expiry stays on
// screen as a detail; once the ID token has expired the state says so
// though the access token has not.
func TestTokenPaneCountsDownTheIDToken(t *testing.T) {
	testEnv(t)
	enc := base64.RawURLEncoding.EncodeToString
	id := enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"person","exp":%d}`, fixedNow.Add(10*time.Minute).Unix()))) + ".sig"
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"access-tok-Ggg.666","id_token":%q,"token_type":"bearer","expires_in":3600}`, id)
	})
	now := fixedNow
	clock := func() time.Time { return now }
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.oidc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\ninject = { token = \"id_token\" }\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: clock})
	r := record(t, b, Options{Redact: true, Now: clock}, 160, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	v := r.m.tokenView()
	if !v.HasExpiry || v.Countdown != durfmt.Clock(10*time.Minute) || v.ExpiresAt != "15:19:26" {
		t.Errorf("countdown %q, expires %q, want the ID token's ten minutes, to 15:19:26", v.Countdown, v.ExpiresAt)
	}
	screen := plain(r.m)
	if !strings.Contains(screen, "access token expires 16:09:26 (in "+durfmt.Clock(time.Hour)+")") {
		t.Errorf("the access token's expiry is not on screen:\n%s", screen)
	}
	if st := r.m.state(r.m.active()); st != providers.StateValid {
		t.Errorf("state %v, want valid", st)
	}
	now = fixedNow.Add(11 * time.Minute)
	r.m.now = now
	if st := r.m.state(r.m.active()); st != providers.StateExpired {
		t.Errorf("state %v with the ID token expired, want expired", st)
	}
}

// TestTokenPaneSaysNoIDToken: with inject = { token = "id_token" } and a
// token endpoint that answers without one, the token is valid but nothing
// can be sent: the token pane says so, with what to do, before any send
// fails, and the Authorization preview does not show an empty credential.
// At 80×24 as at 120×40.
func TestTokenPaneSaysNoIDToken(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			testEnv(t)
			const access = "access-tok-Hhh.777"
			srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":3600}`, access)
			})
			b := configBackend(t, "k.toml", fmt.Sprintf("[providers.oidc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\ninject = { token = \"id_token\" }\n", srv.URL, srv.URL+"/token"),
				nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
			r := record(t, b, Options{Redact: true}, size[0], size[1])
			r.send(press("enter"))
			if e := r.m.active(); e.tok == nil {
				t.Fatalf("no token: %v", e.err)
			}
			screen := plain(r.m)
			if !strings.Contains(screen, "warning: inject.token is") || !strings.Contains(screen, "no id_token") {
				t.Errorf("the token pane does not say the answer had no ID token:\n%s", screen)
			}
			if strings.Contains(screen, "Authorization: Bearer  (added)") {
				t.Errorf("the preview shows an empty credential:\n%s", screen)
			}
			r.noLeak(access)
		})
	}
}

// TestTokenPaneShowsTheExchange: a token_exchange provider's token pane
// says whose token it sends to its token endpoint, the one exception to
// the origin rule, and the subject token shows in no frame.
func TestTokenPaneShowsTheExchange(t *testing.T) {
	testEnv(t)
	const subject, exchanged = "subject-tok-Fff.555", "exchanged-tok-Ggg.666"
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "application/json")
		// A hostile server echoes the subject token it was given.
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":600,"echo":%q}`, exchanged, form.Get("subject_token"))
	})
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.ex]\nbase_url = %q\ngrant = \"token_exchange\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\nsubject_provider = \"sub\"\n\n"+
		"[providers.sub]\nbase_url = %q\ngrant = \"static\"\ntoken = %q\n", srv.URL, srv.URL+"/token", srv.URL, subject),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil || e.tok.Access.Reveal() != exchanged {
		t.Fatalf("no exchanged token: %v", e.err)
	}
	last, _ := srv.Last()
	if form, _ := url.ParseQuery(last.Body); form.Get("subject_token") != subject {
		t.Errorf("the token endpoint got subject_token %q", form.Get("subject_token"))
	}
	if screen := plain(r.m); !strings.Contains(screen, "token exchange: sends sub's token to "+srv.URL+"/token") {
		t.Errorf("the token pane does not say where sub's token goes:\n%s", screen)
	}
	r.noLeak(subject, exchanged)
}

// TestTokenPaneNamesTheClientAuthentication: a client that proves itself
// with a signed assertion or a certificate says so beside its grant; one
// with a secret does not.
func TestTokenPaneNamesTheClientAuthentication(t *testing.T) {
	testEnv(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "demo-jwt.pem")
	if err := os.WriteFile(keyFile, demo.JWTClientKey(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf(`[providers.signed]
grant = "client_credentials"
base_url = "https://api.example.com"
token_url = "https://id.example.com/token"
client_id = "demo-jwt"
client_auth = "private_key_jwt"
client_key_file = %q

[providers.secret]
grant = "client_credentials"
base_url = "https://api.example.com"
token_url = "https://id.example.com/token"
client_id = "c"
client_secret = "s"
client_auth = "post"
`, keyFile)
	m := newTestModel(t, configBackend(t, filepath.Join(dir, "k.toml"), text, nil, providers.SessionOptions{}), nil)
	heading := func(i int) string {
		m.list.SetActive(i)
		return m.tokenView().Heading
	}
	if signed := heading(0); !strings.Contains(signed, "signed · client_credentials · private_key_jwt") {
		t.Errorf("signed client's heading %q does not name private_key_jwt", signed)
	}
	if secret := heading(1); secret != "secret · client_credentials" {
		t.Errorf("secret client's heading %q; want no client_auth named", secret)
	}
}

// TestSentTokenKeepsWhereItCameFrom: a send reuses the token held, which
// the session reports as from its cache: the pane then said "from cache"
// of the token it had fetched a moment before.
func TestSentTokenKeepsWhereItCameFrom(t *testing.T) {
	wo := newWorld(t)
	wo.m = run(t, wo.m, press("enter"))
	if screen := plain(wo.m); !strings.Contains(screen, "· fetched") {
		t.Fatalf("the token just fetched does not say so:\n%s", screen)
	}
	wo.m.composer.SetRequest("GET", "/api/me", "", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	if wo.m.ex == nil || wo.m.ex.Response == nil {
		t.Fatalf("no answer: %+v", wo.m.ex)
	}
	if screen := plain(wo.m); !strings.Contains(screen, "· fetched") || strings.Contains(screen, "from cache") {
		t.Errorf("after a send with it, the token fetched reads otherwise:\n%s", screen)
	}
}
