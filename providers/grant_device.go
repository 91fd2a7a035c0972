package providers

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
)

// deviceGrantType is RFC 8628's grant_type.
const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// startDevice runs the device authorization grant (RFC 8628): ask for a
// user code, hand it to the person, poll the token endpoint. Both requests
// are ours, not x/oauth2's: its device authorization request carries no
// context (it cannot time out or be cancelled) and no client
// authentication, and its poller sleeps on the wall clock, while keyhole's
// tests (and their slow_down case, which adds 5 s a time) run on an
// injected one. Authorize has checked that ep has both endpoints.
func (s *Session) startDevice(ctx context.Context, ep endpoints, opts AuthorizeOptions) (*Pending, error) {
	da, err := s.deviceAuth(ctx, ep)
	if err != nil {
		return nil, err
	}
	deadline := s.now().Add(opts.Timeout)
	if da.expiresIn > 0 {
		deadline = s.now().Add(da.expiresIn)
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
		p.OpenErr = openChecked(opts.Open, target)
		p.Opened = p.OpenErr == nil
	}
	return p, nil
}

// pollDevice asks the token endpoint until the person approves, denies, or
// the code expires, pacing itself as RFC 8628 §3.5 says. No wait runs past
// the code's deadline, whatever interval the server asks for: a 100000 s
// interval on a 5 s code ends at 5 s, as expired.
func (s *Session) pollDevice(ctx context.Context, ep endpoints, da *deviceAuthorization, deadline time.Time) (*Token, error) {
	interval := da.interval
	form := url.Values{"grant_type": {deviceGrantType}, "device_code": {da.DeviceCode}, "client_id": {s.p.ClientID}}
	for {
		left := deadline.Sub(s.now())
		if left > 0 {
			if err := s.sleep(ctx, min(interval, left)); err != nil {
				return nil, err
			}
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
			interval = min(interval+5*time.Second, maxDeviceWait)
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

// maxDeviceWait bounds the server's expires_in and interval. A person
// approves a code within minutes; a larger value is a mistake or an
// attack, and in nanoseconds it would overflow time.Duration into a
// deadline in the past or a negative wait.
const maxDeviceWait = 24 * time.Hour

// deviceAuthorization is RFC 8628 §3.2's answer. expires_in and interval
// are read as any number (some servers send 1800.0 or "5"), clamped to
// maxDeviceWait.
type deviceAuthorization struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               any    `json:"expires_in"`
	Interval                any    `json:"interval"`
	expiresIn, interval     time.Duration
}

// seconds reads a count of seconds as a duration in (0, maxDeviceWait];
// 0 when it is missing, not a number, or not positive.
func seconds(v any) time.Duration {
	n, ok := number(v)
	if !ok || n <= 0 {
		return 0
	}
	if n >= maxDeviceWait.Seconds() {
		return maxDeviceWait
	}
	return time.Duration(n * float64(time.Second))
}

// deviceAuth asks for a device code and a user code (RFC 8628 §3.1), with
// the provider's client authentication and timeout.
func (s *Session) deviceAuth(ctx context.Context, ep endpoints) (*deviceAuthorization, error) {
	form := url.Values{"client_id": {s.p.ClientID}}
	if len(s.p.Scopes) > 0 {
		form.Set("scope", strings.Join(s.p.Scopes, " "))
	}
	for k, v := range s.extraParams() {
		form[k] = v
	}
	body, err := s.postEndpoint(ctx, ep.device, form)
	if err != nil {
		return nil, err
	}
	var da deviceAuthorization
	if err := json.Unmarshal(body, &da); err != nil || da.DeviceCode == "" || da.UserCode == "" || da.VerificationURI == "" {
		return nil, &TokenError{Provider: s.p.Name, Description: "the device authorization answer lacks device_code, user_code or verification_uri", Body: snippet(body, s.Redact), Hint: "check device_url"}
	}
	da.expiresIn = seconds(da.ExpiresIn)
	if da.interval = seconds(da.Interval); da.interval == 0 {
		da.interval = 5 * time.Second // RFC 8628 §3.2's default
	}
	return &da, nil
}
