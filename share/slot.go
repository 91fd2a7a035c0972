package share

import (
	"sync"
	"time"
)

// slot holds the latest snapshot for one viewer. The presenter's Publish
// only stores into it and wakes the viewer's pump, never waiting: a slow
// or stalled viewer drops frames for itself alone.
type slot struct {
	mu     sync.Mutex
	latest any
	fresh  bool
	wake   chan struct{} // capacity 1: a pending wake-up
}

func newSlot() *slot { return &slot{wake: make(chan struct{}, 1)} }

// put stores v, replacing one not yet taken.
func (s *slot) put(v any) {
	s.mu.Lock()
	s.latest, s.fresh = v, true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take returns the latest snapshot if it was not taken yet.
func (s *slot) take() (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fresh {
		return nil, false
	}
	s.fresh = false
	return s.latest, true
}

// minFrame spaces the snapshots a viewer's program gets: at most 20 a
// second, the latest one each time.
const minFrame = 50 * time.Millisecond

// pump hands the slot's snapshots to send, at most one per minFrame,
// until done is closed. send may block (a viewer's program that is busy):
// only this viewer waits, and the presenter goes on storing into the slot.
func (s *slot) pump(done <-chan struct{}, send func(any)) {
	var last time.Time
	for {
		select {
		case <-done:
			return
		case <-s.wake:
		}
		if wait := minFrame - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-done:
				t.Stop()
				return
			case <-t.C:
			}
		}
		if v, ok := s.take(); ok {
			send(v)
			last = time.Now()
		}
	}
}
