package demo

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
)

// deviceGrantType is the grant_type of RFC 8628 §3.4.
const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// userCodeAlphabet is the RFC 8628 §6.1 example alphabet: consonants only,
// so no code spells a word and none of 0/O, 1/I/L or 5/S can be confused.
// Eight of them give about 34 bits, plenty for a code that lives minutes
// on a loopback server.
const (
	userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"
	userCodeLen      = 8
)

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

// deviceAuth is one RFC 8628 device authorization. req is what fosite
// will turn into tokens: the client, the requested (and, once approved,
// granted) scopes and the session naming the user.
type deviceAuth struct {
	req       *fosite.Request
	userCode  string // normalized: userCodeLen letters, no dash
	expiresAt time.Time
	interval  time.Duration // grows by slowDownStep on each slow_down
	lastPoll  time.Time
	state     deviceState
}

// deviceCodes holds the device authorizations in flight. It is ours, not
// fosite's: fosite v0.49.0 has no RFC 8628 storage. Device codes are kept
// by their SHA-256, like fosite keeps token signatures, so the map holds
// nothing a client could present.
type deviceCodes struct {
	ttl      time.Duration
	interval time.Duration
	csrfKey  []byte // signs the /device form's csrf_token; see devicepage.go

	mu     sync.Mutex
	byCode map[string]*deviceAuth // by deviceCodeKey
	byUser map[string]string      // normalized user code -> deviceCodeKey
}

func newDeviceCodes(ttl, interval time.Duration) (*deviceCodes, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate CSRF key: %w", err)
	}
	return &deviceCodes{
		ttl:      ttl,
		interval: interval,
		csrfKey:  key,
		byCode:   map[string]*deviceAuth{},
		byUser:   map[string]string{},
	}, nil
}

func deviceCodeKey(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// issue starts a device authorization for req and returns its device code
// and normalized user code.
func (d *deviceCodes) issue(req *fosite.Request, now time.Time) (deviceCode, userCode string, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", err
	}
	deviceCode = base64.RawURLEncoding.EncodeToString(raw)

	d.mu.Lock()
	defer d.mu.Unlock()
	d.sweep(now)
	for range 16 { // 20^8 codes: a collision is already unlikely twice in a row
		if userCode, err = newUserCode(); err != nil {
			return "", "", err
		}
		if _, taken := d.byUser[userCode]; !taken {
			break
		}
		userCode = ""
	}
	if userCode == "" {
		return "", "", errors.New("no free user code")
	}
	key := deviceCodeKey(deviceCode)
	d.byCode[key] = &deviceAuth{
		req:       req,
		userCode:  userCode,
		expiresAt: now.Add(d.ttl),
		interval:  d.interval,
		state:     devicePending,
	}
	d.byUser[userCode] = key
	return deviceCode, userCode, nil
}

// sweep forgets authorizations that expired more than keepExpired ago: long
// enough to answer expired_token rather than invalid_grant, short enough
// that a long-running demo does not grow. Callers hold d.mu.
func (d *deviceCodes) sweep(now time.Time) {
	cutoff := now.Add(-keepExpired)
	for key, a := range d.byCode {
		if a.expiresAt.Before(cutoff) {
			delete(d.byCode, key)
			if d.byUser[a.userCode] == key {
				delete(d.byUser, a.userCode)
			}
		}
	}
}

// pendingView is what the /device page shows about a pending request.
type pendingView struct {
	ClientID string
	Scopes   []string
}

// pending finds the unexpired, undecided authorization with userCode
// (normalized). The page offers nothing for any other.
func (d *deviceCodes) pending(userCode string, now time.Time) (pendingView, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.findPending(userCode, now)
	if a == nil {
		return pendingView{}, false
	}
	return pendingView{ClientID: a.req.GetClient().GetID(), Scopes: append([]string(nil), a.req.GetRequestedScopes()...)}, true
}

func (d *deviceCodes) findPending(userCode string, now time.Time) *deviceAuth {
	a := d.byCode[d.byUser[userCode]]
	if a == nil || a.state != devicePending || !now.Before(a.expiresAt) {
		return nil
	}
	return a
}

// decide records the person's answer for a pending authorization. On
// approval it grants what the client asked for (fosite checked the scopes
// against the client when the code was issued) to demoUser. It reports
// false when there is no such pending authorization.
func (d *deviceCodes) decide(userCode string, approve bool, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.findPending(userCode, now)
	if a == nil {
		return false
	}
	// A decided code cannot be looked up again, so the page cannot flip it.
	delete(d.byUser, userCode)
	if !approve {
		a.state = deviceDenied
		return true
	}
	for _, sc := range a.req.GetRequestedScopes() {
		a.req.GrantScope(sc)
	}
	a.req.GrantAudience(apiAudience)
	if sess, ok := a.req.GetSession().(*oauth2.JWTSession); ok {
		setSubject(sess, demoUser, a.req.GetClient().GetID())
		sess.Username = demoUser
	}
	a.state = deviceApproved
	return true
}

// poll answers one token request for deviceCode by clientID (RFC 8628
// §3.5). On approval it returns the authorization's request and marks the
// code used, so a second exchange fails; the request is no longer written
// to after that, so the caller may read it without the lock.
func (d *deviceCodes) poll(deviceCode, clientID string, now time.Time) (*fosite.Request, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.byCode[deviceCodeKey(deviceCode)]
	switch {
	case a == nil:
		return nil, fosite.ErrInvalidGrant.WithHint("The device_code is unknown.")
	case a.req.GetClient().GetID() != clientID:
		// Defence in depth: today only demo-device may use the grant at all.
		return nil, fosite.ErrInvalidGrant.WithHint("The device_code was issued to another client.")
	case a.state == deviceUsed:
		return nil, fosite.ErrInvalidGrant.WithHint("The device_code has already been exchanged for tokens.")
	case !now.Before(a.expiresAt):
		return nil, errExpiredToken()
	}

	last := a.lastPoll
	a.lastPoll = now
	switch a.state {
	case deviceDenied:
		return nil, errDeviceAccessDenied()
	case deviceApproved:
		a.state = deviceUsed
		return a.req, nil
	}
	// slow_down is "a variant of authorization_pending" (§3.5), so only a
	// pending code is rate-limited; an answered one is told at once. A
	// tenth of the interval is forgiven: a client that keeps the interval
	// by its own clock can still land a little early by ours.
	if !last.IsZero() && now.Sub(last) < a.interval-a.interval/10 {
		a.interval += slowDownStep
		return nil, errSlowDown(a.interval)
	}
	return nil, errAuthorizationPending()
}

// newUserCode returns userCodeLen letters of userCodeAlphabet, unbiased.
func newUserCode() (string, error) {
	const n = len(userCodeAlphabet)
	const limit = 256 - 256%n // reject bytes above this so each letter is equally likely
	b := make([]byte, 0, userCodeLen)
	buf := make([]byte, 16)
	for len(b) < userCodeLen {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, c := range buf {
			if int(c) < limit && len(b) < userCodeLen {
				b = append(b, userCodeAlphabet[int(c)%n])
			}
		}
	}
	return string(b), nil
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
		case !strings.ContainsRune(userCodeAlphabet, r) || b.Len() == userCodeLen:
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
func (d *deviceCodes) csrfToken(userCode string) string {
	mac := hmac.New(sha256.New, d.csrfKey)
	mac.Write([]byte("device-form\x00" + userCode))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (d *deviceCodes) checkCSRF(userCode, token string) bool {
	return hmac.Equal([]byte(d.csrfToken(userCode)), []byte(token))
}
