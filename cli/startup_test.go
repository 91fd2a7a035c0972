package cli

import (
	"math"
	"runtime/debug"
	"testing"
	"time"
)

// TestHoldGCPutsTheSettingsBack checks that the collector held off for a
// TUI's start runs again as it was set, GOGC and GOMEMLIMIT alike.
func TestHoldGCPutsTheSettingsBack(t *testing.T) {
	was := debug.SetGCPercent(150)
	wasLimit := debug.SetMemoryLimit(1 << 40)
	t.Cleanup(func() { debug.SetGCPercent(was); debug.SetMemoryLimit(wasLimit) })

	holdGC(50*time.Millisecond, 64<<20)
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("during the hold GOGC is %d; want off", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 64<<20 {
		t.Errorf("during the hold the memory limit is %d; want 64 MiB", l)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		if p == 150 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC still %d 5 s after a 50 ms hold; want 150 back", p)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l != 1<<40 || l == math.MaxInt64 {
		t.Errorf("the memory limit after the hold is %d; want 1 TiB back", l)
	}
}
