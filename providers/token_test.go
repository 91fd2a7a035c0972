package providers

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/jwt"
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
