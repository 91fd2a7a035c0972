package providers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/internal/ratelimit"
	"github.com/keyhole-sh/keyhole/providers/assertion"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// ErrUnsupported marks a provider this build cannot get a token for yet.
var ErrUnsupported = errors.New("not supported yet")

// SessionOptions are a session's dependencies.
type SessionOptions struct {
	// Client makes every network call; nil means a client with no timeout
	// of its own (each call gets the provider's timeout through its context).
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// RefreshBefore is the refresh window before expiry.
	RefreshBefore time.Duration
	// Store keeps tokens between runs; nil keeps them in this session only.
	Store Store
	// Sleep waits d or until ctx ends; nil means a real timer. Tests pass
	// one that moves their clock instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// DPoP is the provider's DPoP key and nonces; nil for a provider
	// without dpop = true. Client must carry its proofs (Binding.Wrap).
	DPoP *dpop.Binding
	// StateDir is the state folder (tokencache.StateDir), where app keeps
	// DPoP keys and nonces; "" keeps them in memory.
	StateDir string
	// TokenOf gets another provider's token, by name: the subject and
	// actor tokens of a token_exchange provider. Nil: none is reachable.
	TokenOf func(ctx context.Context, provider string) (*Token, error)
}

// Session gets, holds and hands out one provider's token. It is safe for
// concurrent use: concurrent callers share one token request.
type Session struct {
	p      *config.Provider
	client *http.Client
	now    func() time.Time
	window time.Duration
	store  Store
	key    string // the provider's key in store (CacheKey); "" without one
	sleep  func(ctx context.Context, d time.Duration) error
	limit  *ratelimit.Limiter // nil without rate_limit
	dpop   *dpop.Binding      // nil without dpop = true
	// tokenOf is SessionOptions.TokenOf.
	tokenOf func(ctx context.Context, provider string) (*Token, error)

	redMu sync.RWMutex
	red   *secret.Redactor // the configured secrets
	// tokRed redacts the token in hand. It is replaced, not added to, with
	// each new token: a long session would otherwise pile up every token
	// ever issued, and every redaction would scan for all of them.
	tokRed *secret.Redactor

	mu              sync.Mutex
	tok             *Token
	loaded          bool // the store has been read
	secret          secret.String
	secretLoaded    bool
	signer          *assertion.Signer // signs client assertions and jwt_bearer's (session_assertion.go)
	discovered      *metadata
	notes           DiscoveryNotes // what discovered means for the person
	discoveryFailed bool
	inflight        *flight // the token request in flight, shared by its callers
}

// flight is one token request and the callers waiting for it. It runs on
// its own context, detached from any one caller's: one caller giving up
// (esc in the TUI) must not fail the others. When the last waiter leaves,
// the request is cancelled.
type flight struct {
	done    chan struct{} // closed once tok and err are set
	tok     *Token
	err     error
	waiters int // guarded by Session.mu
	cancel  context.CancelFunc
}

// mode is what a token request may do.
type mode int

const (
	// modeAuto refreshes with the refresh token when there is one, else
	// runs the grant when it needs no person.
	modeAuto mode = iota
	// modeForce runs the grant from scratch, ignoring any refresh token.
	modeForce
)

// NewSession prepares a session for a resolved provider (see
// config.Provider.Resolve). It fails with ErrUnsupported for what this
// build cannot run.
func NewSession(p *config.Provider, opts SessionOptions) (*Session, error) {
	if err := Supported(p); err != nil {
		return nil, err
	}
	s := &Session{p: p, client: opts.Client, now: opts.Now, window: opts.RefreshBefore, store: opts.Store, sleep: opts.Sleep, red: &secret.Redactor{}, dpop: opts.DPoP, tokenOf: opts.TokenOf}
	if s.store != nil {
		s.key = CacheKey(p, s.store)
	}
	// Whatever client the caller passed, a redirect from the authorization
	// server is not followed: on a 307 or 308 Go re-posts the body, client
	// secret included, to wherever the Location points.
	s.client = NewClient(opts.Client)
	if s.now == nil {
		s.now = time.Now
	}
	if s.sleep == nil {
		s.sleep = Sleep
	}
	if p.RateLimit != "" {
		rate, err := ratelimit.Parse(p.RateLimit)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		s.limit = ratelimit.New(rate, s.now, s.sleep)
	}
	s.red.Add(p.ClientSecret, p.Password, p.RefreshToken, p.Token, p.SubjectToken)
	s.red.Add(p.Injected()...)
	s.red.AddBasic(secret.New(p.ClientID), p.ClientSecret)
	return s, nil
}

