package providers

import (
	"errors"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestStateOf(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	window := 30 * time.Second
	tok := func(left time.Duration) *Token {
		return &Token{Access: secret.New("tok"), Expiry: now.Add(left)}
	}
	unknown := &Token{Access: secret.New("tok")} // zero Expiry: unknown
	failed := errors.New("boom")
	tests := []struct {
		name string
		tok  *Token
		act  Activity
		err  error
		want State
	}{
		{"nothing", nil, Idle, nil, StateNone},
		{"fetching", nil, Fetching, nil, StateFetching},
		{"fetching beats a held token", tok(time.Hour), Fetching, nil, StateFetching},
		{"refreshing", tok(10 * time.Second), Refreshing, nil, StateRefreshing},
		{"awaiting user", nil, AwaitingUser, nil, StateAwaitingUser},
		{"activity beats an old error", nil, Fetching, failed, StateFetching},
		{"error", nil, Idle, failed, StateError},
		{"error beats a held token", tok(time.Hour), Idle, failed, StateError},
		{"valid", tok(time.Hour), Idle, nil, StateValid},
		{"valid just outside the window", tok(window + time.Nanosecond), Idle, nil, StateValid},
		{"expiring at the window's edge", tok(window), Idle, nil, StateExpiring},
		{"expiring inside the window", tok(time.Second), Idle, nil, StateExpiring},
		{"expiring one ns before expiry", tok(time.Nanosecond), Idle, nil, StateExpiring},
		{"expired at expiry", tok(0), Idle, nil, StateExpired},
		{"expired after expiry", tok(-time.Minute), Idle, nil, StateExpired},
		{"unknown expiry is valid", unknown, Idle, nil, StateValid},
	}
	for _, tt := range tests {
		if got := StateOf(tt.tok, tt.act, tt.err, now, window); got != tt.want {
			t.Errorf("%s: StateOf = %v, want %v", tt.name, got, tt.want)
		}
	}
	// With no window, a token is valid until its last nanosecond.
	if got := StateOf(tok(time.Nanosecond), Idle, nil, now, 0); got != StateValid {
		t.Errorf("zero window: %v, want valid", got)
	}
	// A token with unknown expiry stays valid whatever the clock says.
	if got := StateOf(unknown, Idle, nil, now.AddDate(100, 0, 0), window); got != StateValid {
		t.Errorf("unknown expiry a century later: %v, want valid", got)
	}
}

func TestStateNames(t *testing.T) {
	want := map[State]string{
		StateNone: "none", StateFetching: "fetching", StateAwaitingUser: "awaiting_user", StateValid: "valid",
		StateExpiring: "expiring", StateRefreshing: "refreshing", StateExpired: "expired",
		StateNeedsLogin: "needs_login", StateError: "error",
	}
	if len(want) != len(stateNames) {
		t.Fatalf("%d states named, %d tested", len(stateNames), len(want))
	}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("State(%d).String() = %q, want %q", int(s), s.String(), name)
		}
	}
	for _, s := range []State{-1, State(len(stateNames))} {
		if s.String() != "unknown" {
			t.Errorf("State(%d).String() = %q, want unknown", int(s), s.String())
		}
	}
}

func TestTokenTimes(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tok := &Token{Obtained: t0, Expiry: t0.Add(100 * time.Second)}
	tests := []struct {
		at       time.Duration
		left     time.Duration
		fraction float64
	}{
		{0, 100 * time.Second, 1},
		{25 * time.Second, 75 * time.Second, 0.75},
		{100 * time.Second, 0, 0},
		{time.Hour, 0, 0},
		{-time.Second, 101 * time.Second, 1}, // clock behind Obtained: capped at 1
	}
	for _, tt := range tests {
		now := t0.Add(tt.at)
		if got := tok.Remaining(now); got != tt.left {
			t.Errorf("Remaining(+%v) = %v, want %v", tt.at, got, tt.left)
		}
		if got := tok.FractionLeft(now); got != tt.fraction {
			t.Errorf("FractionLeft(+%v) = %v, want %v", tt.at, got, tt.fraction)
		}
	}
	if tok.Lifetime() != 100*time.Second {
		t.Errorf("Lifetime = %v", tok.Lifetime())
	}
	unknown := &Token{Obtained: t0}
	var none *Token
	for _, x := range []*Token{unknown, none} {
		if x.Remaining(t0) != 0 || x.Lifetime() != 0 || x.FractionLeft(t0) != 0 {
			t.Errorf("%+v: unknown expiry must give zeros", x)
		}
	}
}

func TestRefreshWindowIsCappedAtHalfTheLifetime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok := &Token{Access: secret.New("a"), Obtained: now, Expiry: now.Add(20 * time.Second)}
	if got := StateOf(tok, Idle, nil, now.Add(time.Second), 30*time.Second); got != StateValid {
		t.Errorf("a fresh 20 s token with a 30 s window is %s, want valid", got)
	}
	if got := StateOf(tok, Idle, nil, now.Add(11*time.Second), 30*time.Second); got != StateExpiring {
		t.Errorf("past half its life it is %s, want expiring", got)
	}
}
