package model

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers"
)

// The provider's own client secret, and what a server echoes of it, is
// masked wherever the screen shows it — an overlay, the saved requests,
// the request as sent, an error — and ctrl+r shows it.

// secretScreen is the model on a config of one provider, p, whose
// client_secret is ${CS}, set to clientSecret; keys are p's other keys
// (base_url, grant, …), and what follows them in the file.
func secretScreen(t *testing.T, clientSecret, keys string, opts Options, w, h int) *recorder {
	t.Helper()
	testEnv(t)
	text := "[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nclient_secret = \"${CS}\"\n" + keys
	b := configBackend(t, "p.toml", text, map[string]string{"CS": clientSecret}, providers.SessionOptions{})
	return record(t, b, opts, w, h)
}

// introspectionScreen is p with a token endpoint that issues accessToken
// and an introspection endpoint that echoes it and the client secret;
// the token is fetched and its introspection answer opened with i.
func introspectionScreen(t *testing.T, clientSecret, accessToken string, opts Options, w, h int) *recorder {
	t.Helper()
	tokens := exchangetest.JSONServer(t, 200, `{"access_token":"`+accessToken+`","token_type":"Bearer","expires_in":3600}`)
	intro := exchangetest.JSONServer(t, 200, `{"active":true,"token":"`+accessToken+`","echo":"`+clientSecret+`","scope":"api:read"}`)
	r := secretScreen(t, clientSecret, fmt.Sprintf("base_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\ntoken_url = %q\nintrospect_url = %q\n", tokens, tokens+"/token", intro+"/introspect"), opts, w, h)
	r.send(press("enter"))
	r.m.setFocus(paneToken)
	r.send(press("i"))
	return r
}

// TestIntrospectionAnswerIsMasked: an introspection endpoint that echoes
// the token and the client secret has them masked in its overlay.
func TestIntrospectionAnswerIsMasked(t *testing.T) {
	const (
		clientSecret = "isecret-77-client-value"
		accessToken  = "itoken-77-access-value"
	)
	r := introspectionScreen(t, clientSecret, accessToken, Options{Label: "i.toml", Redact: true}, 160, 50)
	screen := plain(r.m)
	if !strings.Contains(screen, "api:read") {
		t.Fatalf("the introspection answer is not on screen:\n%s", screen)
	}
	r.noLeak(clientSecret, accessToken)
}

