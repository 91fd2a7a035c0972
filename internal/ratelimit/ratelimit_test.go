package ratelimit_test

import (
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/ratelimit"
)

// The sliding window itself is tested through the session that paces
// with it (providers' TestRateLimitSlidingWindow).

func TestParse(t *testing.T) {
	for _, bad := range []string{"", "60", "x/min", "0/s", "5/fortnight"} {
		if _, err := ratelimit.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	for in, want := range map[string]ratelimit.Rate{"60/min": {60, time.Minute}, "10/s": {10, time.Second}, "100/10s": {100, 10 * time.Second}, "5/hour": {5, time.Hour}} {
		if got, err := ratelimit.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v", in, got, err)
		}
	}
}
