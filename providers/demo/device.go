package demo

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User codes are op's RFC 8628 §6.1 example: 8 consonants, shown as
// XXXX-XXXX, so no code spells a word and none of 0/O, 1/I/L or 5/S can
// be confused. About 34 bits, plenty for a code that lives minutes on a
// loopback server.
const userCodeLen = 8

// slowDownStep is what RFC 8628 §3.5 adds to a device code's interval on
// each slow_down.
const slowDownStep = 5 * time.Second

// deviceState is where one device authorization stands.
type deviceState int

const (
	devicePending deviceState = iota
	deviceApproved
	deviceDenied
	deviceUsed // tokens were issued; the device code is spent
)

// deviceAuth is one RFC 8628 device authorization.
type deviceAuth struct {
	clientID  string
	scopes    []string
	userCode  string // normalized: userCodeLen letters, no dash
	expiresAt time.Time
	interval  time.Duration // grows by slowDownStep on each slow_down
	lastPoll  time.Time
	state     deviceState
	grant     grant // set on approval
}

// StoreDeviceAuthorization implements op.DeviceAuthorizationStorage.
func (s *storage) StoreDeviceAuthorization(_ context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	code := normalizeUserCode(userCode)
	if code == "" {
		return errors.New("malformed user code")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if key, taken := s.userCodes[code]; taken && s.devices[key] != nil {
		return op.ErrDuplicateUserCode
	}
	key := hashKey(deviceCode)
	s.devices[key] = &deviceAuth{
		clientID:  clientID,
		scopes:    append([]string(nil), scopes...),
		userCode:  code,
		expiresAt: expires,
		interval:  s.deviceInterval,
		state:     devicePending,
	}
	s.userCodes[code] = key
	s.created(now)
	return nil
}

// GetDeviceAuthorizatonState implements op.DeviceAuthorizationStorage.
// The token endpoint does not use it: op's polling answers every storage
// error with access_denied and slow_down only on a context deadline, so
// the demo polls through pollDevice instead, which keeps RFC 8628 §3.5's
// answers apart. It is here for op's interface and says what it can.
func (s *storage) GetDeviceAuthorizatonState(_ context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[hashKey(deviceCode)]
	if d == nil || d.clientID != clientID {
		return nil, errors.New("unknown device code")
	}
	return &op.DeviceAuthorizationState{
		ClientID: d.clientID,
		Scopes:   d.scopes,
		Expires:  d.expiresAt,
		Done:     d.state == deviceApproved,
		Denied:   d.state == deviceDenied,
		Subject:  d.grant.subject,
		AuthTime: d.grant.authTime,
	}, nil
}

// pendingView is what the /device page shows about a pending request.
type pendingView struct {
	ClientID string
	Scopes   []string
}

// pendingDevice finds the unexpired, undecided authorization with
// userCode (normalized). The page offers nothing for any other.
func (s *storage) pendingDevice(userCode string, now time.Time) (pendingView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.findPending(userCode, now)
	if d == nil {
		return pendingView{}, false
	}
	return pendingView{ClientID: d.clientID, Scopes: append([]string(nil), d.scopes...)}, true
}

func (s *storage) findPending(userCode string, now time.Time) *deviceAuth {
	d := s.devices[s.userCodes[userCode]]
	if d == nil || d.state != devicePending || !now.Before(d.expiresAt) {
		return nil
	}
	return d
}

// decideDevice records the person's answer for a pending authorization.
// On approval it grants what the client asked for (the scopes were checked
// against the client when the code was issued) to demoUser. It reports
// false when there is no such pending authorization.
func (s *storage) decideDevice(userCode string, approve bool, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.findPending(userCode, now)
	if d == nil {
		return false
	}
	// A decided code cannot be looked up again, so the page cannot flip it.
	delete(s.userCodes, userCode)
	if !approve {
		d.state = deviceDenied
		return true
	}
	d.grant = grant{id: newGrantID(), clientID: d.clientID, subject: demoUser, scopes: d.scopes, authTime: now}
	d.state = deviceApproved
	return true
}

// pollDevice answers one token request for deviceCode by clientID (RFC
// 8628 §3.5). On approval it returns the grant and marks the code used,
// so a second exchange fails.
func (s *storage) pollDevice(deviceCode, clientID string, now time.Time) (*grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[hashKey(deviceCode)]
	switch {
	case d == nil:
		return nil, oidc.ErrInvalidGrant().WithDescription("The device_code is unknown.")
	case d.clientID != clientID:
		// Defence in depth: today only demo-device may use the grant at all.
		return nil, oidc.ErrInvalidGrant().WithDescription("The device_code was issued to another client.")
	case d.state == deviceUsed:
		return nil, oidc.ErrInvalidGrant().WithDescription("The device_code has already been exchanged for tokens.")
	case !now.Before(d.expiresAt):
		return nil, oidc.ErrExpiredDeviceCode().WithDescription("The device_code has expired; start a new device authorization.")
	}

	last := d.lastPoll
	d.lastPoll = now
	switch d.state {
	case deviceDenied:
		return nil, oidc.ErrAccessDenied().WithDescription("The user denied the request.")
	case deviceApproved:
		d.state = deviceUsed
		g := d.grant
		return &g, nil
	}
	// slow_down is "a variant of authorization_pending" (§3.5), so only a
	// pending code is rate-limited; an answered one is told at once. A
	// tenth of the interval is forgiven: a client that keeps the interval
	// by its own clock can still land a little early by ours.
	if !last.IsZero() && now.Sub(last) < d.interval-d.interval/10 {
		d.interval += slowDownStep
		return nil, oidc.ErrSlowDown().WithDescription("Polling too fast: wait at least %s s between requests for this device_code.",
			strconv.FormatInt(wholeSeconds(d.interval), 10))
	}
	return nil, oidc.ErrAuthorizationPending().WithDescription("The user has not yet approved or denied the request; keep polling.")
}

// normalizeUserCode makes what a person typed comparable: case does not
// matter and dashes and spaces are ignored. It returns "" for anything that
// cannot be a user code.
func normalizeUserCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case !strings.ContainsRune(op.CharSetBase20, r) || b.Len() == userCodeLen:
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != userCodeLen {
		return ""
	}
	return b.String()
}

// formatUserCode shows a normalized code as XXXX-XXXX.
func formatUserCode(code string) string {
	if len(code) != userCodeLen {
		return code
	}
	return code[:userCodeLen/2] + "-" + code[userCodeLen/2:]
}

// csrfToken binds the /device approval form to one user code with a key
// only this server knows: a page on another origin can neither read the
// token from our page nor compute it.
func (s *Server) csrfToken(userCode string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte("device-form\x00" + userCode))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (s *Server) checkCSRF(userCode, token string) bool {
	return hmac.Equal([]byte(s.csrfToken(userCode)), []byte(token))
}
