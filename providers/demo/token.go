package demo

import (
	"context"
	"net/http"
	"time"

	httphelper "github.com/zitadel/oidc/v3/pkg/http"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// maxFormBytes bounds the body of the OAuth endpoints; real requests are a
// few hundred bytes.
const maxFormBytes = 64 << 10

// handleToken is the token endpoint. op parses each grant's request,
// authenticates the client, checks the code, PKCE verifier or refresh
// token and signs the access token; the storage decides the rest (scopes,
// refresh tokens, rotation, the device grant's state).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, oidc.ErrInvalidRequest().WithDescription("The body must be application/x-www-form-urlencoded."))
		return
	}
	grantType := oidc.GrantType(r.PostForm.Get("grant_type"))
	s.stats.grant(string(grantType))
	r = r.WithContext(op.ContextWithIssuer(r.Context(), s.baseURL(r)))

	var resp *oidc.AccessTokenResponse
	var err error
	switch grantType {
	case oidc.GrantTypeClientCredentials:
		resp, err = s.clientCredentials(r)
	case oidc.GrantTypeCode:
		resp, err = s.codeExchange(r)
	case oidc.GrantTypeRefreshToken:
		resp, err = s.refreshExchange(r)
	case oidc.GrantTypeDeviceCode:
		resp, err = s.deviceExchange(r)
	case oidc.GrantTypeBearer:
		resp, err = s.jwtBearer(r)
	case oidc.GrantTypeTokenExchange:
		s.tokenExchange(w, r)
		return
	case "":
		err = oidc.ErrInvalidRequest().WithDescription("The grant_type parameter is missing.")
	default:
		err = oidc.ErrUnsupportedGrantType()
	}
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	resp.TokenType = "bearer" // RFC 6749 §7.1 names it so; op writes "Bearer"
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// checkPublicGrant refuses a grant a public client may not use before op
// looks at anything else: naming a public client is all its
// authentication, so saying what it may not do reveals nothing, and it
// gives unauthorized_client where op would say invalid_client.
func (s *Server) checkPublicGrant(r *http.Request, grantType oidc.GrantType) error {
	id, _, ok := r.BasicAuth()
	if !ok {
		id = r.PostForm.Get("client_id")
	}
	if c := s.store.client(id); c != nil && c.public() && !c.allows(grantType) {
		return oidc.ErrUnauthorizedClient().WithDescription("The client %q may not use the %s grant.", id, string(grantType))
	}
	return nil
}

// knownClient looks up the client a device endpoint names; an unknown one
// is refused the same way by both.
func (s *Server) knownClient(id string) (*client, error) {
	if c := s.store.client(id); c != nil {
		return c, nil
	}
	return nil, oidc.ErrInvalidClient().WithDescription("The client is unknown to this server.")
}

func (s *Server) clientCredentials(r *http.Request) (*oidc.AccessTokenResponse, error) {
	if r.PostForm.Has("client_assertion") {
		return s.signedClientCredentials(r)
	}
	_, tokenReq, client, err := validRequest(s, r, oidc.GrantTypeClientCredentials,
		op.ParseClientCredentialsRequest, op.ValidateClientCredentialsRequest)
	if err != nil {
		return nil, err
	}
	return op.CreateClientCredentialsTokenResponse(r.Context(), tokenReq, s.provider, client)
}

func (s *Server) codeExchange(r *http.Request) (*oidc.AccessTokenResponse, error) {
	_, authReq, client, err := validRequest(s, r, oidc.GrantTypeCode,
		op.ParseAccessTokenRequest, op.ValidateAccessTokenRequest)
	if err != nil {
		return nil, err
	}
	// Not op.CreateTokenResponse: that also makes an OpenID Connect ID
	// token, and the demo issues none.
	return tokenResponse(r, authReq, client, "", s.provider)
}

func (s *Server) refreshExchange(r *http.Request) (*oidc.AccessTokenResponse, error) {
	req, refreshReq, client, err := validRequest(s, r, oidc.GrantTypeRefreshToken,
		op.ParseRefreshTokenRequest, op.ValidateRefreshTokenRequest)
	if err != nil {
		return nil, err
	}
	return tokenResponse(r, refreshReq, client, req.RefreshToken, s.provider)
}

// validRequest takes the steps op takes first for each of the grants
// above, given that grant's parse and validate: refuse what a public
// client may not do, read the request, then validate it against the client
// and the storage. What comes back is what the grant's tokens are made
// from.
func validRequest[Req, Valid any](s *Server, r *http.Request, grant oidc.GrantType,
	parse func(*http.Request, httphelper.Decoder) (Req, error),
	validate func(context.Context, Req, op.Exchanger) (Valid, op.Client, error),
) (req Req, valid Valid, client op.Client, err error) {
	if err = s.checkPublicGrant(r, grant); err != nil {
		return req, valid, nil, err
	}
	if req, err = parse(r, s.provider.Decoder()); err != nil {
		return req, valid, nil, err
	}
	valid, client, err = validate(r.Context(), req, s.provider)
	return req, valid, client, err
}

// deviceExchange is RFC 8628 §3.4-3.5. op authenticates the client and
// makes the tokens; the polling answers come from the storage (see
// GetDeviceAuthorizatonState for why not op's).
func (s *Server) deviceExchange(r *http.Request) (*oidc.AccessTokenResponse, error) {
	if err := s.checkPublicGrant(r, oidc.GrantTypeDeviceCode); err != nil {
		return nil, err
	}
	clientID, authenticated, err := op.ClientIDFromRequest(r, s.provider)
	if err != nil {
		return nil, err
	}
	c, err := s.knownClient(clientID)
	if err != nil {
		return nil, err
	}
	switch {
	case !c.public() && !authenticated:
		return nil, oidc.ErrInvalidClient().WithDescription("This client must authenticate with its secret.")
	case !c.allows(oidc.GrantTypeDeviceCode):
		// Before the device code is looked at: a client that may not use
		// the grant learns nothing about device codes.
		return nil, oidc.ErrUnauthorizedClient().WithDescription("The client %q may not use the device_code grant.", clientID)
	}
	req, err := op.ParseDeviceAccessTokenRequest(r, s.provider)
	if err != nil {
		return nil, oidc.ErrInvalidRequest().WithDescription("The token request could not be read.").WithParent(err)
	}
	if req.DeviceCode == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("The device_code parameter is missing.")
	}
	g, err := s.store.pollDevice(req.DeviceCode, clientID, s.store.now())
	if err != nil {
		return nil, err
	}
	return op.CreateDeviceTokenResponse(r.Context(), g, s.provider, c)
}

// tokenResponse signs an access token for req and, when the storage
// issues one, a refresh token.
func tokenResponse(r *http.Request, req op.TokenRequest, client op.Client, currentRefresh string, creator op.TokenCreator) (*oidc.AccessTokenResponse, error) {
	access, refresh, validity, err := op.CreateAccessToken(r.Context(), req, op.AccessTokenTypeJWT, creator, client, currentRefresh)
	if err != nil {
		return nil, err
	}
	return &oidc.AccessTokenResponse{
		AccessToken:  access,
		RefreshToken: refresh,
		ExpiresIn:    uint64(validity.Round(time.Second) / time.Second),
		Scope:        req.GetScopes(),
	}, nil
}
