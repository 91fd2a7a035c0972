package durfmt_test

import (
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/durfmt"
)

// TestOneSpanOneReading: the same span read by every form gives the same
// numbers. Before, 299.5 s was 4:59 on the token pane and 5:00 in the
// CLI's sign-in, and 30 h was 1d 6h on the pane, 30:00:00 in the CLI and
// 30h0m0s in the doctor.
func TestOneSpanOneReading(t *testing.T) {
	const s, ms = time.Second, time.Millisecond
	tests := []struct {
		d                    time.Duration
		clock, words, timing string
	}{
		{-s, "0:00", "0s", "0.0 ms"},
		{0, "0:00", "0s", "0.0 ms"},
		{450 * time.Microsecond, "0:00", "0s", "0.4 ms"},
		{9999 * time.Microsecond, "0:00", "0s", "9.9 ms"},
		{143*ms + 900*time.Microsecond, "0:00", "0s", "143 ms"},
		{2490 * ms, "0:02", "2s", "2.4 s"},
		{41 * s, "0:41", "41s", "41.0 s"},
		{59999 * ms, "0:59", "59s", "59.9 s"},
		{75 * s, "1:15", "1m15s", "1m15s"},
		{299500 * ms, "4:59", "4m59s", "4m59s"},
		{5 * time.Minute, "5:00", "5m0s", "5m0s"},
		{time.Hour + 2*time.Minute + 3*s, "1:02:03", "1h2m3s", "1h2m3s"},
		{24*time.Hour - s, "23:59:59", "23h59m59s", "23h59m59s"},
		{24 * time.Hour, "1d 0h", "1d 0h", "1d 0h"},
		{30*time.Hour + 59*time.Minute, "1d 6h", "1d 6h", "1d 6h"},
		{30*24*time.Hour - s, "29d 23h", "29d 23h", "29d 23h"},
	}
	for _, tt := range tests {
		if got := durfmt.Clock(tt.d); got != tt.clock {
			t.Errorf("Clock(%v) = %q, want %q", tt.d, got, tt.clock)
		}
		if got := durfmt.Words(tt.d); got != tt.words {
			t.Errorf("Words(%v) = %q, want %q", tt.d, got, tt.words)
		}
		if got := durfmt.Timing(tt.d); got != tt.timing {
			t.Errorf("Timing(%v) = %q, want %q", tt.d, got, tt.timing)
		}
	}
}
