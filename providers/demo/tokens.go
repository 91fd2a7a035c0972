package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// refreshTokenTTL is how long an unused refresh token stays valid.
const refreshTokenTTL = 24 * time.Hour

// grant is one authorization: who approved what for which client. Every
// token issued from it carries its id, so refreshing can retire the
// grant's older tokens and reuse of a rotated refresh token can revoke all
// of them. It is the op.TokenRequest of the client_credentials and device
// grants and the op.RefreshTokenRequest of the refresh grant.
type grant struct {
	id       string
	clientID string
	subject  string
	scopes   []string
	authTime time.Time
}

var _ op.RefreshTokenRequest = (*grant)(nil)

func (g *grant) GetAMR() []string            { return nil }
func (g *grant) GetAudience() []string       { return []string{apiAudience} }
func (g *grant) GetAuthTime() time.Time      { return g.authTime }
func (g *grant) GetClientID() string         { return g.clientID }
func (g *grant) GetScopes() []string         { return g.scopes }
func (g *grant) GetSubject() string          { return g.subject }
func (g *grant) SetCurrentScopes(s []string) { g.scopes = s }

// username is the resource owner's name for tokens a person approved.
func (g *grant) username() string {
	if g.subject == demoUser {
		return demoUser
	}
	return ""
}

func newGrantID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// accessToken is the server's record of an issued JWT, by its jti: the
// JWT alone cannot be revoked, so the sample API and introspection also
// ask whether this record still exists.
type accessToken struct {
	grant   grant
	issuer  string
	issued  time.Time
	expires time.Time
}

// refreshToken is an opaque refresh token's record. A rotated one stays,
// inactive, so that its reuse is recognised (RFC 6819 §5.2.2.3).
type refreshToken struct {
	grant   grant
	active  bool
	expires time.Time
}

// grantOf turns the token requests op hands to storage into a grant.
func grantOf(req op.TokenRequest) (grant, error) {
	switch r := req.(type) {
	case *authRequest:
		return r.grant(), nil
	case *grant:
		return *r, nil
	case *exchangeRequest:
		return r.grant, nil
	}
	return grant{}, fmt.Errorf("demo storage: unexpected token request %T", req)
}

// CreateAccessToken implements op.AuthStorage.
func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	g, err := grantOf(req)
	if err != nil {
		return "", time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	jti, exp := s.issueAccess(g, op.IssuerFromContext(ctx), time.Now())
	return jti, exp, nil
}

// CreateAccessAndRefreshTokens implements op.AuthStorage. op asks for a
// refresh token for every grant that may have one; the demo issues it only
// when offline_access was granted to a client allowed the refresh_token
// grant. With currentRefreshToken set this is the refresh grant: the
// presented token is retired with the grant's access tokens, unless it
// was already retired, which is reuse and revokes the whole grant.
func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, currentRefreshToken string) (string, string, time.Time, error) {
	g, err := grantOf(req)
	if err != nil {
		return "", "", time.Time{}, err
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if currentRefreshToken != "" {
		old := s.refresh[hashKey(currentRefreshToken)]
		if old == nil || old.grant.id != g.id {
			return "", "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("The refresh token is unknown.")
		}
		if !old.active {
			// Another request with the same token won the race.
			s.revokeGrant(g.id)
			return "", "", time.Time{}, errRefreshReused()
		}
		old.active = false
		s.revokeAccess(g.id)
	}
	jti, exp := s.issueAccess(g, op.IssuerFromContext(ctx), now)
	refresh := ""
	if c := s.client(g.clientID); c != nil && c.allows(oidc.GrantTypeRefreshToken) && slices.Contains(g.scopes, oidc.ScopeOfflineAccess) {
		refresh = randomToken(32)
		s.refresh[hashKey(refresh)] = &refreshToken{grant: g, active: true, expires: now.Add(refreshTokenTTL)}
	}
	return jti, refresh, exp, nil
}

// issueAccess records a new access token. Callers hold s.mu.
func (s *storage) issueAccess(g grant, issuer string, now time.Time) (jti string, exp time.Time) {
	jti = randomToken(16)
	exp = now.Add(s.tokenTTL)
	s.access[jti] = &accessToken{grant: g, issuer: issuer, issued: now, expires: exp}
	s.created(now)
	return jti, exp
}

func errRefreshReused() *oidc.Error {
	return oidc.ErrInvalidGrant().WithDescription("The refresh token was already used, so every token of its grant is now revoked (RFC 6819 §5.2.2.3).")
}

// TokenRequestByRefreshToken implements op.AuthStorage. It returns a copy
// of the grant: op may narrow its scopes for this one request.
func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.refresh[hashKey(token)]
	switch {
	case rt == nil:
		return nil, errors.New("unknown refresh token")
	case !rt.active:
		s.revokeGrant(rt.grant.id)
		return nil, errRefreshReused()
	case !time.Now().Before(rt.expires):
		return nil, errors.New("the refresh token expired")
	}
	g := rt.grant
	g.scopes = slices.Clone(g.scopes)
	return &g, nil
}

// GetRefreshTokenInfo implements op.AuthStorage.
func (s *storage) GetRefreshTokenInfo(_ context.Context, clientID, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.refresh[hashKey(token)]
	if rt == nil || rt.grant.clientID != clientID {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.grant.subject, token, nil
}

// RevokeToken implements op.AuthStorage: tokenOrID is a refresh token or
// an access token's jti. A refresh token takes its whole grant with it
// (RFC 7009 §2.1 allows that); a token of another client, or an unknown
// one, is left alone and still answers success (RFC 7009 §2.2).
func (s *storage) RevokeToken(_ context.Context, tokenOrID, _ string, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt := s.refresh[hashKey(tokenOrID)]; rt != nil {
		if rt.grant.clientID == clientID {
			s.revokeGrant(rt.grant.id)
		}
		return nil
	}
	if at := s.access[tokenOrID]; at != nil && at.grant.clientID == clientID {
		delete(s.access, tokenOrID)
	}
	return nil
}

// revokeGrant retires every token of a grant. Callers hold s.mu.
func (s *storage) revokeGrant(id string) {
	for _, rt := range s.refresh {
		if rt.grant.id == id {
			rt.active = false
		}
	}
	s.revokeAccess(id)
}

// revokeAccess forgets every access token of a grant. Callers hold s.mu.
func (s *storage) revokeAccess(id string) {
	for jti, at := range s.access {
		if at.grant.id == id {
			delete(s.access, jti)
		}
	}
}

// accessByID returns a copy of the record of the access token with jti,
// if it was not revoked. Expiry is the JWT's exp to judge (see
// verifyAccessToken), so that an expired token is called expired.
func (s *storage) accessByID(jti string) (accessToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.access[jti]
	if at == nil {
		return accessToken{}, false
	}
	return *at, true
}

// refreshByToken returns a copy of the active refresh token's record.
func (s *storage) refreshByToken(token string, now time.Time) (refreshToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.refresh[hashKey(token)]
	if rt == nil || !rt.active || !now.Before(rt.expires) {
		return refreshToken{}, false
	}
	return *rt, true
}