// TestOverlaysFollowTheRedactionSwitch: the introspection answer opened
// while secrets were shown is masked as soon as ctrl+r masks them, and
// shown again on the next ctrl+r; the decoded claims mask a credential
// field (a "password" claim) like any JSON the screen shows.
func TestOverlaysFollowTheRedactionSwitch(t *testing.T) {
	const (
		clientSecret = "overlay-client-secret-0342"
		claimSecret  = "overlay-claim-password-0342"
	)
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	accessToken := seg(`{"alg":"none"}`) + "." + seg(`{"sub":"overlay-user","password":"`+claimSecret+`"}`) + ".sig0342"
	r := introspectionScreen(t, clientSecret, accessToken, Options{Label: "o.toml", Redact: false}, 200, 50)
	if s := plain(r.m); !strings.Contains(s, "api:read") || !strings.Contains(s, clientSecret) {
		t.Fatalf("with secrets shown, the introspection answer is not on screen whole:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, "api:read") || strings.Contains(s, clientSecret[:10]) || strings.Contains(s, accessToken[:20]) {
		t.Errorf("ctrl+r did not mask the introspection answer:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, clientSecret) {
		t.Errorf("the second ctrl+r did not show the introspection answer again:\n%s", s)
	}
	r.send(press("ctrl+r"))
	r.send(press("esc"))
	r.send(press("v"))
	if s := plain(r.m); !strings.Contains(s, "overlay-user") || strings.Contains(s, claimSecret[:10]) {
		t.Errorf("the claims do not show, masked:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, claimSecret) {
		t.Errorf("ctrl+r does not show the claim:\n%s", s)
	}
}

// TestSavedRequestsListIsMasked: a saved request whose path and query
// carry the provider's client secret, from ${VAR}, shows it masked in the
// saved-requests list (o), as the composer shows it once loaded; ctrl+r
// shows it.
func TestSavedRequestsListIsMasked(t *testing.T) {
	const clientSecret = "saved-list-client-secret-0288"
	r := secretScreen(t, clientSecret, `base_url = "http://127.0.0.1:1"
grant = "static"
token = "saved-list-token-0288"

  [[providers.p.requests]]
  name = "with the secret"
  path = "/x?api_key=${CS}&mine=${CS}"
  query = { other = "${CS}" }
`, Options{Label: "saved.toml", Redact: true}, 200, 50)
	r.send(press("enter"))
	r.m.setFocus(paneRequest)
	r.send(press("o"))
	if s := plain(r.m); !strings.Contains(s, "with the secret") {
		t.Fatalf("the saved requests are not listed:\n%s", s)
	}
	r.noLeak(clientSecret)
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, "mine="+clientSecret) {
		t.Errorf("ctrl+r does not show the saved request as written:\n%s", s)
	}
}

// TestSentRequestAndItsErrorAreMasked: the provider's own client secret,
// typed into a header of no credential name and into a query parameter,
// is masked in the composer; it must be masked too in the request as it
// went out (the Sent lines under the composer), and in the error a send
// that fails shows — as the history file masks it. ctrl+r shows it.
func TestSentRequestAndItsErrorAreMasked(t *testing.T) {
	const clientSecret = "sent-lines-client-secret-0977"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"sent-lines-token-0977","token_type":"Bearer","expires_in":3600}`)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(api.Close)
	// A port nothing listens on: the send fails, and its error quotes
	// the URL.
	dead := faults.ClosedURL(t)
	r := secretScreen(t, clientSecret, fmt.Sprintf("base_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\ntoken_url = %q\n", api.URL, api.URL+"/token"),
		Options{Label: "sent.toml", Redact: true}, 240, 60)
	r.send(press("enter"))
	r.m.composer.SetRequest("GET", "/things?mine="+clientSecret, "X-Client: "+clientSecret, "")
	r.send(press("ctrl+s"))
	if !strings.Contains(plain(r.m), "X-Client: ••••") {
		t.Fatalf("the request as sent is not on screen:\n%s", plain(r.m))
	}
	r.m.composer.SetRequest("GET", dead+"/things?mine="+clientSecret, "", "")
	r.send(press("ctrl+s"))
	if !strings.Contains(plain(r.m), "error: ") {
		t.Fatalf("the failed send is not on screen:\n%s", plain(r.m))
	}
	r.noLeak(clientSecret)
	r.send(press("ctrl+r"))
	if !strings.Contains(plain(r.m), clientSecret) {
		t.Errorf("ctrl+r does not show the secret in the error:\n%s", plain(r.m))
	}
}

// TestCopyAsCurlErrorIsMasked: y on a path that cannot be exported says
// why on the status line, quoting the path: the client secret typed into
// it is masked there, as in the composer.
func TestCopyAsCurlErrorIsMasked(t *testing.T) {
	const clientSecret = "curl-notice-client-secret-0531"
	r := secretScreen(t, clientSecret, "base_url = \"http://127.0.0.1:1\"\ngrant = \"static\"\ntoken = \"curl-notice-token\"\n",
		Options{Label: "curl.toml", Redact: true, ConfigPath: "curl.toml"}, 240, 50)
	r.send(press("enter"))
	r.m.setFocus(paneRequest)
	r.m.composer.SetRequest("GET", "/files/"+clientSecret+"%zz", "", "")
	r.send(press("y"))
	if s := plain(r.m); !strings.Contains(s, "copy as curl:") {
		t.Fatalf("the refusal is not on the status line:\n%s", s)
	}
	r.noLeak(clientSecret)
}
