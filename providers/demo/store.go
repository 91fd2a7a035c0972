package demo

import (
	"context"
	"sync"
	"time"

	"github.com/ory/fosite"
)

// store is the demo's in-memory fosite storage. It is ours rather than
// fosite's storage.MemoryStore for two reasons found in v0.49.0:
// storage imports fosite/internal, which drags testify, gomock and the
// testing package into every keyhole binary; and
// MemoryStore.RevokeRefreshToken writes its map under the wrong lock, a
// data race when a refresh meets another token request. One mutex over
// plain maps is simple and plenty fast for a demo.
type store struct {
	mu      sync.Mutex
	clients map[string]fosite.Client
	codes   map[string]entry // by authorization-code signature
	pkce    map[string]fosite.Requester
	access  map[string]fosite.Requester // by access-token signature
	refresh map[string]entry            // by refresh-token signature
	creates int                         // token creations since the last sweep
}

// entry is a stored grant that can be marked used (a code) or rotated (a
// refresh token) while staying known, so fosite can detect replay.
type entry struct {
	req    fosite.Requester
	active bool
}

// keepExpired is how long expired grants stay in the store: long enough
// to tell a client "expired" rather than "unknown", short enough that a
// long-running demo does not grow without bound.
const keepExpired = time.Hour

func newStore(clients ...fosite.Client) *store {
	s := &store{
		clients: map[string]fosite.Client{},
		codes:   map[string]entry{},
		pkce:    map[string]fosite.Requester{},
		access:  map[string]fosite.Requester{},
		refresh: map[string]entry{},
	}
	for _, c := range clients {
		s.clients[c.GetID()] = c
	}
	return s
}

// GetClient implements fosite.ClientManager.
func (s *store) GetClient(_ context.Context, id string) (fosite.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, fosite.ErrNotFound
}

// ClientAssertionJWTValid implements fosite.ClientManager. No client uses
// JWT assertions, so no JTI is ever known.
func (s *store) ClientAssertionJWTValid(context.Context, string) error { return nil }

// SetClientAssertionJWT implements fosite.ClientManager; see
// ClientAssertionJWTValid.
func (s *store) SetClientAssertionJWT(context.Context, string, time.Time) error { return nil }

func (s *store) CreateAuthorizeCodeSession(_ context.Context, sig string, req fosite.Requester) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[sig] = entry{req: req, active: true}
	s.created()
	return nil
}

func (s *store) GetAuthorizeCodeSession(_ context.Context, sig string, _ fosite.Session) (fosite.Requester, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.codes[sig]
	switch {
	case !ok:
		return nil, fosite.ErrNotFound
	case !e.active:
		// fosite needs the request to revoke what the first use issued.
		return e.req, fosite.ErrInvalidatedAuthorizeCode
	}
	return e.req, nil
}

func (s *store) InvalidateAuthorizeCodeSession(_ context.Context, sig string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.codes[sig]
	if !ok {
		return fosite.ErrNotFound
	}
	e.active = false
	s.codes[sig] = e
	return nil
}

func (s *store) CreatePKCERequestSession(_ context.Context, sig string, req fosite.Requester) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pkce[sig] = req
	return nil
}

func (s *store) GetPKCERequestSession(_ context.Context, sig string, _ fosite.Session) (fosite.Requester, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req, ok := s.pkce[sig]; ok {
		return req, nil
	}
	return nil, fosite.ErrNotFound
}

func (s *store) DeletePKCERequestSession(_ context.Context, sig string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pkce, sig)
	return nil
}

func (s *store) CreateAccessTokenSession(_ context.Context, sig string, req fosite.Requester) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access[sig] = req
	s.created()
	return nil
}

func (s *store) GetAccessTokenSession(_ context.Context, sig string, _ fosite.Session) (fosite.Requester, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req, ok := s.access[sig]; ok {
		return req, nil
	}
	return nil, fosite.ErrNotFound
}

func (s *store) DeleteAccessTokenSession(_ context.Context, sig string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.access, sig)
	return nil
}

func (s *store) CreateRefreshTokenSession(_ context.Context, sig, _ string, req fosite.Requester) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh[sig] = entry{req: req, active: true}
	s.created()
	return nil
}

func (s *store) GetRefreshTokenSession(_ context.Context, sig string, _ fosite.Session) (fosite.Requester, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.refresh[sig]
	switch {
	case !ok:
		return nil, fosite.ErrNotFound
	case !e.active:
		// A rotated token came back: fosite revokes the whole grant.
		return e.req, fosite.ErrInactiveToken
	}
	return e.req, nil
}

func (s *store) DeleteRefreshTokenSession(_ context.Context, sig string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refresh, sig)
	return nil
}

// RotateRefreshToken retires the refresh and access tokens of a grant
// before fosite stores their successors under the same request ID.
func (s *store) RotateRefreshToken(_ context.Context, requestID, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeRefresh(requestID)
	s.revokeAccess(requestID)
	return nil
}

// RevokeRefreshToken marks every refresh token of a grant used.
func (s *store) RevokeRefreshToken(_ context.Context, requestID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeRefresh(requestID)
	return nil
}

// RevokeAccessToken forgets every access token of a grant.
func (s *store) RevokeAccessToken(_ context.Context, requestID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeAccess(requestID)
	return nil
}

func (s *store) revokeRefresh(requestID string) {
	for sig, e := range s.refresh {
		if e.req.GetID() == requestID {
			e.active = false
			s.refresh[sig] = e
		}
	}
}

func (s *store) revokeAccess(requestID string) {
	for sig, req := range s.access {
		if req.GetID() == requestID {
			delete(s.access, sig)
		}
	}
}

// created counts a stored grant and, every so often, drops grants that
// expired more than keepExpired ago. Callers hold s.mu.
func (s *store) created() {
	if s.creates++; s.creates < 256 {
		return
	}
	s.creates = 0
	cutoff := time.Now().Add(-keepExpired)
	stale := func(req fosite.Requester, t fosite.TokenType) bool {
		exp := req.GetSession().GetExpiresAt(t)
		return !exp.IsZero() && exp.Before(cutoff)
	}
	for sig, e := range s.codes {
		if stale(e.req, fosite.AuthorizeCode) {
			delete(s.codes, sig)
			delete(s.pkce, sig)
		}
	}
	for sig, req := range s.access {
		if stale(req, fosite.AccessToken) {
			delete(s.access, sig)
		}
	}
	for sig, e := range s.refresh {
		if stale(e.req, fosite.RefreshToken) {
			delete(s.refresh, sig)
		}
	}
}
