package providers

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// jwt builds an unsigned token with claims; the signature is never
// checked by keyhole.
func jwt(t testing.TB, claims any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." + enc(payload) + "." + enc([]byte("signature"))
}

func TestParseJWT(t *testing.T) {
	exp := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	claims := map[string]any{
		"iss": "https://issuer", "sub": "user-1", "aud": "demo-api", "scope": "api:read api:write",
		"client_id": "cid", "exp": exp.Unix(), "iat": exp.Add(-time.Hour).Unix(), "nbf": exp.Add(-time.Hour).Unix(),
		"custom": "kept",
	}
	tok := jwt(t, claims)
	for _, in := range []string{tok, "Bearer " + tok, "bearer " + tok, "BEARER  " + tok} {
		c, err := ParseJWT(in)
		if err != nil {
			t.Fatalf("ParseJWT(%.20q...) = %v", in, err)
		}
		if c.Issuer != "https://issuer" || c.Subject != "user-1" || c.Scope != "api:read api:write" || c.ClientID != "cid" {
			t.Errorf("claims = %+v", c)
		}
		if !slices.Equal(c.Audience, []string{"demo-api"}) {
			t.Errorf("aud as a string: Audience = %q", c.Audience)
		}
		if !c.Expiry.Equal(exp) || !c.IssuedAt.Equal(exp.Add(-time.Hour)) || !c.NotBefore.Equal(exp.Add(-time.Hour)) {
			t.Errorf("times: exp %v iat %v nbf %v", c.Expiry, c.IssuedAt, c.NotBefore)
		}
		if c.Raw["custom"] != "kept" {
			t.Errorf("Raw = %v", c.Raw)
		}
	}

	c, err := ParseJWT(jwt(t, map[string]any{"aud": []any{"a", "b", 3}, "scp": []any{"x", "y"}}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Audience, []string{"a", "b"}) {
		t.Errorf("aud as an array: Audience = %q", c.Audience)
	}
	if c.Scope != "x y" {
		t.Errorf("scp array: Scope = %q", c.Scope)
	}
	if !c.Expiry.IsZero() {
		t.Errorf("no exp: Expiry = %v, want zero", c.Expiry)
	}

	// Padding on the payload is tolerated.
	parts := strings.Split(jwt(t, map[string]any{"sub": "s"}), ".")
	padded := parts[0] + "." + parts[1] + strings.Repeat("=", (4-len(parts[1])%4)%4) + "." + parts[2]
	if c, err := ParseJWT(padded); err != nil || c.Subject != "s" {
		t.Errorf("padded payload: %v, %v", c, err)
	}

	// Odd claim values are dropped, not trusted.
	c, err = ParseJWT(jwt(t, map[string]any{"exp": "tomorrow", "iat": -5, "nbf": 1e15, "iss": 42, "aud": 7}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Expiry.IsZero() || !c.IssuedAt.IsZero() || !c.NotBefore.IsZero() || c.Issuer != "" || c.Audience != nil {
		t.Errorf("odd claims kept: %+v", c)
	}
}

func TestParseJWTRejects(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, in := range []string{
		"",
		"Bearer ",
		"opaque-token-abc123",
		"a.b",
		"a.b.c.d",
		"..",
		"x." + enc([]byte(`{"sub":"s"}`)),     // two parts
		"x.!!!.y",                             // not base64url
		"x." + enc([]byte(`not json`)) + ".y", // not JSON
		"x." + enc([]byte(`["an","array"]`)) + ".y",       // JSON, not an object
		"x." + enc([]byte(`"a string"`)) + ".y",           // JSON, not an object
		"x." + enc([]byte(`null`)) + ".y",                 // JSON null is not an object
		"x." + enc([]byte(`{"sub":"s"} trailing`)) + ".y", // trailing bytes
	} {
		if c, err := ParseJWT(in); err == nil {
			t.Errorf("ParseJWT(%q) = %+v, want an error", in, c)
		}
	}
}

// FuzzParseJWT: tokens come from servers; decoding one must never panic,
// and a success always carries its claims.
func FuzzParseJWT(f *testing.F) {
	f.Add(jwt(f, map[string]any{"sub": "s", "exp": 1900000000, "aud": []any{"a"}}))
	f.Add("Bearer " + jwt(f, map[string]any{"scp": []any{"x", 1}}))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("bearer ")
	f.Add("x.bnVsbA.y") // "null"
	f.Add("x.eyJleHAiOjFlMzAwfQ.y")
	f.Add("")
	f.Add("Bearer \xff\xfe.\x00.")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := ParseJWT(token)
		if err == nil && (c == nil || c.Raw == nil) {
			t.Fatalf("ParseJWT(%q) = %+v with no error", token, c)
		}
	})
}

func TestExpiry(t *testing.T) {
	obtained := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	jwtExp := obtained.Add(8 * time.Hour)
	claims := &Claims{Expiry: jwtExp}
	abs := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name      string
		at, in    any
		claims    *Claims
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
		{"JWT without exp falls through", nil, nil, &Claims{}, time.Hour, obtained.Add(time.Hour), ExpiryLifetime, true},
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
	c, err := ParseJWT("Bearer " + jwt(t, map[string]any{"exp": exp.Unix()}))
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
