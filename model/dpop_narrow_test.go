package model

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

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
