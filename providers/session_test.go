package providers_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// claimsOf decodes a JWT's payload independently of jwt.Parse.
func claimsOf(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSessionClientCredentials(t *testing.T) {
	const ttl = 90 * time.Second
	for _, auth := range []string{"basic", "post", ""} {
		t.Run("client_auth="+auth, func(t *testing.T) {
			env := startDemo(t, ttl, nil)
			p := env.provider(t, func(p *config.Provider) { p.ClientAuth = auth })
			clk := newClock(t0)
			s := newSession(t, p, clk.Now, 30*time.Second)
			if s.Cached() != nil {
				t.Fatal("a new session holds a token")
			}

			tok, err := s.Token(context.Background())
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if tok.Source != providers.SourceFetched {
				t.Errorf("Source = %q, want fetched", tok.Source)
			}
			if tok.Access.IsZero() || !strings.EqualFold(tok.Type, "bearer") {
				t.Errorf("token %v type %q", tok.Access, tok.Type)
			}
			if !slices.Equal(tok.Scopes, []string{"api:read", "api:write"}) || !tok.ScopesFromServer {
				t.Errorf("Scopes = %q (from server %v)", tok.Scopes, tok.ScopesFromServer)
			}
			// Expiry comes from expires_in on the injected clock, not the
			// wall clock and not the JWT's exp.
			if !tok.Obtained.Equal(t0) {
				t.Errorf("Obtained = %v, want the injected clock's %v", tok.Obtained, t0)
			}
			if tok.ExpirySource != providers.ExpiryIn {
				t.Errorf("ExpirySource = %q, want expires_in", tok.ExpirySource)
			}
			if life := tok.Expiry.Sub(t0); life < ttl-2*time.Second || life > ttl {
				t.Errorf("Expiry = t0+%v, want about %v", life, ttl)
			}
			if st := providers.StateOf(tok, providers.Idle, nil, clk.Now(), 30*time.Second); st != providers.StateValid {
				t.Errorf("state = %v, want valid", st)
			}
			// Claims, decoded by keyhole and checked against the raw JWT.
			raw := claimsOf(t, tok.Access.Reveal())
			c := tok.Claims
			if c == nil {
				t.Fatal("no claims decoded from the demo's JWT")
			}
			if c.Subject != demo.CCClientID || c.ClientID != demo.CCClientID || !slices.Equal(c.Audience, []string{"demo-api"}) ||
				c.Scope != "api:read api:write" || c.Issuer != raw["iss"] || c.Issuer == "" {
				t.Errorf("claims = %+v (raw %v)", c, raw)
			}
			if exp, _ := raw["exp"].(float64); c.Expiry.Unix() != int64(exp) {
				t.Errorf("claims exp = %v, raw %v", c.Expiry, raw["exp"])
			}

			// Again: the cached token, and still one request at the server.
			clk.Advance(10 * time.Second)
			again, err := s.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if again.Source != providers.SourceCache || !again.Access.Equal(tok.Access) {
				t.Errorf("second Token: Source %q, same token %v", again.Source, again.Access.Equal(tok.Access))
			}
			if n := env.grants(t, "client_credentials"); n != 1 {
				t.Errorf("server saw %d client_credentials requests, want 1", n)
			}
			if cached := s.Cached(); cached == nil || !cached.Access.Equal(tok.Access) {
				t.Errorf("Cached = %+v", cached)
			}
			// Copies: changing what the caller got does not change the cache.
			again.Source, again.Scopes = "mangled", nil
			if c := s.Cached(); c.Source == "mangled" {
				t.Error("Token returned the cached token itself, not a copy")
			}
		})
	}
}

func TestSessionRequestedScopes(t *testing.T) {
	env := startDemo(t, time.Minute, nil)
	p := env.provider(t, func(p *config.Provider) { p.Scopes = []string{"api:read"} })
	tok, err := newSession(t, p, newClock(t0).Now, 0).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tok.Scopes, []string{"api:read"}) || tok.Claims.Scope != "api:read" {
		t.Errorf("Scopes = %q, claims scope %q", tok.Scopes, tok.Claims.Scope)
	}
}

