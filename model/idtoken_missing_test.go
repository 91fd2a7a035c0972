package model

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

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