// Supported reports whether this build can get a token for p, and why not.
func Supported(p *config.Provider) error {
	if !p.Grant.Known() {
		return fmt.Errorf("%s: grant %s %w", p.Name, p.Grant, ErrUnsupported)
	}
	return nil
}

// Provider is the resolved provider this session serves.
func (s *Session) Provider() *config.Provider { return s.p }

// Redact removes this provider's secrets from text meant for people.
func (s *Session) Redact(text string) string {
	s.redMu.RLock()
	defer s.redMu.RUnlock()
	return s.tokRed.Redact(s.red.Redact(text))
}

// Redactor returns a Redactor that knows what Redact knows now — the
// configured secrets and the token in hand — to mask a large text (a
// response body on screen) in one pass with secrets of its own.
func (s *Session) Redactor() *secret.Redactor {
	s.redMu.RLock()
	defer s.redMu.RUnlock()
	return s.red.Merge(s.tokRed)
}

// useToken makes tok the token redacted from now on.
func (s *Session) useToken(tok *Token) {
	r := &secret.Redactor{}
	r.Add(tok.Secrets()...)
	s.redMu.Lock()
	s.tokRed = r
	s.redMu.Unlock()
}

func (s *Session) addSecret(sec secret.String) {
	s.redMu.Lock()
	defer s.redMu.Unlock()
	s.red.Add(sec)
	s.red.AddBasic(secret.New(s.p.ClientID), sec)
}

// Cached returns a copy of the token held in memory, or nil. It does no
// I/O; Peek also reads the store.
func (s *Session) Cached() *Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyToken(s.tok)
}

// Peek returns the token held, reading the store the first time, without
// any network call. It is how a screen shows a cached token at start.
func (s *Session) Peek() (*Token, error) {
	if err := s.load(); err != nil {
		return nil, err
	}
	return s.Cached(), nil
}

// load reads the store once. The read (a file, or a keyring that may be
// slow) happens outside s.mu, so Cached never waits on I/O.
func (s *Session) load() error {
	s.mu.Lock()
	done := s.loaded || s.store == nil
	s.mu.Unlock()
	if done {
		return nil
	}
	tok, err := s.store.Load(s.key)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded = true
	if err != nil {
		return fmt.Errorf("%s: token cache: %w", s.p.Name, err)
	}
	if tok != nil && !tok.Access.IsZero() && s.tok == nil {
		tok.Source = SourceCache
		s.tok = tok
		s.useToken(tok)
	}
	return nil
}

func copyToken(t *Token) *Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// Token returns the held token while it is outside the refresh window, and
// otherwise gets a new one: by refresh token when one is held, else by the
// grant when it needs no person, else ErrNeedsLogin. The cache check and
// joining the request in flight happen under one lock: checked separately,
// a caller could miss the cache just before a request finished and start a
// second one.
func (s *Session) Token(ctx context.Context) (*Token, error) {
	// An unreadable cache entry is no token: the grant runs and its answer
	// replaces the entry. Peek is where the reason is reported.
	_ = s.load()
	s.mu.Lock()
	if s.tok != nil && StateOf(AsSent(s.p, s.tok), Idle, nil, s.now(), s.window) == StateValid {
		t := *s.tok
		s.mu.Unlock()
		t.Source = SourceCache
		return &t, nil
	}
	f := s.join(ctx, modeAuto)
	s.mu.Unlock()
	return s.wait(ctx, f)
}

// Refresh gets a new token now, by refresh token when one is held, else
// by the grant when it needs no person, else ErrNeedsLogin.
func (s *Session) Refresh(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	f := s.join(ctx, modeAuto)
	s.mu.Unlock()
	return s.wait(ctx, f)
}

// Fetch runs the grant from scratch, ignoring the cache and any refresh
// token; for an interactive grant it returns ErrNeedsLogin (use Authorize).
// Concurrent calls share one request; a call made while one is in flight
// joins it, as that request's answer is as fresh as a new one's.
func (s *Session) Fetch(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	f := s.join(ctx, modeForce)
	s.mu.Unlock()
	return s.wait(ctx, f)
}

