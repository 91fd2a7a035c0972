package share

import (
	"io"
	"sync"
	"time"
)

// stallWriter is a viewer's output, watched: a write that has not
// finished for stallAfter means the viewer accepts no bytes (a suspended
// ssh, a dead network), and the watchdog ends that viewer's session.
type stallWriter struct {
	w       io.Writer
	mu      sync.Mutex
	pending time.Time // when the write in progress began; zero when none
}

// stallAfter is how long a viewer may accept no bytes.
const stallAfter = 60 * time.Second

func (s *stallWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.pending = time.Now()
	s.mu.Unlock()
	n, err := s.w.Write(p)
	s.mu.Lock()
	s.pending = time.Time{}
	s.mu.Unlock()
	return n, err
}

// stalled reports whether a write has been pending longer than d.
func (s *stallWriter) stalled(now time.Time, d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.pending.IsZero() && now.Sub(s.pending) > d
}

// watch calls stop once the writer has stalled for d, checking every
// tick, until done is closed.
func (s *stallWriter) watch(done <-chan struct{}, d, tick time.Duration, stop func()) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			if s.stalled(now, d) {
				stop()
				return
			}
		}
	}
}
