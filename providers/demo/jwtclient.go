package demo

import (
	"context"
	"crypto"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// JWTClientID is the demo client that authenticates with a signed JWT
// (private_key_jwt, RFC 7523 §2.2) and may use the JWT-bearer grant
// (RFC 7523 §2.1). op verifies its assertions: aud must be the issuer.
const JWTClientID = "demo-jwt"

// The kids the demo knows the client's keys by: an EC P-256 key (ES256)
// and an RSA key (RS256, PS256). An assertion without a kid is checked
// against the EC key.
const (
	JWTClientKeyID    = "demo-jwt-ec"
	JWTClientRSAKeyID = "demo-jwt-rsa"
)

// The demo client's private keys. Like the demo's client secret they are
// public and fixed: they let a person try private_key_jwt and the
// JWT-bearer grant against the demo with the files beside this one,
// providers/demo/jwtclient-key.pem and jwtclient-rsa-key.pem.
var (
	//go:embed jwtclient-key.pem
	jwtClientKeyPEM []byte
	//go:embed jwtclient-rsa-key.pem
	jwtClientRSAKeyPEM []byte
)

// JWTClientKey returns the demo client's EC private key, PEM-encoded.
func JWTClientKey() []byte { return append([]byte(nil), jwtClientKeyPEM...) }

// JWTClientRSAKey returns the demo client's RSA private key, PEM-encoded.
func JWTClientRSAKey() []byte { return append([]byte(nil), jwtClientRSAKeyPEM...) }

// jwtClientKeys are the public halves of the client's keys by kid, as op
// checks assertions with them.
func jwtClientKeys() (map[string]*jose.JSONWebKey, error) {
	keys := map[string]*jose.JSONWebKey{}
	for kid, data := range map[string][]byte{JWTClientKeyID: jwtClientKeyPEM, JWTClientRSAKeyID: jwtClientRSAKeyPEM} {
		b, _ := pem.Decode(data)
		if b == nil {
			return nil, errors.New("a demo JWT client key is not PEM")
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("the demo JWT client's key %s: %w", kid, err)
		}
		priv, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("the demo JWT client's key %s is a %T", kid, k)
		}
		keys[kid] = &jose.JSONWebKey{Key: priv.Public(), KeyID: kid, Use: "sig"}
	}
	return keys, nil
}

// jwtClient is the client that signs its assertions.
func jwtClient() *client {
	return &client{
		id:     JWTClientID,
		grants: []oidc.GrantType{oidc.GrantTypeClientCredentials, oidc.GrantTypeBearer},
		scopes: []string{"api:read", "api:write"},
		signed: true,
	}
}

// GetKeyByIDAndClientID implements op.JWTProfileKeyStorage: the demo JWT
// client's public key with kid (the EC key when kid is "").
func (s *storage) GetKeyByIDAndClientID(_ context.Context, kid, clientID string) (*jose.JSONWebKey, error) {
	if kid == "" {
		kid = JWTClientKeyID
	}
	if k := s.jwtKeys[kid]; clientID == JWTClientID && k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("the client %q has no key %q", clientID, kid)
}

// ValidateJWTProfileScopes implements op.JWTProfileKeyStorage's partner:
// the scopes a JWT-bearer grant may have are the client's.
func (s *storage) ValidateJWTProfileScopes(_ context.Context, userID string, scopes []string) ([]string, error) {
	c := s.client(userID)
	if c == nil || !c.allows(oidc.GrantTypeBearer) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("%q may not use the JWT-bearer grant.", userID)
	}
	if sc := c.unknownScope(scopes); sc != "" {
		return nil, oidc.ErrInvalidScope().WithDescription("The client %q may not request scope %q.", userID, sc)
	}
	return scopes, nil
}

// signedClientCredentials is the client_credentials grant for a client
// that authenticates with a client assertion: op checks the assertion
// (signature, aud, exp, iat, iss = sub) and that the client is one that
// signs.
func (s *Server) signedClientCredentials(r *http.Request) (*oidc.AccessTokenResponse, error) {
	if r.PostForm.Get("client_assertion_type") != oidc.ClientAssertionTypeJWTAssertion {
		return nil, oidc.ErrInvalidClient().WithDescription("client_assertion_type must be %s.", oidc.ClientAssertionTypeJWTAssertion)
	}
	c, err := op.AuthorizePrivateJWTKey(r.Context(), r.PostForm.Get("client_assertion"), s.provider)
	if err != nil {
		return nil, oidc.ErrInvalidClient().WithDescription("The client assertion was refused: %v", err)
	}
	if !op.ValidateGrantType(c, oidc.GrantTypeClientCredentials) {
		return nil, oidc.ErrUnauthorizedClient()
	}
	req, err := s.store.ClientCredentialsTokenRequest(r.Context(), c.GetID(), strings.Fields(r.PostForm.Get("scope")))
	if err != nil {
		return nil, err
	}
	return op.CreateClientCredentialsTokenResponse(r.Context(), req, s.provider, c)
}

// jwtBearer is the JWT-bearer grant: op verifies the assertion against
// the key of the client it names as iss (and sub); the token is the
// client's, as a client_credentials token would be.
func (s *Server) jwtBearer(r *http.Request) (*oidc.AccessTokenResponse, error) {
	req, err := op.ParseJWTProfileGrantRequest(r, s.provider.Decoder())
	if err != nil {
		return nil, oidc.ErrInvalidRequest().WithDescription("The token request could not be read.")
	}
	if req.Assertion == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("The assertion parameter is missing.")
	}
	jwtReq, err := op.VerifyJWTAssertion(r.Context(), req.Assertion, s.provider.JWTProfileVerifier(r.Context()))
	if err != nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("The assertion was refused: %v", err)
	}
	scopes, err := s.store.ValidateJWTProfileScopes(r.Context(), jwtReq.Issuer, req.Scope)
	if err != nil {
		return nil, err
	}
	c := s.store.client(jwtReq.Issuer)
	tokReq, err := s.store.ClientCredentialsTokenRequest(r.Context(), c.GetID(), scopes)
	if err != nil {
		return nil, err
	}
	return op.CreateClientCredentialsTokenResponse(r.Context(), tokReq, s.provider, c)
}
