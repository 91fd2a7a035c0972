package model

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
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
