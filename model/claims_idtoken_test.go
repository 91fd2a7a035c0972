package model

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

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
