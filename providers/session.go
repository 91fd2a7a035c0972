package providers

import (
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
	"golang.org/x/oauth2/clientcredentials"

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
}

// Session gets, holds and hands out one provider's token. It is safe for
// concurrent use: concurrent callers share one token request.
type Session struct {
	p      *Provider
	client *http.Client
	now    func() time.Time
	window time.Duration
	red    *secret.Redactor

	mu       sync.Mutex
	tok      *Token
	inflight *flight // the token request in flight, shared by its callers
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

// NewSession prepares a session for a resolved provider (see Resolve). It
// fails with ErrUnsupported for grants this build does not run.
func NewSession(p *Provider, opts SessionOptions) (*Session, error) {
	if err := Supported(p); err != nil {
		return nil, err
	}
	s := &Session{p: p, client: opts.Client, now: opts.Now, window: opts.RefreshBefore, red: &secret.Redactor{}}
	if s.client == nil {
		s.client = &http.Client{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.red.Add(p.ClientSecret, p.Password, p.RefreshToken, p.Token)
	s.red.AddBasic(secret.New(p.ClientID), p.ClientSecret)
	return s, nil
}

// Supported reports whether this build can get a token for p, and why not.
func Supported(p *Provider) error {
	if p.Grant != "client_credentials" {
		return fmt.Errorf("%s: grant %s %w", p.Name, p.Grant, ErrUnsupported)
	}
	switch p.ClientAuth {
	case "", "basic", "post", "none":
	default:
		return fmt.Errorf("%s: client_auth %s %w", p.Name, p.ClientAuth, ErrUnsupported)
	}
	if p.ClientSecretCmd != "" {
		return fmt.Errorf("%s: client_secret_cmd %w", p.Name, ErrUnsupported)
	}
	// Discovery is not built yet: with only an issuer there is no URL to
	// post to, and x/oauth2 would fail with "unsupported protocol scheme".
	if p.TokenURL == "" {
		return fmt.Errorf("%s: issuer discovery (set token_url) %w", p.Name, ErrUnsupported)
	}
	return nil
}

// Provider is the resolved provider this session serves.
func (s *Session) Provider() *Provider { return s.p }

// Redact removes this provider's secrets from text meant for people.
func (s *Session) Redact(text string) string { return s.red.Redact(text) }

// Cached returns a copy of the token held, or nil.
func (s *Session) Cached() *Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return nil
	}
	t := *s.tok
	return &t
}

// Token returns the held token while it is outside the refresh window, and
// otherwise gets a new one. The cache check and joining the request in
// flight happen under one lock: checked separately, a caller could miss
// the cache just before a request finished and start a second one.
func (s *Session) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	if s.tok != nil && StateOf(s.tok, Idle, nil, s.now(), s.window) == StateValid {
		t := *s.tok
		s.mu.Unlock()
		t.Source = SourceCache
		return &t, nil
	}
	f := s.join(ctx)
	s.mu.Unlock()
	return s.wait(ctx, f)
}

// Fetch runs the grant now, whatever is held. Concurrent calls share one
// request to the token endpoint; a call made while one is in flight joins
// it, as that request's answer is as fresh as a new one's.
func (s *Session) Fetch(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	f := s.join(ctx)
	s.mu.Unlock()
	return s.wait(ctx, f)
}

// join returns the request in flight, starting one if there is none, and
// counts the caller as waiting for it. s.mu must be held.
func (s *Session) join(ctx context.Context) *flight {
	if s.inflight == nil {
		// Keep the caller's values, not its cancellation.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f := &flight{done: make(chan struct{}), cancel: cancel}
		s.inflight = f
		go func() {
			defer cancel()
			tok, err := s.fetch(fctx)
			s.mu.Lock()
			if err == nil {
				s.tok = tok
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
		return nil, newNetworkError(s.p.Name, "token request", ctx.Err(), s.Redact)
	}
}

func (s *Session) fetch(ctx context.Context) (*Token, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.client)

	cc := clientcredentials.Config{
		ClientID:       s.p.ClientID,
		ClientSecret:   s.p.ClientSecret.Reveal(),
		TokenURL:       s.p.TokenURL,
		Scopes:         s.p.Scopes,
		EndpointParams: s.endpointParams(),
		// Pinned, never auto-detected: detection retries with the secret
		// in the other place, sending it twice.
		AuthStyle: oauth2.AuthStyleInHeader,
	}
	if s.p.ClientAuth == "post" || s.p.ClientAuth == "none" {
		cc.AuthStyle = oauth2.AuthStyleInParams
	}
	obtained := s.now()
	ot, err := cc.Token(ctx)
	if err != nil {
		return nil, s.tokenError(ctx, err)
	}
	tok := s.fromOAuth2(ot, obtained)
	tok.Source = SourceFetched
	return tok, nil
}

func (s *Session) endpointParams() url.Values {
	v := url.Values{}
	for k, val := range s.p.TokenParams {
		v.Set(k, val)
	}
	if s.p.Audience != "" {
		v.Set("audience", s.p.Audience)
	}
	if s.p.Resource != "" {
		v.Set("resource", s.p.Resource)
	}
	return v
}

func (s *Session) timeout() time.Duration {
	if s.p.Timeout > 0 {
		return s.p.Timeout.Std()
	}
	return DefaultTimeout
}

// tokenError classifies an x/oauth2 failure, with secrets redacted: an
// answer without a token is a TokenError, no answer a NetworkError.
func (s *Session) tokenError(ctx context.Context, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &TokenError{Provider: s.p.Name, Code: re.ErrorCode, Description: s.Redact(re.ErrorDescription), Body: s.Redact(bodySnippet(re.Body))}
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		te.Hint = tokenHint(te, s.p)
		return te
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
	return newNetworkError(s.p.Name, "token request", err, s.Redact)
}

func tokenHint(e *TokenError, p *Provider) string {
	switch e.Code {
	case "invalid_client":
		return "the token endpoint refused the client: check client_id, client_secret and client_auth (" + orDefault(p.ClientAuth, "basic") + ")"
	case "invalid_scope":
		return "a requested scope is not allowed for this client: check scopes"
	case "unauthorized_client":
		return "this client may not use grant " + p.Grant
	}
	if e.Status >= 500 {
		return "the token endpoint failed on its side: try again later"
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bodySnippet keeps error bodies short enough for one screen line.
func bodySnippet(b []byte) string {
	const limit = 300
	s := strings.TrimSpace(string(b))
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
