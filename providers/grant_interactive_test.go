package providers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/demo/demotest"
)

// authorizeOnly starts a sign-in and returns it with the redirect the demo
// answered, not yet delivered to the loopback listener.
func authorizeOnly(t *testing.T, s *providers.Session) (*providers.Pending, *url.URL) {
	t.Helper()
	p, loc := openSignIn(t, s)
	if loc.Query().Get("code") == "" {
		t.Fatalf("no code in the redirect %s", loc)
	}
	return p, loc
}

// withQuery is a copy of u with the query parameter key set to value: a
// redirect someone tampered with.
func withQuery(u *url.URL, key, value string) *url.URL {
	c := *u
	q := c.Query()
	q.Set(key, value)
	c.RawQuery = q.Encode()
	return &c
}

// pkceSession is a session for demo-pkce on a demo of its own.
func pkceSession(t *testing.T) (*demoEnv, *providers.Session) {
	t.Helper()
	e := startDemo(t, time.Minute, nil)
	return e, newSession(t, e.pkceProvider(t), nil, 0)
}

func TestAuthorizationCodeRefusesAWrongState(t *testing.T) {
	e, s := pkceSession(t)
	p, loc := authorizeOnly(t, s)
	forged := withQuery(loc, "state", "forged-by-someone-else")
	// At the listener, a wrong state is refused and does not use up the
	// one answer: the real redirect still completes the sign-in.
	resp, err := newClient(t).Get(forged.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the listener answered %d to a wrong state, want 400", resp.StatusCode)
	}
	if e.grants(t, "authorization_code") != 0 {
		t.Error("a code was exchanged for a wrong state")
	}
	deliver(t, loc)
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatalf("the real redirect after a forged one: %v", err)
	}
	// Pasted, a wrong state is an error the person sees.
	p2, loc2 := authorizeOnly(t, s)
	if err := p2.Paste(withQuery(loc2, "state", "forged").String()); err != nil {
		t.Fatal(err)
	}
	_, err = p2.Wait(context.Background())
	if te, ok := errors.AsType[*providers.TokenError](err); !ok || te.Code != "state_mismatch" {
		t.Fatalf("a pasted wrong state gave %v, want a state_mismatch TokenError", err)
	}
}

func TestAuthorizationCodeReplayedCodeIsRefused(t *testing.T) {
	_, s := pkceSession(t)
	first, loc := authorizeOnly(t, s)
	deliver(t, loc)
	if _, err := first.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second sign-in receives the first one's code under its own state:
	// the server refuses a code used once.
	second, loc2 := authorizeOnly(t, s)
	deliver(t, withQuery(loc2, "code", loc.Query().Get("code")))
	_, err := second.Wait(context.Background())
	if te, ok := errors.AsType[*providers.TokenError](err); !ok || te.Code != "invalid_grant" {
		t.Fatalf("a replayed code gave %v, want invalid_grant", err)
	}
}

func TestAuthorizationCodeListenerAnswersOnce(t *testing.T) {
	_, s := pkceSession(t)
	p, loc := authorizeOnly(t, s)
	if host := loc.Hostname(); host != "127.0.0.1" {
		t.Errorf("the redirect goes to %s, want 127.0.0.1", host)
	}
	deliver(t, loc)
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The listener is gone once the sign-in ended.
	if resp, err := newClient(t).Get(loc.String()); err == nil {
		resp.Body.Close()
		t.Errorf("the loopback listener still answers after the sign-in: %d", resp.StatusCode)
	}
}

