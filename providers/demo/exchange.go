package demo

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// tokenExchange is RFC 8693's grant, on op's parse, validate and create
// steps: op authenticates the client (client_secret_basic) and verifies
// the subject and actor tokens (this server's access tokens); the storage
// decides what may be exchanged (ValidateTokenExchangeRequest). The answer
// is written as op writes it, with issued_token_type.
func (s *Server) tokenExchange(w http.ResponseWriter, r *http.Request) {
	req, id, secret, err := op.ParseTokenExchangeRequest(r, s.provider.Decoder())
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	if c := s.store.client(id); c != nil && !c.allows(oidc.GrantTypeTokenExchange) {
		writeOAuthError(w, oidc.ErrUnauthorizedClient().WithDescription("The client %q may not use the token exchange grant.", id))
		return
	}
	valid, client, err := op.ValidateTokenExchangeRequest(r.Context(), req, id, secret, s.provider)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	resp, err := op.CreateTokenExchangeResponse(r.Context(), &exchangeRequest{TokenExchangeRequest: valid, grant: s.store.exchangeGrant(valid)}, client, s.provider)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	resp.TokenType = "bearer"
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// exchangeRequest is a validated exchange with the grant its token is
// recorded under: the subject token's subject, the exchanging client, and
// the scopes ValidateTokenExchangeRequest settled. Its audience is the
// sample API's whatever was asked (the storage refuses any other).
type exchangeRequest struct {
	op.TokenExchangeRequest
	grant grant
}

func (e *exchangeRequest) GetAudience() []string { return []string{apiAudience} }
func (e *exchangeRequest) GetScopes() []string   { return e.grant.scopes }

// exchangeGrant is the grant an exchanged token is recorded under.
func (s *storage) exchangeGrant(req op.TokenExchangeRequest) grant {
	return grant{id: newGrantID(), clientID: req.GetClientID(), subject: req.GetSubject(), scopes: req.GetScopes(), authTime: req.GetAuthTime()}
}

// ValidateTokenExchangeRequest implements op.TokenExchangeStorage. The
// demo exchanges an access token of its own for an access token for the
// sample API: the subject stays, the scopes are those asked for (by
// default the subject token's) and may only narrow the subject token's
// and the client's, and an audience or resource other than the sample
// API's is refused with invalid_target (RFC 8693 §2.2.2).
func (s *storage) ValidateTokenExchangeRequest(_ context.Context, req op.TokenExchangeRequest) error {
	if req.GetExchangeSubjectTokenType() != oidc.AccessTokenType {
		return oidc.ErrInvalidRequest().WithDescription("The demo exchanges access tokens only (subject_token_type %s).", oidc.AccessTokenType)
	}
	switch req.GetRequestedTokenType() {
	case "":
		req.SetRequestedTokenType(oidc.AccessTokenType)
	case oidc.AccessTokenType:
	default:
		return oidc.ErrInvalidRequest().WithDescription("The demo issues access tokens only (requested_token_type %s).", oidc.AccessTokenType)
	}
	for _, a := range append(slices.Clone(req.GetAudience()), req.GetResourses()...) {
		if a != apiAudience && !strings.HasSuffix(a, "/api") {
			return &oidc.Error{ErrorType: "invalid_target", Description: "The demo issues tokens for its sample API only (audience " + apiAudience + "), not for " + a + "."}
		}
	}
	had := strings.Fields(claimString(req.GetExchangeSubjectTokenClaims(), "scope"))
	scopes := req.GetScopes()
	if len(scopes) == 0 {
		scopes = had
	}
	c := s.client(req.GetClientID())
	for _, sc := range scopes {
		if !slices.Contains(had, sc) || c == nil || !c.IsScopeAllowed(sc) {
			return oidc.ErrInvalidScope().WithDescription("Scope %q is not in the subject token, or not allowed for the client %q.", sc, req.GetClientID())
		}
	}
	req.SetCurrentScopes(scopes)
	return nil
}

// CreateTokenExchangeRequest implements op.TokenExchangeStorage: the
// demo keeps no record of the request beyond the token it issues.
func (s *storage) CreateTokenExchangeRequest(context.Context, op.TokenExchangeRequest) error {
	return nil
}

// GetPrivateClaimsFromTokenExchangeRequest implements
// op.TokenExchangeStorage: the scope claim, and RFC 8693 §4.1's act claim
// naming the actor when an actor token came.
func (s *storage) GetPrivateClaimsFromTokenExchangeRequest(_ context.Context, req op.TokenExchangeRequest) (map[string]any, error) {
	claims := map[string]any{"scope": oidc.SpaceDelimitedArray(req.GetScopes()).String()}
	if actor := req.GetExchangeActor(); actor != "" {
		claims["act"] = map[string]any{"sub": actor}
	}
	return claims, nil
}

// SetUserinfoFromTokenExchangeRequest implements op.TokenExchangeStorage;
// the demo issues no ID tokens, so there is no user info to set.
func (s *storage) SetUserinfoFromTokenExchangeRequest(context.Context, *oidc.UserInfo, op.TokenExchangeRequest) error {
	return nil
}

// claimString is a string claim, or "".
func claimString(claims map[string]any, name string) string {
	v, _ := claims[name].(string)
	return v
}
