package model

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/providers"
)

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
