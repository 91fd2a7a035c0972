package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"golang.org/x/oauth2"
)

// deviceGrantType is RFC 8628's grant_type.
const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// startDevice runs the device authorization grant (RFC 8628): ask for a
// user code, hand it to the person, poll the token endpoint. The request
// for the code goes through x/oauth2; the polling is ours, because
// x/oauth2's poller sleeps on the wall clock, and keyhole's tests (and
// their slow_down case, which adds 5 s a time) run on an injected one.
func (s *Session) startDevice(ctx context.Context, ep endpoints, opts AuthorizeOptions) (*Pending, error) {
	if ep.device == "" || ep.token == "" {
		return nil, fmt.Errorf("%s: device_code needs device_url and token_url (or an issuer to discover them)", s.p.Name)
	}
	cfg := s.oauth2Config(ep)
	actx, acancel := context.WithTimeout(s.clientContext(ctx), s.timeout())
	da, err := cfg.DeviceAuth(actx)
	acancel()
	if err != nil {
		return nil, s.tokenError(actx, err)
	}
	deadline := s.now().Add(opts.Timeout)
	if !da.Expiry.IsZero() {
		// x/oauth2 computed Expiry on the wall clock; carry the span over
		// to ours.
		deadline = s.now().Add(time.Until(da.Expiry))
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p := &Pending{
		Grant: s.p.Grant, URL: da.VerificationURI, CompleteURL: da.VerificationURIComplete, UserCode: da.UserCode,
		ClientID: s.p.ClientID, Scopes: s.p.Scopes, Expires: deadline,
		done: make(chan struct{}), cancel: cancel,
	}
	go func() {
		defer cancel()
		tok, err := s.pollDevice(wctx, ep, da, deadline)
		if err == nil {
			tok, err = s.adopt(wctx, tok)
		}
		p.finish(tok, err)
	}()
	if opts.Open != nil && !opts.NoBrowser {
		target := p.CompleteURL
		if target == "" {
			target = p.URL
		}
		p.OpenErr = opts.Open(target)
		p.Opened = p.OpenErr == nil
	}
	return p, nil
}

// pollDevice asks the token endpoint until the person approves, denies, or
// the code expires, pacing itself as RFC 8628 §3.5 says.
func (s *Session) pollDevice(ctx context.Context, ep endpoints, da *oauth2.DeviceAuthResponse, deadline time.Time) (*Token, error) {
	interval := time.Duration(da.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second // RFC 8628 §3.2's default
	}
	form := url.Values{"grant_type": {deviceGrantType}, "device_code": {da.DeviceCode}, "client_id": {s.p.ClientID}}
	for {
		if err := s.sleep(ctx, interval); err != nil {
			return nil, err
		}
		if !s.now().Before(deadline) {
			return nil, &TokenError{Provider: s.p.Name, Code: "expired_token", Description: "the user code expired before it was approved", Hint: "press a to get a new code"}
		}
		tok, err := s.postToken(ctx, ep.token, form)
		if err == nil {
			return tok, nil
		}
		var te *TokenError
		if !errors.As(err, &te) {
			return nil, err
		}
		switch te.Code {
		case "authorization_pending":
		case "slow_down":
			interval += 5 * time.Second
		case "access_denied":
			te.Hint = "the request was denied at the verification page"
			return nil, te
		case "expired_token":
			te.Hint = "press a to get a new code"
			return nil, te
		default:
			return nil, te
		}
	}
}
