// Package ratelimit keeps a caller under a vendor's "at most N requests in
// any window of Per", on an injected clock, so tests need not wait.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate is at most N requests in any window of Per.
type Rate struct {
	N   int
	Per time.Duration
}

// Parse reads "60/min", "10/s", "1000/h" (also "second", "minute",
// "hour", and a count of units: "100/10s"). Its errors name the config
// key the text comes from, rate_limit.
func Parse(s string) (Rate, error) {
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

// Limiter keeps its callers under a Rate with a sliding window: the next
// request may go when the oldest of the last N is Per old. A token bucket
// (x/time/rate) would allow up to 2N in some window of Per, which a vendor
// counting "60 per minute" answers with 429. It is safe for concurrent use.
type Limiter struct {
	rate  Rate
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu   sync.Mutex
	sent []time.Time // times of the last N requests (reserved), oldest first
}

// New returns a Limiter for rate on the clock now, waiting with sleep
// (which returns early, with an error, when its context ends).
func New(rate Rate, now func() time.Time, sleep func(context.Context, time.Duration) error) *Limiter {
	return &Limiter{rate: rate, now: now, sleep: sleep}
}

// Wait reserves a slot and sleeps until it comes.
func (l *Limiter) Wait(ctx context.Context) error {
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
