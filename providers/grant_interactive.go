package providers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// DefaultAuthTimeout bounds how long an interactive grant waits for the
// person before giving up.
const DefaultAuthTimeout = 5 * time.Minute

// AuthorizeOptions tune an interactive grant.
type AuthorizeOptions struct {
	// Open shows a URL in the person's browser; nil or NoBrowser means the
	// URL is only handed back for the person to open.
	Open      func(url string) error
	NoBrowser bool
	// Timeout bounds the wait for the person; 0 means DefaultAuthTimeout.
	Timeout time.Duration
}

// Pending is an interactive grant waiting for the person. Show URL (and
// UserCode for the device grant), then call Wait; for authorization_code,
// Paste accepts the redirect URL when the browser cannot reach the loopback
// listener (another machine, a container).
type Pending struct {
	Grant config.Grant
	// URL is where the person goes: the authorization URL, or the device
	// grant's verification URI.
	URL string
	// CompleteURL is the verification URI with the user code in it, for a
	// QR code (device grant; may be empty).
	CompleteURL string
	UserCode    string
	ClientID    string
	Scopes      []string
	// Redirect is the loopback address the browser returns to.
	Redirect string
	Expires  time.Time
	// Opened says whether a browser was asked to open URL; OpenErr says why
	// not, when it was tried.
	Opened  bool
	OpenErr error

	paste  chan string
	done   chan struct{} // closed when tok/err are set
	tok    *Token
	err    error
	cancel context.CancelFunc
}

// CanPaste reports whether Paste is accepted.
func (p *Pending) CanPaste() bool { return p.paste != nil }

// Paste hands over the URL the browser was redirected to (or its query),
// for when the loopback listener cannot be reached. Text that is no
// redirect at all (half an address, the wrong clipboard) is refused here
// and the sign-in goes on waiting; a redirect is the grant's to check,
// and one that fails its checks (another sign-in's state) ends it.
func (p *Pending) Paste(raw string) error {
	if p.paste == nil {
		return errors.New("this grant takes no pasted URL")
	}
	if _, err := parseRedirect(raw); err != nil {
		return fmt.Errorf("%w: paste the whole address the browser ended on, starting %s", err, p.Redirect)
	}
	select {
	case p.paste <- raw:
		return nil
	case <-p.done:
		return errors.New("the grant has already finished")
	default:
		return errors.New("a pasted URL is already being checked")
	}
}

// Wait blocks until the person finished, the grant failed or ctx ended;
// ending ctx cancels the grant.
func (p *Pending) Wait(ctx context.Context) (*Token, error) {
	select {
	case <-p.done:
		return copyToken(p.tok), p.err
	case <-ctx.Done():
		p.cancel()
		<-p.done
		return nil, ctx.Err()
	}
}

// Cancel abandons the grant and releases its listener.
func (p *Pending) Cancel() {
	p.cancel()
	<-p.done
}

// finish records the outcome once.
func (p *Pending) finish(tok *Token, err error) {
	p.tok, p.err = tok, err
	close(p.done)
}

// Authorize starts the provider's interactive grant. The returned Pending
// says what the person must do; its Wait gives the token, which the
// session then holds and stores.
func (s *Session) Authorize(ctx context.Context, opts AuthorizeOptions) (*Pending, error) {
	if !s.p.Interactive() {
		return nil, fmt.Errorf("%s: grant %s needs no person: use r to get a token", s.p.Name, s.p.Grant)
	}
	if err := s.loadSecret(ctx); err != nil {
		return nil, err
	}
	ep, err := s.endpoints(ctx)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultAuthTimeout
	}
	// Each grant starts at an endpoint of its own and ends at the token
	// endpoint.
	first, key, start := ep.auth, "auth_url", s.startAuthCode
	if s.p.Grant == config.GrantDeviceCode {
		first, key, start = ep.device, "device_url", s.startDevice
	}
	if first == "" || ep.token == "" {
		return nil, fmt.Errorf("%s: %s needs %s and token_url (or an issuer to discover them)", s.p.Name, s.p.Grant, key)
	}
	return start(ctx, ep, opts)
}

// adopt makes tok the session's token after an interactive grant.
func (s *Session) adopt(ctx context.Context, tok *Token) (*Token, error) {
	s.useToken(tok)
	if s.store != nil {
		// The person has signed in: a lock or a store that fails must not
		// cost them the token (see keep).
		unlock, err := s.store.Lock(ctx, s.key)
		if err != nil {
			tok.CacheErr = fmt.Errorf("%s: the token cache could not keep the new token, so it is used for this run only: %w", s.p.Name, err)
		} else {
			s.keep(tok, nil)
			unlock()
		}
	}
	s.mu.Lock()
	s.tok = copyToken(tok)
	s.tok.CacheErr = nil
	s.mu.Unlock()
	return tok, nil
}
