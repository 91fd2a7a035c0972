package providers

import (
	"time"

	"github.com/keyhole-sh/keyhole/providers/jwt"
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
	// ID is the OpenID Connect ID token the answer carried, if any: what
	// inject.token = "id_token" sends instead of Access.
	ID secret.String
	// AuthorizationDetails are the authorization_details the server
	// granted (RFC 9396 §7), as the JSON it sent; "" when it sent none.
	AuthorizationDetails string
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
	Claims *jwt.Claims
	// CacheErr is set on a token just issued that the store could not
	// keep. The token is good and is used — discarding it would waste what
	// the server issued, a rotated refresh token included — but the next
	// run will not find it: say so (stderr, the TUI's status line). Only
	// the caller that got the token sees it.
	CacheErr error
}

// Secrets are the token's credentials, for a redactor: the access, refresh
// and ID tokens.
func (t *Token) Secrets() []secret.String {
	if t == nil {
		return nil
	}
	return []secret.String{t.Access, t.Refresh, t.ID}
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
