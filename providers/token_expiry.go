package providers

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// absoluteThreshold separates a duration in seconds from a Unix time: no
// token lives 31 years, and one vendor's sample sends an absolute time under
// the name expires_in.
const absoluteThreshold = 1e9

// fromOAuth2 turns an x/oauth2 token into ours. The expiry is computed
// here from the raw fields rather than taken from ot.Expiry: x/oauth2 reads
// its own clock, cannot tell an absolute expires_in, and writes "no expiry"
// as the zero time, which it treats as "never expires".
func (s *Session) fromOAuth2(ot *oauth2.Token, obtained time.Time) *Token {
	tok := &Token{
		Access:  secret.New(ot.AccessToken),
		Refresh: secret.New(ot.RefreshToken),
		ID:      idToken(ot.Extra("id_token")),
		// RFC 9396 §7: what was granted, for display.
		AuthorizationDetails: grantedDetails(ot.Extra("authorization_details")),
		Type:                 ot.TokenType,
		Obtained:             obtained,
	}
	tok.Claims, _ = jwt.Parse(ot.AccessToken)
	tok.Expiry, tok.ExpirySource = expiry(obtained, nil, ot.Extra("expires_in"), tok.Claims, s.p.TokenLifetime.Std())
	if scope, ok := ot.Extra("scope").(string); ok && scope != "" {
		tok.Scopes, tok.ScopesFromServer = strings.Fields(scope), true
	} else {
		tok.Scopes = append([]string(nil), s.p.Scopes...)
	}
	return tok
}

// expiry applies DESIGN.md's order: expires_at, expires_in (absolute when
// above 10^9), the JWT's exp, token_lifetime; otherwise unknown. A time
// past the year 9999 is taken to be in milliseconds, as some servers send
// it; one that is absurd even so is skipped, as if the field were absent.
func expiry(obtained time.Time, expiresAt, expiresIn any, claims *jwt.Claims, lifetime time.Duration) (time.Time, ExpirySource) {
	if n, ok := number(expiresAt); ok && n > 0 {
		if at, ok := unixTime(n); ok {
			return at, ExpiryAt
		}
	}
	if n, ok := number(expiresIn); ok && n > 0 {
		if n > absoluteThreshold {
			if at, ok := unixTime(n); ok {
				return at, ExpiryInAbsolute
			}
		} else {
			return obtained.Add(time.Duration(n * float64(time.Second))), ExpiryIn
		}
	}
	if claims != nil && !claims.Expiry.IsZero() {
		return claims.Expiry, ExpiryJWT
	}
	if lifetime > 0 {
		return obtained.Add(lifetime), ExpiryLifetime
	}
	return time.Time{}, ExpiryNone
}

// maxUnixSeconds is 10000-01-01T00:00:00Z: no expiry in seconds reaches
// it, and one in milliseconds always does (it is past 1970-04-26). Beyond
// it a time cannot even be stored (RFC 3339 has four-digit years).
const maxUnixSeconds = 253402300800

// unixTime reads a Unix time in seconds, or in milliseconds when it is
// past maxUnixSeconds; false when it is past that even in milliseconds.
func unixTime(n float64) (time.Time, bool) {
	if n >= maxUnixSeconds {
		n /= 1000
	}
	if n >= maxUnixSeconds {
		return time.Time{}, false
	}
	sec, frac := math.Modf(n)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// number reads a JSON number, a numeric string (some servers quote
// expires_in) or a form value.
func number(v any) (float64, bool) {
	f, ok := anyNumber(v)
	// ParseFloat takes "NaN" and "Inf": neither is a time, and converting
	// Inf to int64 gives a nonsense date.
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func anyNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil
	}
	return 0, false
}
