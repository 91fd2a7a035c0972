package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// A token the cache cannot store is still the token the server issued: the
// TUI holds it, and the status line says the cache failed.
func TestTokenKeptWhenTheCacheCannotStoreIt(t *testing.T) {
	testEnv(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"issued-token-%d","token_type":"bearer","expires_in":3600}`, n.Add(1))
	}))
	t.Cleanup(srv.Close)
	store, err := tokencache.NewFile(filepath.Join(t.TempDir(), "keyhole"))
	if err != nil {
		t.Fatal(err)
	}
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.cc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t\"\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }, Store: store})
	m := newTestModel(t, b, nil)
	m = run(t, m, press("enter"))
	// A non-empty folder where the token file is: the next save fails.
	files, _ := filepath.Glob(filepath.Join(store.Dir(), "cc@*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".lock") {
			continue
		}
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(f, "in-the-way"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	m = run(t, m, press("r"))
	e := m.active()
	if e.tok == nil || e.tok.Access.Reveal() != "issued-token-2" || m.state(e) != providers.StateValid {
		t.Fatalf("state %s, err %v: the issued token was dropped", m.state(e), e.err)
	}
	if screen := plain(m); !strings.Contains(screen, "could not keep the new token") {
		t.Errorf("the status line does not say the cache failed:\n%s", screen)
	}
}

// TestTokenThatArrivesExpiredIsNotFetchedEverySecond: an expires_in past
// 10^9 is an absolute time, and one past the year 9999 is in
// milliseconds; either can put the expiry before the token was even
// issued (1978, 2001). Such a token, expired on arrival, was fetched again
// on every tick of the TUI's clock, for as long as it ran: a token just
// obtained is not renewed without the person for a while.
func TestTokenThatArrivesExpiredIsNotFetchedEverySecond(t *testing.T) {
	// Each tick's command starts the next one-second timer, which drain
	// leaves running: let the last ones end before the leak check.
	defer time.Sleep(1100 * time.Millisecond)
	for _, expiresIn := range []string{"253402300800", "1000000001"} {
		t.Run(expiresIn, func(t *testing.T) {
			testEnv(t)
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"past-expiry-token-0412","token_type":"Bearer","expires_in":%s}`, expiresIn)
			}))
			t.Cleanup(srv.Close)
			now := fixedNow
			clock := func() time.Time { return now }
			b := configBackend(t, "past.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\ntoken_url = %q\n", srv.URL, srv.URL+"/token"),
				nil, providers.SessionOptions{Now: clock})
			m := New(Options{Label: "past.toml", Backend: b, Redact: true, Now: clock, Location: time.UTC})
			m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
			m = run(t, m, press("enter"))
			for range 5 {
				now = now.Add(time.Second)
				m = run(t, m, tickMsg(now))
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d token requests in five seconds, want 1:\n%s", n, plain(m))
			}
		})
	}
}
