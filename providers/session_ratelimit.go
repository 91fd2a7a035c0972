package providers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate is a rate_limit: at most N requests in any window of Per.
type Rate struct {
	N   int
	Per time.Duration
}

// ParseRate reads "60/min", "10/s", "1000/h" (also "second", "minute",
// "hour", and a count of units: "100/10s").
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || count <= 0 {
		return Rate{}, fmt.Errorf("rate_limit %q: want N/unit, like 60/min or 10/s", s)
	}
	per = strings.TrimSpace(per)
	units := map[string]time.Duration{"s": time.Second, "sec": time.Second, "second": time.Second, "m": time.Minute, "min": time.Minute, "minute": time.Minute, "h": time.Hour, "hour": time.Hour}
	if d, ok := units[per]; ok {
		return Rate{N: count, Per: d}, nil
	}
	if d, err := time.ParseDuration(per); err == nil && d > 0 {
		return Rate{N: count, Per: d}, nil
	}
	return Rate{}, fmt.Errorf("rate_limit %q: unknown unit %q (use s, min or h)", s, per)
}

// limiter keeps a provider under its rate_limit with a sliding window: the
// next request may go when the oldest of the last N is Per old. A token
// bucket (x/time/rate) would allow up to 2N in some window of Per, which a
// vendor counting "60 per minute" answers with 429.
type limiter struct {
	rate  Rate
	mu    sync.Mutex
	sent  []time.Time // times of the last N requests (reserved), oldest first
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// wait reserves a slot and sleeps until it comes.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := l.now()
	at := now
	if len(l.sent) >= l.rate.N {
		if next := l.sent[len(l.sent)-l.rate.N].Add(l.rate.Per); next.After(at) {
			at = next
		}
	}
	l.sent = append(l.sent, at)
	if len(l.sent) > l.rate.N {
		l.sent = l.sent[len(l.sent)-l.rate.N:]
	}
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return l.sleep(ctx, d)
	}
	return nil
}

// paceToken waits for the rate_limit before a request to the token (or
// login, or refresh) endpoint. Vendors count those too — seed 004's limit
// is for "所有接口", every endpoint, so a login and 60 API calls in one
// minute drew a 429 when only the API calls were paced. Callers pace before
// applying the provider's timeout, so a long wait does not eat it.
func (s *Session) paceToken(ctx context.Context) error {
	if s.limit == nil {
		return nil
	}
	if err := s.limit.wait(ctx); err != nil {
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
	err := s.limit.wait(ctx)
	return s.now().Sub(start), err
}
