package demo

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ory/fosite"
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

// handleDeviceAuthorization is the RFC 8628 §3.1 device authorization
// endpoint. fosite authenticates the client as at the token endpoint (a
// public client just names itself) and its scope strategy checks the
// scopes; the rest is ours.
func (s *Server) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.oauth.WriteAccessError(ctx, w, nil, fosite.ErrInvalidRequest.WithHint("The body must be application/x-www-form-urlencoded."))
		return
	}
	client, err := s.oauth.AuthenticateClient(ctx, r, r.PostForm)
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, nil, err)
		return
	}
	if !client.GetGrantTypes().Has(deviceGrantType) {
		s.oauth.WriteAccessError(ctx, w, nil, fosite.ErrUnauthorizedClient.WithHintf("The client %q may not use the device authorization grant.", client.GetID()))
		return
	}
	scopes := fosite.RemoveEmpty(strings.Split(r.PostForm.Get("scope"), " "))
	allowed := s.oauth.Config.GetScopeStrategy(ctx)
	for _, sc := range scopes {
		if !allowed(client.GetScopes(), sc) {
			s.oauth.WriteAccessError(ctx, w, nil, fosite.ErrInvalidScope.WithHintf("The client %q may not request scope %q.", client.GetID(), sc))
			return
		}
	}

	now := time.Now()
	req := fosite.NewRequest()
	req.ID = newRequestID() // set now: fosite's GetID fills it lazily, which races
	req.RequestedAt = now.UTC()
	req.Client = client
	req.SetRequestedScopes(scopes)
	req.Session = s.newSession(s.baseURL(r), "", client.GetID())
	deviceCode, userCode, err := s.devices.issue(req, now)
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, nil, fosite.ErrServerError.WithWrap(err))
		return
	}

	verify := s.baseURL(r) + "/device"
	shown := formatUserCode(userCode)
	w.Header().Set("Cache-Control", "no-store") // the device code is a credential
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, deviceAuthResponse{
		DeviceCode:              deviceCode,
		UserCode:                shown,
		VerificationURI:         verify,
		VerificationURIComplete: verify + "?user_code=" + url.QueryEscape(shown),
		ExpiresIn:               wholeSeconds(s.devices.ttl),
		Interval:                wholeSeconds(s.devices.interval),
	})
}

// newRequestID returns a random fosite request ID; revocation finds every
// token of a grant by it.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
