package demo

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// Why verifyAccessToken refused a token; describeTokenError words them.
var (
	errTokenMalformed = errors.New("malformed access token")
	errTokenSignature = errors.New("access token signature mismatch")
	errTokenExpired   = errors.New("access token expired")
	errTokenAudience  = errors.New("access token for another audience")
)

// verifyAccessToken checks that raw is a JWT this server signed for the
// sample API and, unless now is zero, that it has not expired; exp has
// whole seconds and the token is valid through its last second. Whether
// it was revoked is the storage's to say, by the returned jti.
func (k *signingKey) verifyAccessToken(raw string, now time.Time) (*oidc.AccessTokenClaims, error) {
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errTokenMalformed
	}
	payload, err := jws.Verify(&k.private.PublicKey)
	if err != nil {
		return nil, errTokenSignature
	}
	claims := new(oidc.AccessTokenClaims)
	if err := json.Unmarshal(payload, claims); err != nil || claims.JWTID == "" {
		return nil, errTokenMalformed
	}
	if !slices.Contains(claims.Audience, apiAudience) {
		return nil, errTokenAudience
	}
	if !now.IsZero() && now.Unix() > claims.Expiration.AsTime().Unix() {
		return nil, errTokenExpired
	}
	return claims, nil
}
