package demo

import (
	"context"
	"sync"

	"github.com/ory/fosite"
	"github.com/ory/fosite/storage"
)

// store is fosite's in-memory store with its refresh-token methods
// serialized. In fosite v0.49.0, MemoryStore.RevokeRefreshToken rewrites the
// refresh-token map while holding only the request-id lock, so a refresh (or
// a revocation) racing with another token request is a data race. One lock
// around the refresh-token methods closes it; the rest of MemoryStore locks
// correctly on its own.
//
// Nothing is ever purged: a demo process lives minutes to hours, and each
// grant costs a few kilobytes.
type store struct {
	*storage.MemoryStore
	refreshMu sync.RWMutex
}

func newStore() *store { return &store{MemoryStore: storage.NewMemoryStore()} }

func (s *store) CreateRefreshTokenSession(ctx context.Context, signature, accessSignature string, req fosite.Requester) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.MemoryStore.CreateRefreshTokenSession(ctx, signature, accessSignature, req)
}

func (s *store) GetRefreshTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	s.refreshMu.RLock()
	defer s.refreshMu.RUnlock()
	return s.MemoryStore.GetRefreshTokenSession(ctx, signature, session)
}

func (s *store) DeleteRefreshTokenSession(ctx context.Context, signature string) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.MemoryStore.DeleteRefreshTokenSession(ctx, signature)
}

func (s *store) RevokeRefreshToken(ctx context.Context, requestID string) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.MemoryStore.RevokeRefreshToken(ctx, requestID)
}

func (s *store) RotateRefreshToken(ctx context.Context, requestID, refreshSignature string) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.MemoryStore.RotateRefreshToken(ctx, requestID, refreshSignature)
}
