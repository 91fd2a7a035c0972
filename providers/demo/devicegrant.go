package demo

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/oauth2"
)

// deviceGrant is the RFC 8628 §3.4-3.5 token-endpoint handler. fosite
// v0.49.0 has none, so this one plugs into fosite like its own grants do:
// fosite authenticates the client and calls it, and it issues tokens with
// fosite's strategies into fosite's store, so the tokens are the same JWTs
// as every other grant's and revocation, introspection and the
// refresh_token grant treat them alike.
type deviceGrant struct {
	devices       *deviceCodes
	accessTokens  oauth2.AccessTokenStrategy
	refreshTokens oauth2.RefreshTokenStrategy
	accessStore   oauth2.AccessTokenStorage
	refreshStore  oauth2.RefreshTokenStorage
	config        interface {
		fosite.AccessTokenLifespanProvider
		fosite.RefreshTokenLifespanProvider
		fosite.RefreshTokenScopesProvider
	}
}

var _ fosite.TokenEndpointHandler = (*deviceGrant)(nil)

// deviceGrantFactory registers deviceGrant through compose.Compose, which
// hands it the same store and strategy as fosite's own handlers.
func deviceGrantFactory(devices *deviceCodes) compose.Factory {
	return func(config fosite.Configurator, storage, strategy any) any {
		return &deviceGrant{
			devices:       devices,
			accessTokens:  strategy.(oauth2.AccessTokenStrategy),
			refreshTokens: strategy.(oauth2.RefreshTokenStrategy),
			accessStore:   storage.(oauth2.AccessTokenStorage),
			refreshStore:  storage.(oauth2.RefreshTokenStorage),
			config:        config,
		}
	}
}

// CanHandleTokenEndpointRequest implements fosite.TokenEndpointHandler.
func (g *deviceGrant) CanHandleTokenEndpointRequest(_ context.Context, req fosite.AccessRequester) bool {
	return req.GetGrantTypes().ExactOne(deviceGrantType)
}

// CanSkipClientAuth implements fosite.TokenEndpointHandler: RFC 8628 §3.4
// authenticates the client as RFC 6749 does, which for a public client
// means sending client_id.
func (g *deviceGrant) CanSkipClientAuth(context.Context, fosite.AccessRequester) bool {
	return false
}

// HandleTokenEndpointRequest implements fosite.TokenEndpointHandler. It
// answers authorization_pending, slow_down, access_denied or expired_token
// until the person has approved, and then loads the approved grant into
// req: its ID (so revocation finds every token of it), session and scopes.
func (g *deviceGrant) HandleTokenEndpointRequest(ctx context.Context, req fosite.AccessRequester) error {
	if !g.CanHandleTokenEndpointRequest(ctx, req) {
		return fosite.ErrUnknownRequest
	}
	client := req.GetClient()
	// Before the store is touched, like fosite's own grants: a client that
	// may not use the grant learns nothing about device codes.
	if !client.GetGrantTypes().Has(deviceGrantType) {
		return fosite.ErrUnauthorizedClient.WithHintf("The client %q may not use the device_code grant.", client.GetID())
	}
	code := req.GetRequestForm().Get("device_code")
	if code == "" {
		return fosite.ErrInvalidRequest.WithHint("The device_code parameter is missing.")
	}
	grant, err := g.devices.poll(code, client.GetID(), time.Now())
	if err != nil {
		return err
	}

	req.SetID(grant.GetID())
	req.SetSession(grant.GetSession())
	// A client may repeat scope on the token request (x/oauth2 does); what
	// was approved is what counts.
	req.SetRequestedScopes(grant.GetRequestedScopes())
	req.SetRequestedAudience(grant.GetRequestedAudience())
	for _, sc := range grant.GetGrantedScopes() {
		req.GrantScope(sc)
	}
	for _, aud := range grant.GetGrantedAudience() {
		req.GrantAudience(aud)
	}

	now := time.Now().UTC()
	gt := fosite.GrantType(deviceGrantType)
	atLifespan := fosite.GetEffectiveLifespan(client, gt, fosite.AccessToken, g.config.GetAccessTokenLifespan(ctx))
	req.GetSession().SetExpiresAt(fosite.AccessToken, now.Add(atLifespan).Round(time.Second))
	if rtLifespan := fosite.GetEffectiveLifespan(client, gt, fosite.RefreshToken, g.config.GetRefreshTokenLifespan(ctx)); rtLifespan > -1 {
		req.GetSession().SetExpiresAt(fosite.RefreshToken, now.Add(rtLifespan).Round(time.Second))
	}
	return nil
}