func TestSessionRefreshWindow(t *testing.T) {
	const ttl = 90 * time.Second
	env := startDemo(t, ttl, nil)
	clk := newClock(t0)
	s := newSession(t, env.provider(t, nil), clk.Now, 30*time.Second)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	life := first.Expiry.Sub(t0)

	// Just outside the window: still the cached token.
	clk.Set(t0.Add(life - 30*time.Second - time.Second))
	if tok, err := s.Token(context.Background()); err != nil || tok.Source != providers.SourceCache {
		t.Fatalf("outside the window: %v, %v", tok, err)
	}
	if n := env.grants(t, "client_credentials"); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}

	// Inside the window: Token gets a new one, timed from the new clock.
	clk.Set(t0.Add(life - 30*time.Second + time.Second))
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Source != providers.SourceFetched || tok.Access.Equal(first.Access) || !tok.Obtained.Equal(clk.Now()) {
		t.Errorf("inside the window: Source %q, same token %v, Obtained %v", tok.Source, tok.Access.Equal(first.Access), tok.Obtained)
	}
	if n := env.grants(t, "client_credentials"); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

func TestSessionSingleFlight(t *testing.T) {
	env := startDemo(t, time.Minute, nil)
	s := newSession(t, env.provider(t, nil), newClock(t0).Now, 0)

	const n = 20
	sameTokenForAll(t, s, n, nil)
	if got := env.grants(t, "client_credentials"); got != 1 {
		t.Errorf("%d concurrent Token calls made %d token requests, want 1", n, got)
	}
}

func TestSessionFetchForcesANewToken(t *testing.T) {
	env := startDemo(t, time.Minute, nil)
	s := newSession(t, env.provider(t, nil), newClock(t0).Now, 0)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if second.Source != providers.SourceFetched || second.Access.Equal(first.Access) {
		t.Errorf("Fetch: Source %q, same token %v", second.Source, second.Access.Equal(first.Access))
	}
	if c := s.Cached(); !c.Access.Equal(second.Access) {
		t.Error("Fetch did not replace the cached token")
	}
	if n := env.grants(t, "client_credentials"); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

func TestSessionWrongSecret(t *testing.T) {
	const wrong = "wrong-secret-4f8a9c"
	for _, auth := range []string{"basic", "post"} {
		t.Run(auth, func(t *testing.T) {
			env := startDemo(t, time.Minute, nil)
			p := env.provider(t, func(p *config.Provider) {
				p.ClientAuth = auth
				p.ClientSecret = secret.New(wrong)
			})
			s := newSession(t, p, newClock(t0).Now, 0)
			tok, err := s.Token(context.Background())
			var te *providers.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token = %v, %v; want a *TokenError", tok, err)
			}
			if te.Status != http.StatusUnauthorized || te.Code != "invalid_client" || te.Provider != "demo-cc" {
				t.Errorf("TokenError = %+v, want 401 invalid_client for demo-cc", te)
			}
			if !strings.Contains(te.Hint, "client_secret") || providers.Hint(err) != te.Hint {
				t.Errorf("Hint = %q", te.Hint)
			}
			var ne *providers.NetworkError
			if errors.As(err, &ne) {
				t.Error("a refusal from the server is not a network error")
			}
			basic := base64.StdEncoding.EncodeToString([]byte(demo.CCClientID + ":" + wrong))
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), te.Body, te.Description, te.Hint} {
				if strings.Contains(text, wrong) || strings.Contains(text, basic) {
					t.Errorf("the secret leaks: %s", text)
				}
			}
			if !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "invalid_client") {
				t.Errorf("Error() = %q: want the status and the code", err)
			}
			if s.Cached() != nil {
				t.Error("a failed grant left a token")
			}
		})
	}
}

// closedURL is an http URL on 127.0.0.1 where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// hangingServer answers nothing until the client gives up (or a second
// passes), counting the requests it got.
func hangingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does the server notice the
		// client hanging up and cancel r.Context().
		io.Copy(io.Discard, r.Body)
		n.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func ccProvider(tokenURL string, timeout time.Duration) *config.Provider {
	return &config.Provider{
		Name: "cc", BaseURL: "http://127.0.0.1:1", Grant: "client_credentials", TokenURL: tokenURL,
		ClientID: "client", ClientSecret: secret.New("client-secret-value-1"), Timeout: config.Duration(timeout),
	}
}

