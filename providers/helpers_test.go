package providers_test

// Helpers that several test files of this package share.

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
)

// resolvedProvider parses text and returns its provider name, resolved
// against an empty environment.
func resolvedProvider(t *testing.T, text, name string) *providers.Provider {
	t.Helper()
	cfg, err := providers.Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return resolveIn(t, cfg, name)
}

// resolveIn returns cfg's provider name, resolved against an empty
// environment.
func resolveIn(t *testing.T, cfg *providers.Config, name string) *providers.Provider {
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
	return p, mustParse(t, resp.Header.Get("Location"))
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

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
