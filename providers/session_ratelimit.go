package providers

import (
	"context"
	"time"
)

// paceToken waits for the rate_limit before a request to the token (or
// login, or refresh) endpoint. Vendors count those too — seed 004's limit
// is for "所有接口", every endpoint, so a login and 60 API calls in one
// minute drew a 429 when only the API calls were paced. Callers pace before
// applying the provider's timeout, so a long wait does not eat it.
func (s *Session) paceToken(ctx context.Context) error {
	if s.limit == nil {
		return nil
	}
	if err := s.limit.Wait(ctx); err != nil {
		return NewNetworkError(s.p.Name, "token request", err, s.Redact)
	}
	return nil
}

// Pace waits until the provider's rate_limit allows another request; it
// returns at once for a provider without one. It also returns how long it
// waited, so the caller can say so.
func (s *Session) Pace(ctx context.Context) (time.Duration, error) {
	if s.limit == nil {
		return 0, nil
	}
	start := s.now()
	err := s.limit.Wait(ctx)
	return s.now().Sub(start), err
}