func TestSessionUnreachable(t *testing.T) {
	s := newSession(t, ccProvider(closedURL(t)+"/token", 0), nil, 0)
	begin := time.Now()
	_, err := s.Token(context.Background())
	var ne *providers.NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("Token = %v, want a *NetworkError", err)
	}
	if time.Since(begin) > 5*time.Second {
		t.Errorf("a refused connection took %v", time.Since(begin))
	}
	if ne.Provider != "cc" || ne.Op != "token request" || !strings.Contains(err.Error(), "refused") {
		t.Errorf("NetworkError = %+v: %v", ne, err)
	}
	if !strings.Contains(ne.Hint, "nothing listens") || providers.Hint(err) != ne.Hint {
		t.Errorf("Hint = %q", ne.Hint)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("the cause is not reachable through errors.As: %v", err)
	}
}

func TestSessionCancelledContext(t *testing.T) {
	t.Run("before the call", func(t *testing.T) {
		srv, _ := hangingServer(t)
		s := newSession(t, ccProvider(srv.URL+"/token", 0), nil, 0)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		begin := time.Now()
		_, err := s.Token(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Token = %v, want context.Canceled", err)
		}
		if d := time.Since(begin); d > 500*time.Millisecond {
			t.Errorf("returned after %v", d)
		}
		if providers.Hint(err) != "cancelled" {
			t.Errorf("Hint = %q", providers.Hint(err))
		}
	})
	t.Run("during the call", func(t *testing.T) {
		srv, n := hangingServer(t)
		s := newSession(t, ccProvider(srv.URL+"/token", 0), nil, 0)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := s.Token(ctx); done <- err }()
		waitFor(t, func() bool { return n.Load() == 1 })
		begin := time.Now()
		cancel()
		select {
		case err := <-done:
			var ne *providers.NetworkError
			if !errors.As(err, &ne) || !errors.Is(err, context.Canceled) {
				t.Errorf("Token = %v, want a NetworkError wrapping context.Canceled", err)
			}
			if d := time.Since(begin); d > 500*time.Millisecond {
				t.Errorf("returned %v after the cancel", d)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Token did not return after its context was cancelled")
		}
	})
}

func TestSessionTimeout(t *testing.T) {
	srv, _ := hangingServer(t)
	s := newSession(t, ccProvider(srv.URL+"/token", 50*time.Millisecond), nil, 0)
	begin := time.Now()
	_, err := s.Token(context.Background())
	elapsed := time.Since(begin)
	var ne *providers.NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("Token = %v, want a *NetworkError", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("Error() = %q: want the deadline named", err)
	}
	if !strings.Contains(ne.Hint, "timeout") {
		t.Errorf("Hint = %q", ne.Hint)
	}
	if elapsed < 40*time.Millisecond || elapsed > 900*time.Millisecond {
		t.Errorf("a 50ms timeout took %v", elapsed)
	}
}

func TestSessionNetworkErrorHasNoSecret(t *testing.T) {
	const configured = "configured-secret-77d1"
	const other = "other-secret-in-url-91bc"
	hang, _ := hangingServer(t)
	for _, tc := range []struct {
		name, base string
		timeout    time.Duration
	}{
		{"refused", closedURL(t), 0},
		{"hangs", hang.URL, 50 * time.Millisecond},
	} {
		for _, query := range []string{
			"client_secret=" + configured,
			"client_id=client&client_secret=" + configured + "&grant_type=client_credentials",
			"client_secret=" + other,
			"api_key=" + other,
		} {
			t.Run(tc.name+"/"+query, func(t *testing.T) {
				p := ccProvider(tc.base+"/token?"+query, tc.timeout)
				p.ClientSecret = secret.New(configured)
				s := newSession(t, p, nil, 0)
				_, err := s.Token(context.Background())
				var ne *providers.NetworkError
				if !errors.As(err, &ne) {
					t.Fatalf("Token = %v, want a *NetworkError", err)
				}
				for _, text := range []string{err.Error(), fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), ne.Hint} {
					if strings.Contains(text, configured) || strings.Contains(text, other) {
						t.Errorf("secret in the error: %s", text)
					}
				}
				if !strings.Contains(err.Error(), "/token") {
					t.Errorf("Error() = %q: the URL should still be there, redacted", err)
				}
			})
		}
	}
}

