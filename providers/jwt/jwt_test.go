package jwt_test

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/jwt"
)

// unsigned builds a token with claims; the signature is never
// checked by keyhole.
func unsigned(t testing.TB, claims any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." + enc(payload) + "." + enc([]byte("signature"))
}

func TestParse(t *testing.T) {
	exp := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	claims := map[string]any{
		"iss": "https://issuer", "sub": "user-1", "aud": "demo-api", "scope": "api:read api:write",
		"client_id": "cid", "exp": exp.Unix(), "iat": exp.Add(-time.Hour).Unix(), "nbf": exp.Add(-time.Hour).Unix(),
		"custom": "kept",
	}
	tok := unsigned(t, claims)
	for _, in := range []string{tok, "Bearer " + tok, "bearer " + tok, "BEARER  " + tok} {
		c, err := jwt.Parse(in)
		if err != nil {
			t.Fatalf("Parse(%.20q...) = %v", in, err)
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

	c, err := jwt.Parse(unsigned(t, map[string]any{"aud": []any{"a", "b", 3}, "scp": []any{"x", "y"}}))
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
	parts := strings.Split(unsigned(t, map[string]any{"sub": "s"}), ".")
	padded := parts[0] + "." + parts[1] + strings.Repeat("=", (4-len(parts[1])%4)%4) + "." + parts[2]
	if c, err := jwt.Parse(padded); err != nil || c.Subject != "s" {
		t.Errorf("padded payload: %v, %v", c, err)
	}

	// Odd claim values are dropped, not trusted.
	c, err = jwt.Parse(unsigned(t, map[string]any{"exp": "tomorrow", "iat": -5, "nbf": 1e15, "iss": 42, "aud": 7}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Expiry.IsZero() || !c.IssuedAt.IsZero() || !c.NotBefore.IsZero() || c.Issuer != "" || c.Audience != nil {
		t.Errorf("odd claims kept: %+v", c)
	}
}

func TestParseRejects(t *testing.T) {
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
		if c, err := jwt.Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", in, c)
		}
	}
}

// FuzzParse: tokens come from servers; decoding one must never panic,
// and a success always carries its claims.
func FuzzParse(f *testing.F) {
	f.Add(unsigned(f, map[string]any{"sub": "s", "exp": 1900000000, "aud": []any{"a"}}))
	f.Add("Bearer " + unsigned(f, map[string]any{"scp": []any{"x", 1}}))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("bearer ")
	f.Add("x.bnVsbA.y") // "null"
	f.Add("x.eyJleHAiOjFlMzAwfQ.y")
	f.Add("")
	f.Add("Bearer \xff\xfe.\x00.")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := jwt.Parse(token)
		if err == nil && (c == nil || c.Raw == nil) {
			t.Fatalf("Parse(%q) = %+v with no error", token, c)
		}
	})
}
