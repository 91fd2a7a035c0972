package cli

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gogc reads GOGC without setting it.
func gogc() int64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// TestHoldGCPutsGOGCBack: the start's GOGC lasts its pause, then the one
// found is back; a GOGC already higher (or off) is left as it is.
func TestHoldGCPutsGOGCBack(t *testing.T) {
	was := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(was) })

	done := holdGC(time.Hour, 400)
	if got := gogc(); got != 400 {
		t.Errorf("during the hold GOGC is %d; want 400", got)
	}
	select {
	case <-done:
		t.Fatal("the hold ended before its pause")
	default:
	}

	debug.SetGCPercent(150)
	<-holdGC(10*time.Millisecond, 400)
	if got := gogc(); got != 150 {
		t.Errorf("after the hold GOGC is %d; want 150 back", got)
	}

	debug.SetGCPercent(1000)
	<-holdGC(time.Hour, 400)
	if got := gogc(); got != 1000 {
		t.Errorf("a higher GOGC became %d; want 1000 kept", got)
	}
}