// gatedSession is a demo-cc session whose token requests wait at g.
func gatedSession(t *testing.T) (*gate, *demoEnv, *providers.Session) {
	t.Helper()
	g := newGate("/oauth2/token")
	env := startDemo(t, time.Minute, g.wrap)
	t.Cleanup(g.open) // before the server closes, should the test fail early
	return g, env, newSession(t, env.provider(t, nil), newClock(t0).Now, 0)
}

func TestSessionOneCallerCancellingDoesNotFailTheOthers(t *testing.T) {
	g, env, s := gatedSession(t)

	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	errA := make(chan error, 1)
	go func() { _, err := s.Fetch(ctxA); errA <- err }()
	<-g.arrived

	type result struct {
		tok *providers.Token
		err error
	}
	resB := make(chan result, 1)
	go func() { tok, err := s.Token(context.Background()); resB <- result{tok, err} }()
	waitFor(t, func() bool { return providers.SessionWaiters(s) == 2 })

	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled caller got %v, want context.Canceled", err)
	}
	g.open()
	select {
	case r := <-resB:
		if r.err != nil {
			t.Fatalf("the other caller failed because the first one cancelled: %v", r.err)
		}
		if r.tok.Access.IsZero() {
			t.Error("no token")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other caller never got an answer")
	}
	if n := env.grants(t, "client_credentials"); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestSessionLastCallerCancellingStopsTheRequest(t *testing.T) {
	g, _, s := gatedSession(t)

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := s.Token(ctx); errc <- err }()
	<-g.arrived
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Token = %v, want context.Canceled", err)
	}
	// Nobody waits any more: the request in flight is abandoned, and the
	// next caller starts a fresh one rather than joining a dead one.
	waitFor(t, func() bool { return providers.SessionWaiters(s) == 0 })
	g.open()
	tok, err := s.Token(context.Background())
	if err != nil || tok.Source != providers.SourceFetched {
		t.Fatalf("next Token = %v, %v", tok, err)
	}
}

func TestSessionTokenEndpointAnswersWithoutAToken(t *testing.T) {
	const sec = "client-secret-value-1"
	tests := []struct {
		name        string
		status      int
		ctype, body string
		wantStatus  int
		wantText    string
	}{
		{"HTML error page", 502, "text/html", "<html><body>Bad gateway</body></html>", 502, "Bad gateway"},
		{"HTML with 200", 200, "text/html", "<html>login page</html>", 0, "cannot parse"},
		{"JSON without a token", 200, "application/json", `{"foo":"bar"}`, 0, "access_token"},
		{"vendor error with 200", 200, "application/json", `{"error_code":6,"error_msg":"No permission"}`, 0, "access_token"},
		{"RFC 6749 error echoing the secret", 400, "application/json", `{"error":"invalid_request","error_description":"bad secret ` + sec + `"}`, 400, "invalid_request"},
		{"server error", 500, "application/json", `{"error":"server_error"}`, 500, "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			s := newSession(t, ccProvider(srv.URL+"/token", 0), nil, 0)
			_, err := s.Token(context.Background())
			var te *providers.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token = %v (%T), want a *TokenError: the endpoint answered", err, err)
			}
			if te.Status != tt.wantStatus {
				t.Errorf("Status = %d, want %d", te.Status, tt.wantStatus)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Error() = %q, want it to mention %q", err, tt.wantText)
			}
			if strings.Contains(err.Error(), sec) || strings.Contains(te.Body, sec) || strings.Contains(te.Description, sec) {
				t.Errorf("secret echoed: %q / %q", err, te.Body)
			}
			if tt.status >= 500 && te.Hint == "" {
				t.Error("no hint for a server failure")
			}
		})
	}
}

