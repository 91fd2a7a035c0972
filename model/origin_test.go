package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
)

// TestSendDoesNotFollowARedirectToAnotherOrigin is the API that answers
// 307 with a Location on another origin. Followed, Go would send the
// request again there with the token in a custom inject header (it drops
// only Authorization, Cookie and WWW-Authenticate across origins). The
// TUI shows the 307 instead, as keyhole call does.
func TestSendDoesNotFollowARedirectToAnotherOrigin(t *testing.T) {
	testEnv(t)
	const tok = "origin-bound-token-5150"
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		t.Errorf("the other origin got a request, X-Api-Key %q", r.Header.Get("X-Api-Key"))
	}))
	t.Cleanup(thief.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	cfg, err := providers.Parse("redirect.toml", []byte(fmt.Sprintf(`[providers.api]
base_url = %q
grant = "static"
token = %q
inject = { header = "X-Api-Key", prefix = "" }
`, api.URL, tok)))
	if err != nil {
		t.Fatal(err)
	}
	// No client passed: the backend builds its own, as the TUI does.
	b := NewBackend(cfg, func(string) (string, bool) { return "", false }, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	t.Cleanup(func() {
		for _, p := range b.Providers {
			p.Client.CloseIdleConnections()
		}
	})
	m := newTestModel(t, b, nil)
	m = run(t, m, press("enter"))
	nm, cmd := m.Update(press("ctrl+s"))
	m = update(t, nm.(Model), awaitSent(t, cmd))

	if n := stolen.Load(); n != 0 {
		t.Fatalf("the token went to the other origin %d times", n)
	}
	if m.ex == nil || m.ex.Err != nil || m.ex.Response == nil || m.ex.Response.Status != http.StatusTemporaryRedirect {
		t.Fatalf("want the 307 shown, got %+v", m.ex)
	}
	screen := plain(m)
	for _, want := range []string{"307 Temporary Redirect", "Location:", thief.URL + "/collect", "redirect not followed"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the response pane lacks %q:\n%s", want, screen)
		}
	}
}
