// Package jwt decodes the claims of a JSON Web Token for display: the
// token pane's details, the claims view, an expiry read from exp, the
// doctor's audience and scope checks. It never verifies a signature:
// keyhole is a client and does not hold the signing key.
package jwt

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

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

// Parse decodes the claims of a JWT without verifying it. A leading
// "Bearer " (as some vendors issue tokens) is skipped. It returns an error
// for anything that is not three base64url parts with a JSON object in the
// middle.
func Parse(token string) (*Claims, error) {
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
