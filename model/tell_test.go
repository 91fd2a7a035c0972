package model

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// TestRefreshOfAnotherProviderSaysHowItWent: r on a provider the Token
// pane does not show says on the status line how it went; and when the
// new token could not be kept in the cache, that is what it says (the
// next start will want the token again), not only "new token".
func TestRefreshOfAnotherProviderSaysHowItWent(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter")) // demo-cc in use
	w.m = run(t, w.m, press("down"))
	other := w.m.entries[w.m.list.Cursor()]
	if other == w.m.active() {
		t.Fatal("the cursor is on the provider in use")
	}
	w.m = run(t, w.m, press("r"))
	if !strings.HasPrefix(w.m.notice, other.name+": ") {
		t.Fatalf("r on %s: the notice is %q", other.name, w.m.notice)
	}

	w.m = update(t, w.m, press("r"))
	cacheErr := errors.New(other.name + ": the token cache could not keep the new token, so it is used for this run only: disk full")
	tok := &providers.Token{Access: secret.New("a-new-access-token"), Expiry: fixedNow.Add(time.Hour), CacheErr: cacheErr}
	w.m = update(t, w.m, tokenMsg{name: other.name, seq: other.seq, tok: tok})
	if !strings.Contains(w.m.notice, "disk full") {
		t.Errorf("a new token the cache could not keep: the notice is %q", w.m.notice)
	}
}
