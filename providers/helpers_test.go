package providers_test

// Helpers that several test files of this package share.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// resolvedProvider parses text and returns its provider name, resolved
// against an empty environment.
func resolvedProvider(t *testing.T, text, name string) *config.Provider {
	t.Helper()
	cfg, err := config.Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return resolveIn(t, cfg, name)
}

// loadConfigIn writes text as dir/keyhole.toml, loads it as keyhole does
// (a relative path in it is taken from dir) and returns its provider
// name, resolved against an empty environment.
func loadConfigIn(t *testing.T, dir, text, name string) *config.Provider {
	t.Helper()
	path := filepath.Join(dir, "keyhole.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return resolveIn(t, cfg, name)
}

// resolveIn returns cfg's provider name, resolved against an empty
// environment.
func resolveIn(t *testing.T, cfg *config.File, name string) *config.Provider {
	t.Helper()
	p, ok := cfg.Provider(name)
	if !ok {
		t.Fatalf("no provider %s", name)
	}
	r, err := p.Resolve(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// gate holds requests to one path until opened, and tells when one
// arrives, so a test can line its callers up behind a token request in
// flight. Open it in a cleanup registered after the server's, so it runs
// first should the test fail early.
type gate struct {
	path    string
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

func newGate(path string) *gate {
	return &gate{path: path, arrived: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == g.path {
			select {
			case g.arrived <- struct{}{}:
			default: // nobody counts arrivals past the buffer
			}
			select {
			case <-g.release:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// sameTokenForAll has n callers ask s for a token at once, and fails the
// test unless each gets one and all get the same. whileAsking, if not nil,
// runs once they are started, before their answers are read: a test lines
// them up behind a gate there, then opens it.
func sameTokenForAll(t *testing.T, s *providers.Session, n int, whileAsking func()) {
	t.Helper()
	start := make(chan struct{})
	toks := make([]*providers.Token, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			toks[i], errs[i] = s.Token(t.Context())
		})
	}
	close(start)
	if whileAsking != nil {
		whileAsking()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !toks[i].Access.Equal(toks[0].Access) {
			t.Errorf("caller %d got a different token", i)
		}
	}
}

// openSignIn starts a sign-in and plays the browser up to the server's
// answer: it opens the authorization URL, follows no redirect, and returns
// the pending grant with the address the server sent the browser back to.
func openSignIn(t *testing.T, s *providers.Session) (*providers.Pending, *url.URL) {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Transport: newClient(t).Transport}
	opened := make(chan string, 1)
	p, err := s.Authorize(context.Background(), providers.AuthorizeOptions{Open: func(u string) error { opened <- u; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := browser.Get(<-opened)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if err != nil {
		t.Fatalf("the server sent the browser nowhere (%s): %v", resp.Status, err)
	}
	return p, back
}

// deliver is the browser arriving at the redirect.
func deliver(t *testing.T, redirect *url.URL) {
	t.Helper()
	resp, err := newClient(t).Get(redirect.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestMain fails the package when a test leaves a goroutine behind (a
// token request that outlives its callers, a server never closed).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// t0 is the injected clock's start, far from the real time so a test that
// reads the wall clock by mistake shows up.
var t0 = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

// clock is a settable clock shared by a session and a test.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// demoEnv is a demo server behind httptest, with its config parsed.
type demoEnv struct {
	srv *httptest.Server
	cfg *config.File
}

// startDemo serves the real demo server on 127.0.0.1, optionally wrapped
// (to slow or gate the token endpoint).
func startDemo(t *testing.T, ttl time.Duration, wrap func(http.Handler) http.Handler) *demoEnv {
	t.Helper()
	d, err := demo.New(demo.Options{TokenTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	h := d.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg, err := config.Parse("demo.toml", []byte(demo.Config(srv.URL)))
	if err != nil {
		t.Fatalf("demo config: %v", err)
	}
	return &demoEnv{srv: srv, cfg: cfg}
}

// provider returns demo-cc, resolved, after edit.
func (e *demoEnv) provider(t *testing.T, edit func(*config.Provider)) *config.Provider {
	t.Helper()
	r := resolveIn(t, e.cfg, "demo-cc")
	if edit != nil {
		edit(r)
	}
	return r
}

// grants reads the server's count of token requests for a grant, over
// HTTP, as a person would.
func (e *demoEnv) grants(t *testing.T, grant string) int {
	t.Helper()
	resp, err := e.srv.Client().Get(e.srv.URL + "/_stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Endpoints map[string]int `json:"endpoints"`
		Grants    map[string]int `json:"grants"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Grants[grant]
}

// newClient is a client with its own transport, closed after the test so
// no keep-alive goroutine outlives it.
func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func newSession(t *testing.T, p *config.Provider, now func() time.Time, window time.Duration) *providers.Session {
	t.Helper()
	s, err := providers.NewSession(p, providers.SessionOptions{Client: newClient(t), Now: now, RefreshBefore: window})
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	return s
}

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 2s")
		}
		time.Sleep(time.Millisecond)
	}
}
