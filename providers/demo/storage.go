package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the demo's in-memory op.Storage: the clients, authorization
// requests and codes, access and refresh tokens, and device
// authorizations. It is ours, and small, because op leaves storage to the
// server and the demo needs only a fraction of what op.Storage can do:
// no users, no ID tokens, no userinfo, no JWT client assertions. One
// mutex over plain maps is simple and plenty fast for a demo.
//
// Tokens and codes are kept by their SHA-256 where a client presents
// them, so the maps hold nothing a client could replay.
type storage struct {
	clients        map[string]*client // fixed at New, read-only
	keys           *signingKey
	jwtKeys        map[string]*jose.JSONWebKey // the demo JWT client's public keys by kid (jwtclient.go)
	tokenTTL       time.Duration
	deviceTTL      time.Duration
	deviceInterval time.Duration
	// now is the clock of device codes (Options.Now).
	now func() time.Time

	mu           sync.Mutex
	authRequests map[string]*authRequest  // by ID
	codes        map[string]string        // code hash -> auth request ID
	access       map[string]*accessToken  // by jti
	refresh      map[string]*refreshToken // by token hash
	devices      map[string]*deviceAuth   // by device code hash
	userCodes    map[string]string        // normalized user code -> device code hash
	creates      int                      // creations since the last sweep
}

// keepExpired is how long expired entries stay in the store: long enough
// to tell a client "expired" rather than "unknown", short enough that a
// long-running demo does not grow without bound.
const keepExpired = time.Hour

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.ClientCredentialsStorage       = (*storage)(nil)
	_ op.DeviceAuthorizationStorage     = (*storage)(nil)
	_ op.CanGetPrivateClaimsFromRequest = (*storage)(nil)
)

func newStorage(keys *signingKey, tokenTTL, deviceTTL, deviceInterval time.Duration, now func() time.Time) *storage {
	if now == nil {
		now = time.Now
	}
	return &storage{
		now:            now,
		clients:        demoClients(),
		keys:           keys,
		tokenTTL:       tokenTTL,
		deviceTTL:      deviceTTL,
		deviceInterval: deviceInterval,
		authRequests:   map[string]*authRequest{},
		codes:          map[string]string{},
		access:         map[string]*accessToken{},
		refresh:        map[string]*refreshToken{},
		devices:        map[string]*deviceAuth{},
		userCodes:      map[string]string{},
	}
}

// client returns the client with id, or nil.
func (s *storage) client(id string) *client { return s.clients[id] }

// hashKey is the map key for a presented secret value.
func hashKey(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// GetClientByClientID implements op.OPStorage. An unknown client is
// invalid_client, which op passes on as it is.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if c := s.client(id); c != nil {
		return c, nil
	}
	return nil, oidc.ErrInvalidClient().WithDescription("The client is unknown to this server.")
}

// AuthorizeClientIDSecret implements op.OPStorage.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if c := s.client(id); c != nil && c.checkSecret(secret) {
		return nil
	}
	return errors.New("client authentication failed")
}

// ClientCredentials implements op.ClientCredentialsStorage: only a
// confidential client with its secret passes.
func (s *storage) ClientCredentials(_ context.Context, id, secret string) (op.Client, error) {
	if c := s.client(id); c != nil && c.checkSecret(secret) {
		return c, nil
	}
	return nil, errors.New("client authentication failed")
}

// ClientCredentialsTokenRequest implements op.ClientCredentialsStorage.
// op grants whatever scopes are asked for; the demo refuses one the client
// may not have, and grants the client's full set when none is asked for,
// a default RFC 6749 §3.3 allows.
func (s *storage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	c := s.client(id)
	if c == nil {
		return nil, oidc.ErrInvalidClient()
	}
	if sc := c.unknownScope(scopes); sc != "" {
		return nil, oidc.ErrInvalidScope().WithDescription("The client %q may not request scope %q.", id, sc)
	}
	if len(scopes) == 0 {
		scopes = c.scopes
	}
	return &grant{id: newGrantID(), clientID: id, subject: id, scopes: append([]string(nil), scopes...)}, nil
}

// GetPrivateClaimsFromRequest implements op.CanGetPrivateClaimsFromRequest:
// the RFC 9068 scope claim, space-separated.
func (s *storage) GetPrivateClaimsFromRequest(_ context.Context, req op.TokenRequest, _ []string) (map[string]any, error) {
	if scopes := req.GetScopes(); len(scopes) > 0 {
		return map[string]any{"scope": oidc.SpaceDelimitedArray(scopes).String()}, nil
	}
	return nil, nil
}

// SigningKey implements op.AuthStorage.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.keys, nil }

// SignatureAlgorithms implements op.AuthStorage.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

// KeySet implements op.AuthStorage.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.keys}}, nil
}

// Health implements op.Storage.
func (s *storage) Health(context.Context) error { return nil }

// The rest of op.Storage serves OpenID Connect features the demo does not
// offer (ID tokens, userinfo, logout, JWT profile grants): it answers
// with nothing, or refuses.

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *storage) SetUserinfoFromToken(context.Context, *oidc.UserInfo, string, string, string) error {
	return errors.New("the demo has no userinfo endpoint")
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("the demo answers introspection itself")
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// created counts a stored entry and, every so often, drops entries that
// expired more than keepExpired ago. Callers hold s.mu.
func (s *storage) created(now time.Time) {
	if s.creates++; s.creates < 256 {
		return
	}
	s.creates = 0
	cutoff := now.Add(-keepExpired)
	for id, ar := range s.authRequests {
		if ar.expires.Before(cutoff) {
			delete(s.authRequests, id)
		}
	}
	for code, id := range s.codes {
		if s.authRequests[id] == nil {
			delete(s.codes, code)
		}
	}
	for jti, at := range s.access {
		if at.expires.Before(cutoff) {
			delete(s.access, jti)
		}
	}
	for key, rt := range s.refresh {
		if rt.expires.Before(cutoff) {
			delete(s.refresh, key)
		}
	}
	for key, d := range s.devices {
		if d.expiresAt.Before(cutoff) {
			delete(s.devices, key)
			if s.userCodes[d.userCode] == key {
				delete(s.userCodes, d.userCode)
			}
		}
	}
}
