package providers

import (
	"errors"
	"time"
)

// State is where a provider's token stands. The model maps each state to
// what the screen draws; the names are part of the JSON output and the docs.
type State int

// The token states, in DESIGN.md's order.
const (
	StateNone         State = iota // no token yet, nothing in flight
	StateFetching                  // a grant is running
	StateAwaitingUser              // an interactive grant waits for the person
	StateValid                     // a token is held, outside the refresh window (expiry may be unknown)
	StateExpiring                  // inside refresh_before, no refresh in flight yet
	StateRefreshing                // a refresh request is in flight
	StateExpired                   // past expiry and no automatic way back
	StateNeedsLogin                // only an interactive grant can get a new token
	StateError                     // the last attempt failed
)

var stateNames = [...]string{"none", "fetching", "awaiting_user", "valid", "expiring", "refreshing", "expired", "needs_login", "error"}

// String returns the state's name as documented ("awaiting_user", ...).
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// Activity is what is happening to a provider's token right now, as far as
// the caller knows: the one input State cannot read off the token itself.
type Activity int

// The activities a caller tracks.
const (
	Idle Activity = iota
	Fetching
	Refreshing
	AwaitingUser
)

// StateOf derives the state from the token held (nil for none), what is in
// flight, the last error and the clock. Deriving it, rather than storing it,
// keeps the countdown and the state from ever disagreeing.
func StateOf(tok *Token, act Activity, lastErr error, now time.Time, refreshBefore time.Duration) State {
	switch act {
	case Fetching:
		return StateFetching
	case Refreshing:
		return StateRefreshing
	case AwaitingUser:
		return StateAwaitingUser
	}
	if lastErr != nil {
		if errors.Is(lastErr, ErrNeedsLogin) {
			return StateNeedsLogin
		}
		return StateError
	}
	if tok == nil || tok.Access.IsZero() {
		// An empty access token is no token, whatever its expiry says.
		return StateNone
	}
	if tok.Expiry.IsZero() {
		return StateValid
	}
	// A token that lives shorter than the refresh window would be
	// "expiring" from birth and refreshed on every call: cap the window at
	// half its life.
	if life := tok.Lifetime(); life > 0 && refreshBefore > life/2 {
		refreshBefore = life / 2
	}
	switch left := tok.Expiry.Sub(now); {
	case left <= 0:
		return StateExpired
	case left <= refreshBefore:
		return StateExpiring
	}
	return StateValid
}
