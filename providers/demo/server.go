package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// Fixed, documented demo clients and the default token lifetime.
const (
	// CCClientID is the confidential client for the client_credentials grant.
	CCClientID = "demo-cc"
	// CCClientSecret is CCClientID's secret; it is public knowledge, like the
	// rest of the demo.
	CCClientSecret = "demo-cc-secret"
	// PKCEClientID is the public client for authorization_code with PKCE and
	// refresh_token.
	PKCEClientID = "demo-pkce"
	// DeviceClientID is the public client for the device authorization
	// grant (RFC 8628) and refresh_token.
	DeviceClientID = "demo-device"
	// ExchangeClientID is the confidential client for the token exchange
	// grant (RFC 8693): it trades another client's access token for one of
	// its own, with the subject kept.
	ExchangeClientID = "demo-exchange"
	// ExchangeClientSecret is ExchangeClientID's secret, public like the
	// others.
	ExchangeClientSecret = "demo-exchange-secret"
	// DefaultTokenTTL is the access-token lifetime when Options.TokenTTL is 0:
	// short, so that a countdown visibly moves.
	DefaultTokenTTL = 90 * time.Second
	// DefaultDeviceCodeTTL is how long a device code and its user code stay
	// usable when Options.DeviceCodeTTL is 0.
	DefaultDeviceCodeTTL = 10 * time.Minute
	// DefaultDeviceInterval is the polling interval of the device grant when
	// Options.DeviceInterval is 0; RFC 8628 §3.2 makes 5 s the default.
	DefaultDeviceInterval = 5 * time.Second
)

// Scopes lists every scope the demo knows. demo-cc may request api:read and
// api:write; demo-pkce and demo-device may request all three.
// offline_access is what earns a refresh token. It is a copy: changing it
// changes nothing in the server.
var Scopes = allScopes()

func allScopes() []string { return []string{"api:read", "api:write", "offline_access"} }

// TokenTTLEnv names the environment variable read by TokenTTLFromEnv.
const TokenTTLEnv = "KEYHOLE_DEMO_TOKEN_TTL"

// Options configures a demo Server.
type Options struct {
	// Addr is the listen address, "127.0.0.1:0" when empty. It must be a
	// loopback IP literal with a port: a name such as "localhost" may resolve
	// elsewhere, and ":8080" or "0.0.0.0" would expose the demo's well-known
	// credentials to the network.
	Addr string
	// TokenTTL is the access-token lifetime; 0 means DefaultTokenTTL.
	TokenTTL time.Duration
	// DeviceCodeTTL is the lifetime of a device authorization (its device
	// and user codes); 0 means DefaultDeviceCodeTTL.
	DeviceCodeTTL time.Duration
	// DeviceInterval is the least time between two token requests for one
	// pending device code before the server answers slow_down; 0 means
	// DefaultDeviceInterval. The wire carries whole seconds, so a
	// sub-second value (for tests that poll by hand) is enforced exactly
	// but announced as "interval": 1, which a client such as x/oauth2
	// then keeps to.
	DeviceInterval time.Duration
	// Now, if non-nil, is the clock device codes are polled and decided
	// by, so that a test can say "too soon" and "on time" without racing
	// the machine's load; time.Now when nil.
	Now func() time.Time
	// Log, if non-nil, gets one line per request: time, method, path (query
	// values other than a few harmless ones masked), status and duration.
	// Headers and bodies are never logged.
	Log io.Writer
}

// TokenTTLFromEnv reads KEYHOLE_DEMO_TOKEN_TTL as a Go duration ("90s",
// "1h"). It returns 0 and no error when the variable is unset or empty.
func TokenTTLFromEnv() (time.Duration, error) {
	v := os.Getenv(TokenTTLEnv)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a duration such as 90s or 1h: %w", TokenTTLEnv, v, err)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s=%q: the token lifetime must be positive", TokenTTLEnv, v)
	}
	return d, nil
}

