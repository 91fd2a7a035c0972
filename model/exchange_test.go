package model

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

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
