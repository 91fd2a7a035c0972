package model

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
)

// TestSavedRequestsListIsMasked: a saved request whose path and query
// carry the provider's client secret, from ${VAR}, shows it masked in the
// saved-requests list (o), as the composer shows it once loaded; ctrl+r
// shows it.
func TestSavedRequestsListIsMasked(t *testing.T) {
	testEnv(t)
	const clientSecret = "saved-list-client-secret-0288"
	cfg, err := providers.Parse("saved.toml", []byte(`[settings]
token_cache = "memory"

[providers.p]
base_url = "http://127.0.0.1:1"
grant = "static"
token = "saved-list-token-0288"
client_secret = "${CS}"

  [[providers.p.requests]]
  name = "with the secret"
  path = "/x?api_key=${CS}&mine=${CS}"
  query = { other = "${CS}" }
`))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { return clientSecret, k == "CS" }, providers.SessionOptions{})
	m := New(Options{Label: "saved.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 200, Height: 50})}
	r.send(press("enter"))
	r.m.setFocus(paneRequest)
	r.send(press("o"))
	if s := plain(r.m); !strings.Contains(s, "with the secret") {
		t.Fatalf("the saved requests are not listed:\n%s", s)
	}
	for i, f := range r.frames {
		for _, form := range leakForms(clientSecret) {
			if strings.Contains(f, form) {
				t.Errorf("frame %d holds the client secret as %q:\n%s", i, form, ansiRE.ReplaceAllString(f, ""))
			}
		}
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, "mine="+clientSecret) {
		t.Errorf("ctrl+r does not show the saved request as written:\n%s", s)
	}
}
