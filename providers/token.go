package providers

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Source says where the token in hand came from.
type Source string

// The token sources.
const (
	SourceCache     Source = "cache"
	SourceFetched   Source = "fetched"
	SourceRefreshed Source = "refreshed"
)

// ExpirySource says which field an expiry was read from.
type ExpirySource string

// Where an expiry can come from, in the order they are tried.
const (
	ExpiryNone       ExpirySource = ""
	ExpiryAt         ExpirySource = "expires_at"
	ExpiryIn         ExpirySource = "expires_in"
	ExpiryJWT        ExpirySource = "jwt exp"
	ExpiryLifetime   ExpirySource = "token_lifetime"
	ExpiryInAbsolute ExpirySource = "expires_in (absolute time)"
)

// Token is an access token with what is known about it.
type Token struct {
	Access  secret.String
	Refresh secret.String
	// Type is token_type as the provider sent it ("bearer", "Bearer", "").
	Type string
	// Expiry is when the token stops working; zero means unknown, never
	// "never expires".
	Expiry       time.Time
	ExpirySource ExpirySource
	// Obtained is when keyhole received the token.
	Obtained time.Time
	// Scopes granted; ScopesFromServer is false when the server did not say
	// and the requested scopes are assumed (RFC 6749 §5.1).
	Scopes           []string
	ScopesFromServer bool
	Source           Source
	// Claims are the JWT's claims, decoded without verification; nil when
	// the token is not a JWT.
	Claims *Claims
	// CacheErr is set on a token just issued that the store could not
	// keep. The token is good and is used — discarding it would waste what
	// the server issued, a rotated refresh token included — but the next
	// run will not find it: say so (stderr, the TUI's status line). Only
	// the caller that got the token sees it.
	CacheErr error
}

// Remaining is the time left at now; 0 when expired or unknown.
func (t *Token) Remaining(now time.Time) time.Duration {
	if t == nil || t.Expiry.IsZero() {
		return 0
	}
	return max(0, t.Expiry.Sub(now))
}

// Lifetime is the span from Obtained to Expiry, both on keyhole's clock;
// 0 when unknown.
func (t *Token) Lifetime() time.Duration {
	if t == nil || t.Expiry.IsZero() {
		return 0
	}
	return t.Expiry.Sub(t.Obtained)
}

// FractionLeft is Remaining over Lifetime in [0, 1]; 0 when unknown.
func (t *Token) FractionLeft(now time.Time) float64 {
	life := t.Lifetime()
	if life <= 0 {
		return 0
	}
	return min(1, float64(t.Remaining(now))/float64(life))
}

// Claims are the registered claims of a JWT, decoded for display only. They
// are not verified: keyhole is a client and does not hold the signing key.
type Claims struct {
	Issuer    string
	Subject   string
	Audience  []string
	Expiry    time.Time
	IssuedAt  time.Time
	NotBefore time.Time
	Scope     string
	ClientID  string
	// Raw holds every claim, for the claims view.
	Raw map[string]any
}

// ParseJWT decodes the claims of a JWT without verifying it. A leading
// "Bearer " (as some vendors issue tokens) is skipped. It returns an error
// for anything that is not three base64url parts with a JSON object in the
// middle.
func ParseJWT(token string) (*Claims, error) {
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT: %d parts, want 3", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("JWT payload is not base64url: %w", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, fmt.Errorf("JWT payload is not a JSON object: %w", err)
	}
	// json.Unmarshal accepts the literal null into a map, leaving it nil:
	// that is not a claims object either.
	if raw == nil {
		return nil, fmt.Errorf("JWT payload is not a JSON object: null")
	}
	c := &Claims{Raw: raw}
	c.Issuer, _ = raw["iss"].(string)
	c.Subject, _ = raw["sub"].(string)
	c.Scope, _ = raw["scope"].(string)
	if c.Scope == "" {
		if scp, ok := raw["scp"].([]any); ok {
			c.Scope = joinStrings(scp)
		}
	}
	c.ClientID, _ = raw["client_id"].(string)
	switch aud := raw["aud"].(type) {
	case string:
		c.Audience = []string{aud}
	case []any:
		c.Audience = strings.Fields(joinStrings(aud))
	}
	c.Expiry = unixClaim(raw["exp"])
	c.IssuedAt = unixClaim(raw["iat"])
	c.NotBefore = unixClaim(raw["nbf"])
	return c, nil
}

func joinStrings(v []any) string {
	var out []string
	for _, x := range v {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

func unixClaim(v any) time.Time {
	f, ok := v.(float64)
	if !ok || f <= 0 || f > 1e12 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}
