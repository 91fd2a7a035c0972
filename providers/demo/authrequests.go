package demo

import (
	"context"
	"errors"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authCodeTTL is how long an authorization code may wait for its exchange.
const authCodeTTL = 5 * time.Minute

// authRequest is an approved authorization request (RFC 6749 §4.1.1) and,
// once op has made its code, what that code stands for. The demo approves
// before it stores, so every stored request is done and belongs to
// demoUser.
type authRequest struct {
	id           string
	clientID     string
	redirectURI  string
	state        string
	responseType oidc.ResponseType
	responseMode oidc.ResponseMode
	scopes       []string
	challenge    *oidc.CodeChallenge
	subject      string
	authTime     time.Time
	expires      time.Time
	used         bool // the code was exchanged (or tried)
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return nil }
func (a *authRequest) GetAudience() []string                 { return []string{apiAudience} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return "" }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return true }

// grant is what the request's tokens are issued from: its ID is the
// request's, so rotation and revocation find them.
func (a *authRequest) grant() grant {
	return grant{id: a.id, clientID: a.clientID, subject: a.subject, scopes: a.scopes, authTime: a.authTime}
}

// CreateAuthRequest implements op.AuthStorage. The handler has validated
// req and approved it for userID.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	now := time.Now()
	ar := &authRequest{
		id:           newGrantID(),
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		scopes:       append([]string(nil), req.Scopes...),
		subject:      userID,
		authTime:     now,
		expires:      now.Add(authCodeTTL),
	}
	if req.CodeChallenge != "" {
		ar.challenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authRequests[ar.id] = ar
	s.created(now)
	return ar, nil
}

// AuthRequestByID implements op.AuthStorage.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ar, ok := s.authRequests[id]; ok {
		return ar, nil
	}
	return nil, errors.New("unknown authorization request")
}

// SaveAuthCode implements op.AuthStorage.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authRequests[id]; !ok {
		return errors.New("unknown authorization request")
	}
	s.codes[hashKey(code)] = id
	return nil
}

// AuthRequestByCode implements op.AuthStorage. It spends the code on the
// first lookup, whether or not the exchange then succeeds, so two
// exchanges cannot race; a code presented again revokes every token
// issued from it (RFC 6749 §4.1.2).
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar := s.authRequests[s.codes[hashKey(code)]]
	switch {
	case ar == nil:
		return nil, errors.New("unknown authorization code")
	case ar.used:
		s.revokeGrant(ar.id)
		return nil, errors.New("the authorization code was already used; its tokens are revoked")
	case !time.Now().Before(ar.expires):
		return nil, errors.New("the authorization code expired")
	}
	ar.used = true
	return ar, nil
}

// DeleteAuthRequest implements op.AuthStorage. The request stays known
// until it expires, so that a replayed code is recognised as one.
func (s *storage) DeleteAuthRequest(context.Context, string) error { return nil }