// join returns the request in flight, starting one if there is none, and
// counts the caller as waiting for it. s.mu must be held.
func (s *Session) join(ctx context.Context, m mode) *flight {
	if s.inflight == nil {
		// Keep the caller's values, not its cancellation.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f := &flight{done: make(chan struct{}), cancel: cancel}
		s.inflight = f
		held := copyToken(s.tok)
		go func() {
			defer cancel()
			tok, err := s.fetch(fctx, m, held)
			s.mu.Lock()
			var refused *RefreshRefusedError
			switch {
			case err == nil:
				s.tok = copyToken(tok)
				s.tok.CacheErr = nil // said once, by the callers of this request
			case errors.As(err, &refused) && s.tok != nil && sameToken(s.tok, held):
				// The refresh token is spent: keep the old token for
				// display, but it must not be offered again. The token
				// is replaced, not edited: callers may hold the old one.
				spent := copyToken(s.tok)
				spent.Refresh = secret.String{}
				s.tok = spent
			}
			if s.inflight == f {
				s.inflight = nil
			}
			s.mu.Unlock()
			f.tok, f.err = tok, err
			close(f.done)
		}()
	}
	s.inflight.waiters++
	return s.inflight
}

// wait returns f's outcome, or gives up when ctx ends. The last caller to
// give up cancels the request and detaches it, so the next caller starts a
// fresh one instead of joining one that is being torn down.
func (s *Session) wait(ctx context.Context, f *flight) (*Token, error) {
	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		t := *f.tok
		return &t, nil
	case <-ctx.Done():
		s.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			if s.inflight == f {
				s.inflight = nil
			}
		}
		s.mu.Unlock()
		return nil, NewNetworkError(s.p.Name, "token request", ctx.Err(), s.Redact)
	}
}

// timeout bounds each call the session makes (see providerTimeout).
func (s *Session) timeout() time.Duration { return providerTimeout(s.p) }

// tokenError classifies an x/oauth2 failure, with secrets redacted: an
// answer without a token is a TokenError, no answer a NetworkError.
func (s *Session) tokenError(ctx context.Context, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &TokenError{Provider: s.p.Name, Code: re.ErrorCode, Description: re.ErrorDescription, Body: snippet(re.Body, s.Redact)}
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		te.Hint = tokenHint(te, s.p)
		return te.redacted(s.Redact)
	}
	var ue *url.Error
	switch {
	case errors.As(err, &ue):
		// The request itself failed: refused, DNS, TLS, timeout.
	case ctx.Err() != nil:
		// x/oauth2 formats a failure to read the body with %v, losing the
		// cause; put the context's error back for errors.Is and the hint.
		err = fmt.Errorf("%w: %s", ctx.Err(), err.Error())
	case strings.HasPrefix(err.Error(), "oauth2: cannot fetch token:"):
		// The body could not be read: the connection broke mid-answer.
	default:
		// A 2xx answer x/oauth2 could not use: HTML, JSON without
		// access_token. The endpoint answered, with no token: exit 2, not 3.
		te := &TokenError{Provider: s.p.Name, Description: s.Redact(err.Error())}
		te.Hint = "the token endpoint answered without an access_token: check token_url, or map the answer with token_response"
		return te
	}
	return NewNetworkError(s.p.Name, "token request", err, s.Redact)
}

func tokenHint(e *TokenError, p *config.Provider) string {
	switch e.Code {
	case "invalid_client":
		if h := config.SignedClientHint(p); h != "" {
			return h
		}
		return "the token endpoint refused the client: check client_id, client_secret and client_auth (" + cmp.Or(p.ClientAuth, "basic") + ")"
	case "invalid_scope":
		return "a requested scope is not allowed for this client: check scopes"
	case "unauthorized_client":
		return "this client may not use grant " + string(p.Grant)
	case "invalid_dpop_proof", "use_dpop_nonce":
		return dpopHint(e.Code, p)
	}
	if e.Status >= 500 {
		return "the token endpoint failed on its side: try again later"
	}
	if e.Status == http.StatusTooManyRequests {
		// A 429 had no hint (found by internal/faults' 429 token route).
		return "the token endpoint is rate limiting this client: wait a little and try again"
	}
	return ""
}

// bodySnippet keeps error bodies short enough for one screen line.
func bodySnippet(b []byte) string {
	const limit = 300
	// Runs of white space, newlines included, become one space: an HTML
	// error page spread the error over several lines of stderr (found by
	// internal/faults' 500-html), where keyhole promises one line and a
	// hint line.
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > limit {
		// Back up to a character boundary: vendors answer in Chinese, and
		// a split character shows as garbage.
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Sleep waits d on a real timer, or until ctx ends: the default for
// SessionOptions.Sleep, and for anyone else who waits out a Retry-After.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
