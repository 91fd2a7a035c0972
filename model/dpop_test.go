package model

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
)

// TestDPoPTokenPaneAndSend: in the TUI, a provider with dpop = true gets
// a DPoP-bound token from a server that demands proofs and nonces, the
// token pane shows what it is bound to (cnf.jkt, this provider's key), a
// request goes out with a proof the server accepts, and no frame ever
// shows a proof.
func TestDPoPTokenPaneAndSend(t *testing.T) {
	srv := dpoptest.NewServer()
	defer srv.Close()
	srv.RequireNonce = true
	b, hist := dpopBackend(t, srv)
	r := record(t, b, Options{Redact: true}, 140, 40)
	r.send(press("enter"))
	m := r.m
	e := m.active()
	if e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	own := e.Session.DPoP().Key.Thumbprint()
	screen := plain(m)
	if !strings.Contains(screen, "DPoP-bound to this provider's key · cnf.jkt "+own) {
		t.Errorf("the token pane does not show the binding:\n%s", screen)
	}
	if strings.Contains(screen, "does not make") {
		t.Errorf("the pane warns that keyhole makes no proof:\n%s", screen)
	}

	m, cmd := startSend(t, m, "/things")
	r.m = m
	for _, msg := range drain(t, cmd) {
		r.send(msg)
	}
	if ex := r.m.ex; ex == nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("the send did not get a 200: %+v\n%s", ex, plain(r.m))
	}
	var proofs []string
	for _, rec := range srv.Records() {
		if rec.Raw != "" {
			proofs = append(proofs, rec.Raw)
		}
	}
	if len(proofs) < 2 {
		t.Fatalf("the server saw %d proofs", len(proofs))
	}
	r.noLeak(append(proofs, e.tok.Access.Reveal())...)
	kept, err := os.ReadFile(hist.Path())
	if err != nil || !strings.Contains(string(kept), "/things") {
		t.Fatalf("history: %v, %q", err, kept)
	}
	for _, p := range proofs {
		if strings.Contains(string(kept), p) || strings.Contains(string(kept), p[len(p)-20:]) {
			t.Error("a proof is in the history file")
		}
	}
}

// dpopBackend is provider api with dpop = true on srv, and a history.
func dpopBackend(t *testing.T, srv *dpoptest.Server) (*app.Backend, *history.History) {
	t.Helper()
	testEnv(t)
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\ndpop = true\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	hist, err := history.Open(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	b.History = hist
	return b, hist
}

// TestDPoPHeaderInSentRequest: the request as it went out — the Sent
// lines under the composer and the history entry — shows the DPoP header
// the transport added, masked like Authorization while redacting, and the
// proof itself only on ctrl+r; reopening the entry from history does not
// copy the masked proof into the composer (a new one is made on send).
func TestDPoPHeaderInSentRequest(t *testing.T) {
	srv := dpoptest.NewServer()
	defer srv.Close()
	b, hist := dpopBackend(t, srv)
	r := record(t, b, Options{Redact: true}, 160, 50)
	r.send(press("enter"))
	if r.m.active().tok == nil {
		t.Fatalf("no token: %v", r.m.active().err)
	}
	m, cmd := startSend(t, r.m, "/things")
	r.m = m
	for _, msg := range drain(t, cmd) {
		r.send(msg)
	}
	if ex := r.m.ex; ex == nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("the send did not get a 200: %+v\n%s", ex, plain(r.m))
	}
	recs := srv.Records()
	proof := recs[len(recs)-1].Raw
	if proof == "" {
		t.Fatal("the API saw no proof")
	}
	screen := plain(r.m)
	if !strings.Contains(screen, "DPoP: ••••") || !strings.Contains(screen, "Authorization: DPoP ••••") {
		t.Errorf("the request as sent lacks its masked DPoP header:\n%s", screen)
	}
	r.noLeak(proof, r.m.active().tok.Access.Reveal())

	kept, err := os.ReadFile(hist.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kept), `"DPoP":["••••"]`) {
		t.Errorf("the history entry lacks the masked DPoP header: %s", kept)
	}
	if strings.Contains(string(kept), proof) || strings.Contains(string(kept), proof[len(proof)-20:]) {
		t.Error("a proof is in the history file")
	}

	r.send(press("ctrl+r"))
	if lines := strings.Join(r.m.sentLines(), "\n"); !strings.Contains(lines, "DPoP: "+proof) {
		t.Errorf("ctrl+r does not show the proof that went out:\n%s", lines)
	}
}

// TestDPoPBindingVerdictFitsNarrowScreen: on an 80×24 terminal the token
// pane is 58 columns wide and cuts longer lines, so what it says about a
// token's DPoP binding must come before the 43-character thumbprint. A
// hostile token endpoint binds its token to a key that is not the
// provider's (dpop = true), or binds one for a provider without dpop: the
// pane says so, and what to do, where a person on 80 columns can read it.
func TestDPoPBindingVerdictFitsNarrowScreen(t *testing.T) {
	const strangerJKT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
	for _, tc := range []struct {
		name, extra, tokenType, want string
	}{
		{"another key", "dpop = true\n", "DPoP", "DPoP-bound to another key: press r for a new token"},
		{"no dpop", "", "Bearer", "DPoP-bound, but this provider has no dpop = true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testEnv(t)
			claims, _ := json.Marshal(map[string]any{"sub": "s", "exp": fixedNow.Add(time.Hour).Unix(), "cnf": map[string]string{"jkt": strangerJKT}})
			access := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","typ":"at+jwt"}`)) + "." +
				base64.RawURLEncoding.EncodeToString(claims) + ".c2ln"
			srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":%q,"token_type":%q,"expires_in":3600}`, access, tc.tokenType)
			})
			b := configBackend(t, "k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\n%s", srv.URL, srv.URL+"/token", tc.extra),
				nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
			r := record(t, b, Options{Redact: true}, 80, 24)
			r.send(press("enter"))
			if e := r.m.active(); e.tok == nil {
				t.Fatalf("no token: %v", e.err)
			}
			if screen := plain(r.m); !strings.Contains(screen, tc.want) {
				t.Errorf("the token pane at 80×24 does not say %q:\n%s", tc.want, screen)
			}
			r.noLeak(access)
		})
	}
}

// TestCopyCurlNoticeNamesDPoPProof: y on a DPoP provider's request copies
// a command that runs keyhole dpop for its proof, and the notice says so
// beside where the token comes from, with or without {{variables}}.
func TestCopyCurlNoticeNamesDPoPProof(t *testing.T) {
	testEnv(t)
	srv := dpoptest.NewServer()
	defer srv.Close()
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\ndpop = true\nvars = { id = \"7\" }\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true, ConfigPath: "k.toml"}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	for _, path := range []string{"/accounts", "/accounts/{{id}}"} {
		r.m.setFocus(paneRequest)
		r.m.composer.SetRequest("GET", path, "", "")
		m, clip := clipboardOf(t, r.m, press("y"))
		r.m = m
		if !strings.Contains(clip, "dpop api GET") {
			t.Fatalf("%s: the copied command runs no keyhole dpop:\n%s\nnotice %q", path, clip, m.notice)
		}
		if !strings.Contains(m.notice, "its DPoP proof from $(keyhole dpop api") {
			t.Errorf("%s: the notice does not say where the proof comes from: %q", path, m.notice)
		}
	}
}