// Server is a demo authorization server and sample API. Build one with New
// (and serve Handler yourself) or with Start (which listens too).
type Server struct {
	addr     string
	log      *lineLogger
	provider *op.Provider // zitadel's OAuth building blocks; see newProvider
	store    *storage
	keys     *signingKey
	csrfKey  []byte // signs the /device form's csrf_token; see devicepage.go
	stats    *stats
	handler  http.Handler
	items    *itemStore    // what POST /api/items created
	served   []servedRoute // set by routes in New, read-only afterwards
	openapi  openAPICache  // the description served at OpenAPIPath

	// Set by Start before anything is served, read-only afterwards.
	url        string
	srv        *http.Server
	cancelBase context.CancelFunc
	done       chan struct{}
	serveErr   error
	closeOnce  sync.Once
	closeErr   error
}

// New builds the authorization server (zitadel's op over the demo's
// storage), the clients and the routes. It does not
// listen: serve Handler yourself, for example with httptest.NewServer, in
// which case URLs in discovery and the JWT issuer come from each request's
// Host.
func New(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ttl, err := positive("token lifetime", opts.TokenTTL, DefaultTokenTTL)
	if err != nil {
		return nil, err
	}
	deviceTTL, err := positive("device code lifetime", opts.DeviceCodeTTL, DefaultDeviceCodeTTL)
	if err != nil {
		return nil, err
	}
	interval, err := positive("device polling interval", opts.DeviceInterval, DefaultDeviceInterval)
	if err != nil {
		return nil, err
	}
	keys, err := newSigningKey()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	csrfKey := make([]byte, 32)
	if _, err := rand.Read(csrfKey); err != nil {
		return nil, fmt.Errorf("demo: generate CSRF key: %w", err)
	}
	s := &Server{
		addr:    addr,
		log:     newLineLogger(opts.Log),
		store:   newStorage(keys, ttl, deviceTTL, interval, opts.Now),
		keys:    keys,
		csrfKey: csrfKey,
		stats:   newStats(),
		items:   &itemStore{},
	}
	if s.store.jwtKeys, err = jwtClientKeys(); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if s.provider, err = newProvider(s.store); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s.handler = s.observe(s.routes())
	return s, nil
}

// positive returns d, or def when d is 0; a negative d is an error.
func positive(what string, d, def time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return def, nil
	case d < 0:
		return 0, fmt.Errorf("demo: %s %v: must be positive", what, d)
	}
	return d, nil
}

// Start builds a Server with New, listens on opts.Addr and serves in a
// goroutine until Close.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen on %s: %w", s.addr, err)
	}
	s.url = "http://" + ln.Addr().String()

	// Every request context derives from base, so Close can cancel slow and
	// streaming handlers instead of waiting for them.
	base, cancel := context.WithCancel(context.Background())
	s.cancelBase = cancel
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.serveErr = fmt.Errorf("demo: serve: %w", err)
		}
	}()
	return s, nil
}

// Handler returns the server's routes: the authorization server, the
// sample API, discovery and /_stats.
func (s *Server) Handler() http.Handler { return s.handler }

// URL returns the base URL, such as "http://127.0.0.1:41234", after Start;
// it is empty for a Server that was only built with New.
func (s *Server) URL() string { return s.url }

// Close stops the listener, cancels requests in flight and waits for the
// serving goroutine to end. It is safe to call more than once, and a no-op
// for a Server built with New.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.srv == nil {
			return
		}
		s.cancelBase()
		// Handlers return promptly once their context is cancelled, so a
		// graceful shutdown is quick; the timeout only guards against a
		// connection that never becomes idle.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(fmt.Errorf("demo: shutdown: %w", err), s.srv.Close())
		}
		<-s.done
		s.closeErr = errors.Join(s.closeErr, s.serveErr)
	})
	return s.closeErr
}

// Stats returns a snapshot of the request counts.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// baseURL is the server's own origin: fixed once started, else taken from
// the request, so that discovery and JWT issuers are right under
// httptest.NewServer too.
func (s *Server) baseURL(r *http.Request) string {
	if s.url != "" {
		return s.url
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// checkLoopback accepts only "IP:port" where IP is a loopback literal.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("demo: address %q: the demo listens on a loopback IP only (127.0.0.1 or ::1), because its credentials are public", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("demo: address %q: bad port %q", addr, port)
	}
	return nil
}
