package providers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// pkceProvider is demo-pkce, resolved.
func (e *demoEnv) pkceProvider(t *testing.T) *config.Provider {
	t.Helper()
	return resolveIn(t, e.cfg, "demo-pkce")
}

// signIn runs demo-pkce's authorization code grant, playing the browser
// (authorizeOnly is in grant_interactive_test.go, deliver in helpers_test.go).
func signIn(t *testing.T, s *providers.Session) *providers.Token {
	t.Helper()
	p, redirect := authorizeOnly(t, s)
	deliver(t, redirect)
	tok, err := p.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func apiStatus(t *testing.T, e *demoEnv, tok *providers.Token) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Access.Reveal())
	resp, err := newClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRotatedRefreshTokenSurvivesTwoProcesses runs two sessions that
// share nothing but the cache folder — two file stores, two locks, as two
// keyhole processes would. The demo rotates refresh tokens strictly: a used
// one presented again revokes the whole grant. When one process refreshes,
// the other must pick up the rotated token from the cache instead of
// spending its stale refresh token.
func TestRotatedRefreshTokenSurvivesTwoProcesses(t *testing.T) {
	e := startDemo(t, time.Minute, nil)
	dir := t.TempDir()
	open := func() providers.Store {
		st, err := tokencache.NewFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	p := e.pkceProvider(t)
	first, err := providers.NewSession(p, providers.SessionOptions{Client: newClient(t), Store: open()})
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, first)

	second, err := providers.NewSession(e.pkceProvider(t), providers.SessionOptions{Client: newClient(t), Store: open()})
	if err != nil {
		t.Fatal(err)
	}
	held, err := second.Peek()
	if err != nil || held == nil || held.Refresh.IsZero() {
		t.Fatalf("the second process does not find the first one's token: %v", err)
	}

	a, err := first.Refresh(context.Background()) // rotates the refresh token
	if err != nil {
		t.Fatal(err)
	}
	b, err := second.Refresh(context.Background()) // holds the old one
	if err != nil {
		t.Fatalf("the second process's refresh failed: %v", err)
	}
	if got := e.grants(t, "refresh_token"); got != 1 {
		t.Errorf("the demo saw %d refresh requests, want 1: the second process spent a stale refresh token", got)
	}
	if !a.Access.Equal(b.Access) {
		t.Error("the second process did not take the rotated token from the cache")
	}
	for name, tok := range map[string]*providers.Token{"first": a, "second": b} {
		if got := apiStatus(t, e, tok); got != http.StatusOK {
			t.Errorf("%s process's token answers %d: the grant was revoked", name, got)
		}
	}
	// Both go on refreshing, in turn.
	if _, err := second.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Refresh(context.Background()); err != nil {
		t.Fatalf("the first process after the second refreshed: %v", err)
	}
}

// TestEditedConfigDoesNotReuseTheCachedToken: the cache key carries a
// fingerprint of the auth settings.
func TestEditedConfigDoesNotReuseTheCachedToken(t *testing.T) {
	e := startDemo(t, time.Minute, nil)
	store, err := tokencache.NewFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	session := func(edit func(*config.Provider)) *providers.Session {
		s, err := providers.NewSession(e.provider(t, edit), providers.SessionOptions{Client: newClient(t), Store: store})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := session(nil).Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	tok, err := session(nil).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Source != providers.SourceCache || e.grants(t, "client_credentials") != 1 {
		t.Fatalf("an unchanged config did not reuse the cached token: source %s, %d requests", tok.Source, e.grants(t, "client_credentials"))
	}
	tok, err = session(func(p *config.Provider) { p.Scopes = []string{"api:read"} }).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Source == providers.SourceCache || e.grants(t, "client_credentials") != 2 {
		t.Errorf("a changed scope reused the cached token: source %s, %d requests", tok.Source, e.grants(t, "client_credentials"))
	}
	if a, b := providers.CacheKey(e.provider(t, nil), store), providers.CacheKey(e.provider(t, func(p *config.Provider) { p.ClientID = "other" }), store); a == b {
		t.Error("a changed client_id keeps the cache key")
	}
}

// startDemoServer serves an already built demo on 127.0.0.1.
func startDemoServer(t *testing.T, d *demo.Server) *demoEnv {
	t.Helper()
	srv := httptest.NewServer(d.Handler())
	t.Cleanup(srv.Close)
	cfg, err := config.Parse("demo.toml", []byte(demo.Config(srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	return &demoEnv{srv: srv, cfg: cfg}
}

func providersSecret(v string) secret.String { return secret.New(v) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

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
	p := &config.Provider{Name: "oidc", Grant: "authorization_code", BaseURL: srv.URL, AuthURL: srv.URL + "/authorize", TokenURL: srv.URL + "/token", ClientID: "app", ClientAuth: "none"}
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
	if err := store.Save(providers.CacheKey(p, store), expired); err != nil {
		t.Fatal(err)
	}

	_, err := s.Token(context.Background())
	var te *providers.TokenError
	if !errors.Is(err, providers.ErrNeedsLogin) || !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("Token with a refused refresh token = %v; want needs-login carrying the server's invalid_grant", err)
	}
	stored, err := store.Load(providers.CacheKey(p, store))
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