func TestAuthorizationCodeTimesOut(t *testing.T) {
	_, s := pkceSession(t)
	p, err := s.Authorize(context.Background(), providers.AuthorizeOptions{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = p.Wait(context.Background())
	if err == nil || !strings.Contains(err.Error(), "in time") || time.Since(start) > 5*time.Second {
		t.Fatalf("an unanswered sign-in ended with %v after %s", err, time.Since(start))
	}
}

// approve plays the person at the demo's device page, approving
// userCode.
func approve(t *testing.T, pageURL, userCode string) {
	t.Helper()
	if err := demotest.DecideDevice(newClient(t), pageURL, userCode, "approve"); err != nil {
		t.Fatal(err)
	}
}

// TestDeviceCodeAgainstTheDemo polls the demo faster than it allows, so it
// answers slow_down, and keyhole must add 5 s to its interval (RFC 8628
// §3.5). The clock is keyhole's injected one: the test does not wait 5 s.
func TestDeviceCodeAgainstTheDemo(t *testing.T) {
	d, err := demo.New(demo.Options{DeviceInterval: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := startDemoServer(t, d)
	p, _ := e.cfg.Provider("demo-device")
	p, err = p.Resolve(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var waits []time.Duration
	third, approved := make(chan struct{}), make(chan struct{})
	s, err := providers.NewSession(p, providers.SessionOptions{
		Client: newClient(t),
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			n := len(waits)
			mu.Unlock()
			if n == 3 {
				// Two polls happened (pending, then slow_down): hold the
				// third until the person approved.
				close(third)
				<-approved
			}
			return nil // poll again at once: too fast for the demo
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	pend, err := s.Authorize(context.Background(), providers.AuthorizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pend.UserCode == "" || !strings.HasSuffix(pend.URL, "/device") || !strings.Contains(pend.CompleteURL, "user_code=") {
		t.Fatalf("pending device grant: %+v", pend)
	}
	<-third
	approve(t, pend.CompleteURL, pend.UserCode)
	close(approved)
	tok, err := pend.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Refresh.IsZero() || tok.Claims == nil || tok.Claims.Subject != "demo-user" {
		t.Errorf("device token: refresh %v claims %+v", !tok.Refresh.IsZero(), tok.Claims)
	}
	mu.Lock()
	defer mu.Unlock()
	grew := false
	for i := 1; i < len(waits); i++ {
		if waits[i] == waits[i-1]+5*time.Second {
			grew = true
		}
	}
	if !grew {
		t.Errorf("waits %v: slow_down did not add 5 s", waits)
	}
}

func TestDiscoveryFromTheIssuer(t *testing.T) {
	e := startDemo(t, time.Minute, nil)
	p := e.provider(t, func(p *config.Provider) {
		p.TokenURL, p.RevokeURL, p.IntrospectURL = "", "", ""
		p.Issuer = e.srv.URL
	})
	s := newSession(t, p, nil, 0)
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatalf("token by discovery: %v", err)
	}
	info, err := s.Introspect(context.Background())
	if err != nil || info["active"] != true {
		t.Fatalf("introspection by discovery: %v %v", info, err)
	}
	if err := s.Revoke(context.Background()); err != nil {
		t.Fatalf("revocation by discovery: %v", err)
	}
	if got := apiStatus(t, e, tok); got != http.StatusUnauthorized {
		t.Errorf("the API answers %d to a revoked token, want 401", got)
	}
	// A wrong issuer is named, not followed.
	bad := newSession(t, e.provider(t, func(p *config.Provider) { p.TokenURL = ""; p.Issuer = e.srv.URL + "/elsewhere" }), nil, 0)
	if _, err := bad.Token(context.Background()); err == nil || !strings.Contains(err.Error(), "discovery") {
		t.Errorf("a wrong issuer gave %v", err)
	}
}

func TestClientSecretCmdRunsOnce(t *testing.T) {
	e := startDemo(t, time.Minute, nil)
	count := t.TempDir() + "/count"
	p := e.provider(t, func(p *config.Provider) {
		p.ClientSecret = providersSecret("")
		p.ClientSecretCmd = "echo run >> " + count + "; printf %s " + demo.CCClientSecret
	})
	s := newSession(t, p, nil, 0)
	for i := 0; i < 3; i++ {
		if _, err := s.Fetch(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if runs := strings.Count(readFile(t, count), "run"); runs != 1 {
		t.Errorf("client_secret_cmd ran %d times, want once per session", runs)
	}
	failing := newSession(t, e.provider(t, func(p *config.Provider) {
		p.ClientSecret = providersSecret("")
		p.ClientSecretCmd = "echo 'vault is sealed' >&2; exit 3"
	}), nil, 0)
	_, err := failing.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "vault is sealed") {
		t.Errorf("a failing client_secret_cmd gave %v, want its stderr", err)
	}
}

// TestRefusedRedirectStillGetsItsPage: a redirect keyhole refuses at once
// (here, no iss though the server promised one) still gets its page in the
// browser. The listener used to be closed under the browser's request,
// which then saw the connection drop.
func TestRefusedRedirectStillGetsItsPage(t *testing.T) {
	h := newHostileAuthServer(t)
	s := newSession(t, h.provider(t), nil, 0)
	for i := range 100 {
		pend, back := openSignIn(t, s)
		resp, err := newClient(t).Get(back.String())
		if err != nil {
			pend.Cancel()
			t.Fatalf("sign-in %d: the browser got no page: %v", i+1, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "keyhole received the answer") {
			t.Fatalf("sign-in %d: the browser got %d %q", i+1, resp.StatusCode, body)
		}
		if _, err := pend.Wait(t.Context()); err == nil {
			t.Fatalf("sign-in %d: a redirect without the promised iss was accepted", i+1)
		}
	}
}
