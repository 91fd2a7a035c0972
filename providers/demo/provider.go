package demo

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// newProvider builds the zitadel op provider over store. The demo does not
// serve the provider's own router: op v3.52.0 logs every request error
// through the process-wide slog default logger (its WithLogger option is
// kept for compatibility and does nothing), and keyhole's TUI owns the
// terminal, where such a line would land. So the demo's handlers call
// op's building blocks (parse, authenticate, validate, create tokens) and
// write the answers and errors themselves; none of those blocks logs.
// The provider supplies the configuration, the decoder and the code
// encryption they need.
func newProvider(store *storage) (*op.Provider, error) {
	var key [32]byte // encrypts authorization codes (op's AES-GCM)
	if _, err := rand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("generate code key: %w", err)
	}
	cfg := &op.Config{
		CryptoKey:             key,
		CodeMethodS256:        true,
		AuthMethodPost:        true,
		GrantTypeRefreshToken: true,
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     store.deviceTTL,
			PollInterval: store.deviceInterval,
			UserFormPath: "/device",
			UserCode:     op.UserCodeBase20,
		},
	}
	// The issuer comes from each request (see Server.baseURL) and is put
	// on the context by the handlers; this function is never asked.
	p, err := op.NewProvider(cfg, store, op.IssuerFromHost(""), op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("zitadel op: %w", err)
	}
	return p, nil
}

// defaultDescriptions give every error a description when op left it
// empty: RFC 6749 makes it optional, but people read these.
var defaultDescriptions = map[string]string{
	"invalid_request":        "The request is missing a parameter or has a malformed one.",
	"invalid_client":         "Client authentication failed: unknown client, no credentials or a wrong secret.",
	"invalid_grant":          "The code, refresh token or device code is invalid, expired, revoked or was issued to another client.",
	"unauthorized_client":    "The client may not use this grant.",
	"unsupported_grant_type": "The grant_type is not supported; use authorization_code, client_credentials, refresh_token, urn:ietf:params:oauth:grant-type:device_code, urn:ietf:params:oauth:grant-type:jwt-bearer or urn:ietf:params:oauth:grant-type:token-exchange.",
	"invalid_scope":          "A requested scope is unknown or not allowed for this client.",
	"access_denied":          "The request was denied.",
	"server_error":           "The server failed to handle the request.",
}

// oauthError turns err into an RFC 6749 §5.2 error and its status: 401
// for invalid_client, 500 for server_error, 400 for the rest. An error
// that is not op's is the server's own fault.
func oauthError(err error) (int, apiError) {
	var e *oidc.Error
	if !errors.As(err, &e) {
		e = oidc.ErrServerError()
	}
	code := string(e.ErrorType)
	desc := e.Description
	if desc == "" {
		desc = defaultDescriptions[code]
	}
	status := http.StatusBadRequest
	switch e.ErrorType {
	case oidc.InvalidClient:
		status = http.StatusUnauthorized
	case oidc.ServerError:
		status = http.StatusInternalServerError
	}
	return status, apiError{Error: code, Description: desc}
}

// writeOAuthError writes err as a JSON error response; see oauthError.
// A 401 carries a Basic challenge: RFC 6749 §5.2 requires one when the
// client tried Basic, and it tells any other client which scheme works.
func writeOAuthError(w http.ResponseWriter, err error) {
	status, body := oauthError(err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, body)
}
