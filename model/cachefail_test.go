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
