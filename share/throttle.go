package share

import (
	"sync"
	"time"
)

// throttle slows and then refuses repeated failed join codes, counted per
// remote address and user name together: viewers that come through `ssh
// -L` all arrive from 127.0.0.1, and one of them guessing must not lock the
// others out. Authorized keys never pass through it.
type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string]*failures
}

type failures struct {
	n     int
	last  time.Time
	until time.Time // refused until then
}

const (
	// failWindow forgets failures older than this.
	failWindow = 10 * time.Minute
	// lockAfter failures in the window refuse the pair for lockFor.
	lockAfter = 10
	lockFor   = 10 * time.Minute
	// slowAfter failures make each further attempt wait slowStep more.
	slowAfter = 3
	slowStep  = 500 * time.Millisecond
	maxSlow   = 5 * time.Second
)

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, fails: map[string]*failures{}}
}

// check says whether key may try now, and how long to wait before its
// answer is judged (0 for the first attempts).
func (t *throttle) check(key string) (ok bool, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.get(key)
	if f == nil {
		return true, 0
	}
	if t.now().Before(f.until) {
		return false, 0
	}
	if f.n >= slowAfter {
		wait = min(time.Duration(f.n-slowAfter+1)*slowStep, maxSlow)
	}
	return true, wait
}

// fail records a failed attempt.
func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.get(key)
	if f == nil {
		f = &failures{}
		t.fails[key] = f
	}
	f.n++
	f.last = t.now()
	if f.n >= lockAfter {
		f.until = f.last.Add(lockFor)
	}
}

// succeed forgets key's failures.
func (t *throttle) succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

// get returns key's failures, dropping them when they are old.
func (t *throttle) get(key string) *failures {
	f := t.fails[key]
	if f != nil && t.now().Sub(f.last) > failWindow && !t.now().Before(f.until) {
		delete(t.fails, key)
		return nil
	}
	return f
}