func TestSessionSendsConfiguredParams(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		user, pass, _ := r.BasicAuth()
		got.Store(fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", r.PostForm.Get("grant_type"), r.PostForm.Get("scope"),
			r.PostForm.Get("Type"), r.PostForm.Get("audience"), r.PostForm.Get("resource"), user, pass))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"opaque","token_type":"Bearer","expires_in":"3599"}`)
	}))
	defer srv.Close()
	p := ccProvider(srv.URL+"/token", 0)
	p.Scopes = []string{"a", "b"}
	p.TokenParams = map[string]string{"Type": "oauth2"}
	p.Audience, p.Resource = "aud", "res"
	tok, err := newSession(t, p, newClock(t0).Now, 0).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := "client_credentials|a b|oauth2|aud|res|client|client-secret-value-1"; got.Load() != want {
		t.Errorf("server got %v, want %s", got.Load(), want)
	}
	// A quoted expires_in, no scope in the answer, an opaque token.
	if !tok.Expiry.Equal(t0.Add(3599*time.Second)) || tok.Claims != nil || tok.ScopesFromServer || !slices.Equal(tok.Scopes, []string{"a", "b"}) {
		t.Errorf("token = %+v", tok)
	}
}

func TestSupported(t *testing.T) {
	base := func(edit func(*config.Provider)) *config.Provider {
		p := ccProvider("https://login.example.com/token", 0)
		edit(p)
		return p
	}
	tests := []struct {
		name string
		p    *config.Provider
		ok   bool
	}{
		{"basic", base(func(p *config.Provider) { p.ClientAuth = "basic" }), true},
		{"post", base(func(p *config.Provider) { p.ClientAuth = "post" }), true},
		{"none", base(func(p *config.Provider) { p.ClientAuth = "none"; p.ClientSecret = secret.String{} }), true},
		{"default auth", base(func(p *config.Provider) {}), true},
		{"client_auth query", base(func(p *config.Provider) { p.ClientAuth = "query" }), true},
		{"client_auth basic_raw", base(func(p *config.Provider) { p.ClientAuth = "basic_raw" }), true},
		{"client_secret_cmd", base(func(p *config.Provider) { p.ClientSecret = secret.String{}; p.ClientSecretCmd = "pass show x" }), true},
		{"issuer only", base(func(p *config.Provider) { p.TokenURL = ""; p.Issuer = "https://issuer.example" }), true},
		{"authorization_code", base(func(p *config.Provider) { p.Grant = "authorization_code" }), true},
		{"device_code", base(func(p *config.Provider) { p.Grant = "device_code" }), true},
		{"password", base(func(p *config.Provider) { p.Grant = "password" }), true},
		{"refresh_token", base(func(p *config.Provider) { p.Grant = "refresh_token" }), true},
		{"static", base(func(p *config.Provider) { p.Grant = "static" }), true},
		{"custom", base(func(p *config.Provider) { p.Grant = "custom" }), true},
		{"implicit (not a keyhole grant)", base(func(p *config.Provider) { p.Grant = "implicit" }), false},
	}
	for _, tt := range tests {
		err := providers.Supported(tt.p)
		if tt.ok {
			if err != nil {
				t.Errorf("%s: Supported = %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, providers.ErrUnsupported) {
			t.Errorf("%s: Supported = %v, want ErrUnsupported", tt.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "cc") {
			t.Errorf("%s: %q does not name the provider", tt.name, err)
		}
		if s, err := providers.NewSession(tt.p, providers.SessionOptions{}); s != nil || !errors.Is(err, providers.ErrUnsupported) {
			t.Errorf("%s: NewSession = %v, %v", tt.name, s, err)
		}
	}
}

func TestSessionRedact(t *testing.T) {
	p := ccProvider("https://login.example.com/token", 0)
	s, err := providers.NewSession(p, providers.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("client:client-secret-value-1"))
	got := s.Redact("secret client-secret-value-1, basic " + basic + ", url ?client_secret=abc&x=1")
	if strings.Contains(got, "client-secret-value-1") || strings.Contains(got, basic) || strings.Contains(got, "abc") {
		t.Errorf("Redact = %q", got)
	}
	if s.Provider() != p {
		t.Error("Provider() is not the session's provider")
	}
}
