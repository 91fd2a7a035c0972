package providers

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestExpiry(t *testing.T) {
	obtained := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	jwtExp := obtained.Add(8 * time.Hour)
	claims := &jwt.Claims{Expiry: jwtExp}
	abs := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name      string
		at, in    any
		claims    *jwt.Claims
		lifetime  time.Duration
		want      time.Time
		wantSrc   ExpirySource
		wantKnown bool
	}{
		{"expires_at wins over everything", float64(abs.Unix()), float64(60), claims, time.Hour, abs, ExpiryAt, true},
		{"expires_at as a string", `  ` + itoa(abs.Unix()), nil, nil, 0, abs, ExpiryAt, true},
		{"expires_in", nil, float64(3599), claims, time.Hour, obtained.Add(3599 * time.Second), ExpiryIn, true},
		{"expires_in fractional", nil, 1.5, nil, 0, obtained.Add(1500 * time.Millisecond), ExpiryIn, true},
		{"expires_in as a string", nil, "3599", claims, 0, obtained.Add(3599 * time.Second), ExpiryIn, true},
		{"expires_in as json.Number", nil, json.Number("90"), nil, 0, obtained.Add(90 * time.Second), ExpiryIn, true},
		{"expires_in as int64 (form body)", nil, int64(90), nil, 0, obtained.Add(90 * time.Second), ExpiryIn, true},
		{"expires_in above 1e9 is absolute", nil, float64(1752371364), claims, 0, time.Unix(1752371364, 0), ExpiryInAbsolute, true},
		{"expires_in exactly 1e9 is a duration", nil, float64(1e9), nil, 0, obtained.Add(1e9 * time.Second), ExpiryIn, true},
		{"expires_in absolute as a string", nil, "1731514947", nil, 0, time.Unix(1731514947, 0), ExpiryInAbsolute, true},
		{"zero expires_in falls through to the JWT", nil, float64(0), claims, time.Hour, jwtExp, ExpiryJWT, true},
		{"garbage expires_in falls through", "soon", "later", claims, 0, jwtExp, ExpiryJWT, true},
		{"NaN and Inf are not expiries", "NaN", "+Inf", nil, time.Hour, obtained.Add(time.Hour), ExpiryLifetime, true},
		{"negative expires_in falls through", nil, float64(-5), nil, time.Hour, obtained.Add(time.Hour), ExpiryLifetime, true},
		{"JWT exp", nil, nil, claims, time.Hour, jwtExp, ExpiryJWT, true},
		{"JWT without exp falls through", nil, nil, &jwt.Claims{}, time.Hour, obtained.Add(time.Hour), ExpiryLifetime, true},
		{"token_lifetime", nil, nil, nil, 8 * time.Hour, obtained.Add(8 * time.Hour), ExpiryLifetime, true},
		{"nothing: unknown", nil, nil, nil, 0, time.Time{}, ExpiryNone, false},
		{"bool is not a number", true, true, nil, 0, time.Time{}, ExpiryNone, false},
	}
	for _, tt := range tests {
		got, src := expiry(obtained, tt.at, tt.in, tt.claims, tt.lifetime)
		if !got.Equal(tt.want) || src != tt.wantSrc {
			t.Errorf("%s: expiry = %v (%q), want %v (%q)", tt.name, got, src, tt.want, tt.wantSrc)
		}
		if got.IsZero() == tt.wantKnown {
			t.Errorf("%s: known = %v, want %v", tt.name, !got.IsZero(), tt.wantKnown)
		}
	}
}

func TestExpiryFromBearerPrefixedJWT(t *testing.T) {
	// maptable issues "Bearer eyJ..." with no expiry field: the JWT's exp,
	// read through the prefix, is the only expiry.
	exp := time.Date(2030, 1, 1, 20, 0, 0, 0, time.UTC)
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"exp":%d}`, exp.Unix())))
	c, err := jwt.Parse("Bearer x." + payload + ".y")
	if err != nil {
		t.Fatal(err)
	}
	got, src := expiry(exp.Add(-8*time.Hour), nil, nil, c, 0)
	if !got.Equal(exp) || src != ExpiryJWT {
		t.Errorf("expiry = %v (%s), want %v from the JWT", got, src, exp)
	}
}

func TestNumber(t *testing.T) {
	for _, v := range []any{nil, "", "abc", "NaN", "Inf", "-Inf", math.NaN(), math.Inf(1), []any{1}, map[string]any{}} {
		if n, ok := number(v); ok {
			t.Errorf("number(%#v) = %v, true; want not a number", v, n)
		}
	}
	for v, want := range map[any]float64{float64(2): 2, int64(3): 3, 4: 4, json.Number("5"): 5, " 6 ": 6, "7.5": 7.5} {
		if n, ok := number(v); !ok || n != want {
			t.Errorf("number(%#v) = %v, %v; want %v", v, n, ok, want)
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

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
