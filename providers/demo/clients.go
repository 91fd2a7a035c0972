package demo

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	// apiAudience is the aud of every access token: the sample API.
	apiAudience = "demo-api"
	// demoUser is the resource owner the authorization endpoint and the
	// device page approve for.
	demoUser = "demo-user"
	// deviceGrantType is the grant_type of RFC 8628 §3.4.
	deviceGrantType = string(oidc.GrantTypeDeviceCode)
)

// client is one of the three fixed demo clients, in the shape op.Client
// asks for. Most of op.Client is about OpenID Connect (ID tokens, logout,
// login pages) which the demo does not offer; those methods answer with
// the zero value.
type client struct {
	id         string
	secretHash []byte // SHA-256 of the secret; nil for a public client
	grants     []oidc.GrantType
	scopes     []string
	native     bool // redirects to loopback on any port (RFC 8252 §7.3)
	signed     bool // authenticates with a signed JWT (jwtclient.go)
}

// demoClients returns the demo's clients by ID. The secret is hashed with
// plain SHA-256: it is public, so a slow hash would protect nothing and
// only slow every token request.
func demoClients() map[string]*client {
	ccSecret := sha256.Sum256([]byte(CCClientSecret))
	exchangeSecret := sha256.Sum256([]byte(ExchangeClientSecret))
	cs := []*client{{
		id:         CCClientID,
		secretHash: ccSecret[:],
		grants:     []oidc.GrantType{oidc.GrantTypeClientCredentials},
		scopes:     []string{"api:read", "api:write"},
	}, {
		id:     PKCEClientID,
		grants: []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken},
		scopes: allScopes(),
		native: true,
	}, {
		id:     DeviceClientID,
		grants: []oidc.GrantType{oidc.GrantTypeDeviceCode, oidc.GrantTypeRefreshToken},
		scopes: allScopes(),
	}, jwtClient(), {
		id:         ExchangeClientID,
		secretHash: exchangeSecret[:],
		grants:     []oidc.GrantType{oidc.GrantTypeTokenExchange},
		scopes:     []string{"api:read", "api:write"},
	}}
	m := make(map[string]*client, len(cs))
	for _, c := range cs {
		m[c.id] = c
	}
	return m
}

// public reports whether the client has no secret: naming it is all the
// authentication it has. A client that signs its assertions is not.
func (c *client) public() bool { return c.secretHash == nil && !c.signed }

// checkSecret compares in constant time; a public client never matches.
func (c *client) checkSecret(secret string) bool {
	sum := sha256.Sum256([]byte(secret))
	return !c.public() && subtle.ConstantTimeCompare(c.secretHash, sum[:]) == 1
}

func (c *client) allows(grant oidc.GrantType) bool { return slices.Contains(c.grants, grant) }

// unknownScope returns the first of scopes the client may not request, or "".
func (c *client) unknownScope(scopes []string) string {
	for _, sc := range scopes {
		if !slices.Contains(c.scopes, sc) {
			return sc
		}
	}
	return ""
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                    { return c.id }
func (c *client) RedirectURIs() []string           { return nil } // see checkRedirectURI
func (c *client) PostLogoutRedirectURIs() []string { return nil }
func (c *client) LoginURL(string) string           { return "" } // approval is ours, inline
func (c *client) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeJWT
}
func (c *client) IDTokenLifetime() time.Duration { return 0 }
func (c *client) DevMode() bool                  { return false }
func (c *client) IsScopeAllowed(scope string) bool {
	return slices.Contains(c.scopes, scope)
}
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) ResponseTypes() []oidc.ResponseType {
	if c.allows(oidc.GrantTypeCode) {
		return []oidc.ResponseType{oidc.ResponseTypeCode}
	}
	return nil
}
func (c *client) GrantTypes() []oidc.GrantType { return c.grants }

func (c *client) ApplicationType() op.ApplicationType {
	if c.native {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}

func (c *client) AuthMethod() oidc.AuthMethod {
	if c.signed {
		return oidc.AuthMethodPrivateKeyJWT
	}
	if c.public() {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}

func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}