// PopulateTokenEndpointResponse implements fosite.TokenEndpointHandler,
// issuing and storing the tokens as fosite's authorization-code grant
// does: a refresh token only with offline_access and for a client allowed
// the refresh_token grant.
func (g *deviceGrant) PopulateTokenEndpointResponse(ctx context.Context, req fosite.AccessRequester, resp fosite.AccessResponder) error {
	if !g.CanHandleTokenEndpointRequest(ctx, req) {
		return fosite.ErrUnknownRequest
	}
	access, accessSig, err := g.accessTokens.GenerateAccessToken(ctx, req)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err).WithDebug(err.Error())
	}
	var refresh, refreshSig string
	if g.canRefresh(ctx, req) {
		if refresh, refreshSig, err = g.refreshTokens.GenerateRefreshToken(ctx, req); err != nil {
			return fosite.ErrServerError.WithWrap(err).WithDebug(err.Error())
		}
	}
	if err := g.accessStore.CreateAccessTokenSession(ctx, accessSig, req.Sanitize(nil)); err != nil {
		return fosite.ErrServerError.WithWrap(err).WithDebug(err.Error())
	}
	if refreshSig != "" {
		if err := g.refreshStore.CreateRefreshTokenSession(ctx, refreshSig, accessSig, req.Sanitize(nil)); err != nil {
			return fosite.ErrServerError.WithWrap(err).WithDebug(err.Error())
		}
	}

	resp.SetAccessToken(access)
	resp.SetTokenType("bearer")
	resp.SetExpiresIn(time.Until(req.GetSession().GetExpiresAt(fosite.AccessToken)))
	resp.SetScopes(req.GetGrantedScopes())
	if refresh != "" {
		resp.SetExtra("refresh_token", refresh)
	}
	return nil
}

func (g *deviceGrant) canRefresh(ctx context.Context, req fosite.Requester) bool {
	if scopes := g.config.GetRefreshTokenScopes(ctx); len(scopes) > 0 && !req.GetGrantedScopes().HasOneOf(scopes...) {
		return false
	}
	return req.GetClient().GetGrantTypes().Has("refresh_token")
}

// The RFC 8628 §3.5 errors, which fosite does not define. They are
// functions, not variables like fosite's, because a *RFC6749Error is
// mutable and the package keeps no mutable state. access_denied is ours
// too because fosite's has status 403 where the token endpoint answers 400
// (RFC 6749 §5.2).
func errAuthorizationPending() *fosite.RFC6749Error {
	return deviceError("authorization_pending", "The user has not yet approved or denied the request; keep polling.")
}

func errSlowDown(interval time.Duration) *fosite.RFC6749Error {
	return deviceError("slow_down", "Polling too fast: wait at least "+strconv.FormatInt(wholeSeconds(interval), 10)+" s between requests for this device_code.")
}

func errDeviceAccessDenied() *fosite.RFC6749Error {
	return deviceError("access_denied", "The user denied the request.")
}

func errExpiredToken() *fosite.RFC6749Error {
	return deviceError("expired_token", "The device_code has expired; start a new device authorization.")
}

func deviceError(code, description string) *fosite.RFC6749Error {
	return &fosite.RFC6749Error{ErrorField: code, DescriptionField: description, CodeField: http.StatusBadRequest}
}
