package demo

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/token/jwt"
)

const (
	// apiAudience is the aud of every access token: the sample API.
	apiAudience = "demo-api"
	// demoUser is the resource owner the authorization endpoint approves for.
	demoUser = "demo-user"
)

// newProvider composes fosite: JWT access tokens, HMAC refresh tokens and
// codes, the handlers the demo offers (fosite's, and our RFC 8628 one
// backed by devices), and an in-memory store holding the three demo
// clients.
func newProvider(ttl time.Duration, keys *signingKey, devices *deviceCodes) (*fosite.Fosite, error) {
	secret := make([]byte, 32) // HMAC key for authorization codes and refresh tokens
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("generate HMAC secret: %w", err)
	}
	hasher := sha256Hasher{}
	ccSecret, err := hasher.Hash(context.Background(), []byte(CCClientSecret))
	if err != nil {
		return nil, err
	}

	cfg := &fosite.Config{
		AccessTokenLifespan:   ttl,
		RefreshTokenLifespan:  24 * time.Hour,
		AuthorizeCodeLifespan: 5 * time.Minute,
		GlobalSecret:          secret,
		JWTScopeClaimKey:      jwt.JWTScopeFieldString, // "scope": "a b", as RFC 9068 has it
		EnforcePKCE:           true,
		// EnablePKCEPlainChallengeMethod stays false: S256 only.

		// fosite fills these four in lazily on first use, which is a data
		// race under concurrent requests; set them up front.
		ScopeStrategy:            fosite.ExactScopeStrategy,
		AudienceMatchingStrategy: fosite.ExactAudienceMatchingStrategy,
		ClientSecretsHasher:      hasher,
		// No client uses private_key_jwt; refuse rather than let fosite
		// build its caching fetcher, which starts goroutines that never end.
		JWKSFetcherStrategy: noJWKSFetcher{},
	}

	store := newStore(&fosite.DefaultClient{
		ID:         CCClientID,
		Secret:     ccSecret,
		GrantTypes: fosite.Arguments{"client_credentials"},
		Scopes:     fosite.Arguments{"api:read", "api:write"},
		Audience:   fosite.Arguments{apiAudience},
	}, &fosite.DefaultClient{
		ID:     PKCEClientID,
		Public: true,
		// Registered without a port: fosite then accepts any port on the
		// same loopback IP, path and query (RFC 8252 §7.3). Two entries
		// also mean redirect_uri can never be omitted.
		RedirectURIs:  []string{"http://127.0.0.1/callback", "http://[::1]/callback"},
		GrantTypes:    fosite.Arguments{"authorization_code", "refresh_token"},
		ResponseTypes: fosite.Arguments{"code"},
		Scopes:        fosite.Arguments(allScopes()),
		Audience:      fosite.Arguments{apiAudience},
	}, &fosite.DefaultClient{
		ID:         DeviceClientID,
		Public:     true,
		GrantTypes: fosite.Arguments{deviceGrantType, "refresh_token"},
		Scopes:     fosite.Arguments(allScopes()),
		Audience:   fosite.Arguments{apiAudience},
	})

	getKey := func(context.Context) (any, error) { return keys.private, nil }
	strategy := compose.NewOAuth2JWTStrategy(getKey, compose.NewOAuth2HMACStrategy(cfg), cfg)
	provider := compose.Compose(cfg, store, strategy,
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2ClientCredentialsGrantFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OAuth2PKCEFactory,
		deviceGrantFactory(devices),
		// Stateful introspection: the JWT is checked and looked up in the
		// store, so revoked tokens stop working.
		compose.OAuth2TokenIntrospectionFactory,
		compose.OAuth2TokenRevocationFactory,
	)
	// The concrete type, because the device authorization endpoint needs
	// AuthenticateClient and the configured scope strategy, which the
	// OAuth2Provider interface does not offer.
	f, ok := provider.(*fosite.Fosite)
	if !ok {
		return nil, fmt.Errorf("fosite: compose returned %T, want *fosite.Fosite", provider)
	}
	return f, nil
}

// signingKey is the ECDSA P-256 key that signs access tokens. P-256 takes
// microseconds to generate where RSA takes tens of milliseconds, which keeps
// New fast.
type signingKey struct {
	private *ecdsa.PrivateKey
	id      string // RFC 7638 thumbprint, sent as the JWT "kid"
	public  jose.JSONWebKey
}

func newSigningKey() (*signingKey, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	pub := jose.JSONWebKey{Key: &priv.PublicKey, Algorithm: string(jose.ES256), Use: "sig"}
	thumb, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing key thumbprint: %w", err)
	}
	pub.KeyID = base64.RawURLEncoding.EncodeToString(thumb)
	return &signingKey{private: priv, id: pub.KeyID, public: pub}, nil
}

// newSession returns the session fosite stores with a grant and turns into
// the access token's claims. Empty arguments are filled in later, or come
// from a stored session for the code and refresh grants.
func (s *Server) newSession(issuer, subject, clientID string) *oauth2.JWTSession {
	extra := map[string]any{}
	if clientID != "" {
		extra["client_id"] = clientID
	}
	return &oauth2.JWTSession{
		JWTClaims: &jwt.JWTClaims{Issuer: issuer, Subject: subject, Extra: extra},
		JWTHeader: &jwt.Headers{Extra: map[string]any{"kid": s.keys.id}},
		Subject:   subject,
	}
}

// setSubject names who a token belongs to, in the store and in the JWT.
func setSubject(sess *oauth2.JWTSession, subject, clientID string) {
	sess.Subject = subject
	sess.JWTClaims.Subject = subject
	sess.JWTClaims.Add("client_id", clientID)
}

// sha256Hasher stands in for fosite's default bcrypt (cost 12, about a
// quarter second a check, more under -race): the demo's secret is public,
// so slow hashing protects nothing and would only slow every token request.
type sha256Hasher struct{}

func (sha256Hasher) Hash(_ context.Context, data []byte) ([]byte, error) {
	sum := sha256.Sum256(data)
	return sum[:], nil
}

func (sha256Hasher) Compare(_ context.Context, hash, data []byte) error {
	sum := sha256.Sum256(data)
	// A public client has no hash; an empty one must never match.
	if len(hash) != len(sum) || subtle.ConstantTimeCompare(hash, sum[:]) != 1 {
		return errors.New("client secret does not match")
	}
	return nil
}

// noJWKSFetcher refuses to fetch client key sets; see newProvider.
type noJWKSFetcher struct{}

func (noJWKSFetcher) Resolve(context.Context, string, bool) (*jose.JSONWebKeySet, error) {
	return nil, fosite.ErrInvalidClient.WithHint("The demo does not support private_key_jwt client authentication.")
}
