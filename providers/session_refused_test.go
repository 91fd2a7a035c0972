package providers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// An interactive provider's cached refresh token that the server refuses
// is removed from the file store: neither this session nor the next
// process sends it again (servers with reuse detection revoke the grant for
// that); both need the person, and the error is the server's refusal.
func TestRefusedRefreshTokenLeavesTheStore(t *testing.T) {
	var mu sync.Mutex
	sent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("refresh_token") == "rt-refused" {
			mu.Lock()
			sent++
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"refresh token reused"}`)
	}))
	t.Cleanup(srv.Close)
	p := &providers.Provider{Name: "oidc", Grant: "authorization_code", BaseURL: srv.URL, AuthURL: srv.URL + "/authorize", TokenURL: srv.URL + "/token", ClientID: "app", ClientAuth: "none"}
	dir := t.TempDir()
	open := func() (*providers.Session, providers.Store) {
		store, err := tokencache.NewFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		s, err := providers.NewSession(p, providers.SessionOptions{Client: newClient(t), Now: func() time.Time { return t0 }, Store: store})
		if err != nil {
			t.Fatal(err)
		}
		return s, store
	}
	s, store := open()
	expired := &providers.Token{Access: secret.New("old-access"), Refresh: secret.New("rt-refused"), Type: "Bearer", Obtained: t0.Add(-2 * time.Hour), Expiry: t0.Add(-time.Hour)}
	if err := store.Save(p.CacheKey(store), expired); err != nil {
		t.Fatal(err)
	}

	_, err := s.Token(context.Background())
	var te *providers.TokenError
	if !errors.Is(err, providers.ErrNeedsLogin) || !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("Token with a refused refresh token = %v; want needs-login carrying the server's invalid_grant", err)
	}
	stored, err := store.Load(p.CacheKey(store))
	if err != nil || stored == nil {
		t.Fatalf("the stored record is gone or unreadable: %v, %v", stored, err)
	}
	if !stored.Refresh.IsZero() {
		t.Error("the refused refresh token is still in the store")
	}
	if _, err := s.Token(context.Background()); !errors.Is(err, providers.ErrNeedsLogin) {
		t.Errorf("Token again = %v, want needs login", err)
	}
	next, _ := open() // another process
	if _, err := next.Token(context.Background()); !errors.Is(err, providers.ErrNeedsLogin) {
		t.Errorf("Token in the next process = %v, want needs login", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if sent != 1 {
		t.Errorf("the refused refresh token was sent %d times, want once", sent)
	}
}
