package demo

import (
	"net/http"
	"slices"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// metadata is the RFC 8414 authorization-server metadata, served at both
// well-known paths. It carries no OpenID Connect fields (the demo issues no
// ID tokens), so the openid-configuration path only helps clients that use
// it for endpoint discovery.
type metadata struct {
	Issuer                                 string   `json:"issuer"`
	AuthorizationEndpoint                  string   `json:"authorization_endpoint"`
	TokenEndpoint                          string   `json:"token_endpoint"`
	RevocationEndpoint                     string   `json:"revocation_endpoint"`
	IntrospectionEndpoint                  string   `json:"introspection_endpoint"`
	DeviceAuthorizationEndpoint            string   `json:"device_authorization_endpoint"`
	JWKSURI                                string   `json:"jwks_uri"`
	ScopesSupported                        []string `json:"scopes_supported"`
	ResponseTypesSupported                 []string `json:"response_types_supported"`
	ResponseModesSupported                 []string `json:"response_modes_supported"`
	GrantTypesSupported                    []string `json:"grant_types_supported"`
	CodeChallengeMethodsSupported          []string `json:"code_challenge_methods_supported"`
	TokenEndpointAuthMethodsSupported      []string `json:"token_endpoint_auth_methods_supported"`
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
	IntrospectionEndpointAuthMethods       []string `json:"introspection_endpoint_auth_methods_supported"`
}

// handleDiscovery serves the metadata with absolute URLs for this server.
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	clientAuth := []string{"client_secret_basic", "client_secret_post", "none"}
	writeJSON(w, http.StatusOK, metadata{
		Issuer:                                 base,
		AuthorizationEndpoint:                  base + "/oauth2/auth",
		TokenEndpoint:                          base + "/oauth2/token",
		RevocationEndpoint:                     base + "/oauth2/revoke",
		IntrospectionEndpoint:                  base + "/oauth2/introspect",
		DeviceAuthorizationEndpoint:            base + "/oauth2/device_authorization",
		JWKSURI:                                base + "/.well-known/jwks.json",
		ScopesSupported:                        allScopes(),
		ResponseTypesSupported:                 []string{"code"},
		ResponseModesSupported:                 []string{"query"},
		GrantTypesSupported:                    []string{"authorization_code", "client_credentials", "refresh_token", deviceGrantType, string(oidc.GrantTypeBearer), "urn:ietf:params:oauth:grant-type:token-exchange"},
		CodeChallengeMethodsSupported:          []string{"S256"},
		TokenEndpointAuthMethodsSupported:      append(slices.Clone(clientAuth), "private_key_jwt"),
		RevocationEndpointAuthMethodsSupported: clientAuth,
		// op's introspection reads Basic credentials only, not
		// client_secret_post.
		IntrospectionEndpointAuthMethods: []string{"client_secret_basic"},
	})
}

// handleJWKS publishes the public half of the token-signing key, so a
// client can verify the demo's access tokens.
func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{s.keys.public}})
}
