package model

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
)

// TestSentRequestAndItsErrorAreMasked: the provider's own client secret,
// typed into a header of no credential name and into a query parameter,
// is masked in the composer; it must be masked too in the request as it
// went out (the Sent lines under the composer), and in the error a send
// that fails shows — as the history file masks it. ctrl+r shows it.
func TestSentRequestAndItsErrorAreMasked(t *testing.T) {
	testEnv(t)
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	cfg, err := providers.Parse("sent.toml", []byte(fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\ntoken_url = %q\n", api.URL, api.URL+"/token")))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { return clientSecret, k == "CS" }, providers.SessionOptions{})
	m := New(Options{Label: "sent.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 240, Height: 60})}
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
	for i, f := range r.frames {
		if strings.Contains(f, clientSecret[:10]) {
			t.Errorf("frame %d holds the client secret:\n%s", i, ansiRE.ReplaceAllString(f, ""))
		}
	}
	r.send(press("ctrl+r"))
	if !strings.Contains(plain(r.m), clientSecret) {
		t.Errorf("ctrl+r does not show the secret in the error:\n%s", plain(r.m))
	}
}

// TestCopyAsCurlErrorIsMasked: y on a path that cannot be exported says
// why on the status line, quoting the path: the client secret typed into
// it is masked there, as in the composer.
func TestCopyAsCurlErrorIsMasked(t *testing.T) {
	testEnv(t)
	const clientSecret = "curl-notice-client-secret-0531"
	cfg, err := providers.Parse("curl.toml", []byte("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"static\"\ntoken = \"curl-notice-token\"\nclient_secret = \"${CS}\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { return clientSecret, k == "CS" }, providers.SessionOptions{})
	m := New(Options{Label: "curl.toml", Backend: b, Redact: true, ConfigPath: "curl.toml", Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 240, Height: 50})}
	r.send(press("enter"))
	r.m.setFocus(paneRequest)
	r.m.composer.SetRequest("GET", "/files/"+clientSecret+"%zz", "", "")
	r.send(press("y"))
	if s := plain(r.m); !strings.Contains(s, "copy as curl:") {
		t.Fatalf("the refusal is not on the status line:\n%s", s)
	}
	for i, f := range r.frames {
		if strings.Contains(f, clientSecret[:10]) {
			t.Errorf("frame %d holds the client secret:\n%s", i, ansiRE.ReplaceAllString(f, ""))
		}
	}
}
