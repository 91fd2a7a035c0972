package demo

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// deviceAuthResponse is the RFC 8628 §3.2 response.
type deviceAuthResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int64  `json:"expires_in"`
	Interval                int64  `json:"interval"`
}

// wholeSeconds is d in whole seconds, rounded up and at least 1: the wire
// only carries integers, and 0 would read as "no interval" (a client then
// uses 5) or "already expired". A sub-second interval or lifetime, which
// only tests use, is thus enforced exactly but announced as 1 s.
func wholeSeconds(d time.Duration) int64 {
	return max(1, int64((d+time.Second-1)/time.Second))
}

// deviceCodeBytes gives device codes 256 bits, twice op's recommendation:
// a device code is a bearer credential until it is exchanged.
const deviceCodeBytes = 32

// handleDeviceAuthorization is the RFC 8628 §3.1 device authorization
// endpoint, on op's parts: op identifies the client, checks it may use the
// grant and makes the codes. The demo refuses unknown scopes (op would
// pass them on) and writes the response itself, rounding sub-second
// lifetimes up where op would announce 0.
func (s *Server) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	ctx := r.Context()
	req, err := op.ParseDeviceCodeRequest(r, s.provider)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	c, err := s.knownClient(req.ClientID)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	if sc := c.unknownScope(req.Scopes); sc != "" {
		writeOAuthError(w, oidc.ErrInvalidScope().WithDescription("The client %q may not request scope %q.", c.id, sc))
		return
	}

	now := s.store.now()
	var deviceCode, userCode string
	for range 16 { // 20^8 codes: a collision is already unlikely twice in a row
		deviceCode, _ = op.NewDeviceCode(deviceCodeBytes)
		if userCode, err = op.NewUserCode([]rune(op.CharSetBase20), userCodeLen, userCodeLen/2); err != nil {
			break
		}
		err = s.store.StoreDeviceAuthorization(ctx, c.id, deviceCode, userCode, now.Add(s.store.deviceTTL), req.Scopes)
		if !errors.Is(err, op.ErrDuplicateUserCode) {
			break
		}
	}
	if err != nil {
		writeOAuthError(w, oidc.ErrServerError().WithParent(err))
		return
	}

	verify := s.baseURL(r) + "/device"
	w.Header().Set("Cache-Control", "no-store") // the device code is a credential
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, deviceAuthResponse{
		DeviceCode:              deviceCode,
		UserCode:                userCode,
		VerificationURI:         verify,
		VerificationURIComplete: verify + "?user_code=" + url.QueryEscape(userCode),
		ExpiresIn:               wholeSeconds(s.store.deviceTTL),
		Interval:                wholeSeconds(s.store.deviceInterval),
	})
}
