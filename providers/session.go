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

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/sync/singleflight"

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
	flight singleflight.Group

	mu  sync.Mutex
	tok *Token
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
		return fmt.Errorf("provider %s: grant %s: %w", p.Name, p.Grant, ErrUnsupported)
	}
	switch p.ClientAuth {
	case "", "basic", "post", "none":
	default:
		return fmt.Errorf("provider %s: client_auth %s: %w", p.Name, p.ClientAuth, ErrUnsupported)
	}
	if p.ClientSecretCmd != "" {
		return fmt.Errorf("provider %s: client_secret_cmd: %w", p.Name, ErrUnsupported)
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
// otherwise gets a new one.
func (s *Session) Token(ctx context.Context) (*Token, error) {
	if t := s.Cached(); t != nil && StateOf(t, Idle, nil, s.now(), s.window) == StateValid {
		t.Source = SourceCache
		return t, nil
	}
	return s.Fetch(ctx)
}

// Fetch runs the grant now, whatever is held. Concurrent calls share one
// request to the token endpoint.
func (s *Session) Fetch(ctx context.Context) (*Token, error) {
	ch := s.flight.DoChan("fetch", func() (any, error) { return s.fetch(ctx) })
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		t := *r.Val.(*Token)
		return &t, nil
	case <-ctx.Done():
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
		return nil, s.tokenError(err)
	}
	tok := s.fromOAuth2(ot, obtained)
	tok.Source = SourceFetched
	s.mu.Lock()
	s.tok = tok
	s.mu.Unlock()
	t := *tok
	return &t, nil
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

// tokenError classifies an x/oauth2 failure, with secrets redacted.
func (s *Session) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &TokenError{Provider: s.p.Name, Code: re.ErrorCode, Description: s.Redact(re.ErrorDescription), Body: s.Redact(bodySnippet(re.Body))}
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		te.Hint = tokenHint(te, s.p)
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
		s = s[:limit] + "…"
	}
	return s
}
