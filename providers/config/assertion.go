package config

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/providers/assertion"
)

// The client_auth methods that sign a JWT or present a certificate
// (RFC 7523 §2.2, OpenID Connect Core §9, RFC 8705 §2).
const (
	AuthPrivateKeyJWT   = "private_key_jwt"
	AuthClientSecretJWT = "client_secret_jwt"
	AuthTLS             = "tls_client_auth"
	AuthSelfSignedTLS   = "self_signed_tls_client_auth"
)

// GrantJWTBearer is RFC 7523 §2.1's grant: an assertion signed with
// client_key_file, exchanged for a token.
const GrantJWTBearer Grant = "jwt_bearer"

// CertForThumbprint reports whether cert_file stands alone as the
// certificate whose thumbprints a private_key_jwt assertion carries (with
// key_file too it is also the mTLS certificate).
func CertForThumbprint(p *Provider) bool {
	return p.ClientAuth == AuthPrivateKeyJWT && p.CertFile != "" && p.KeyFile == ""
}

// AssertsOrPresentsCert reports whether the client authenticates with a
// signed assertion or its certificate: no secret travels, and x/oauth2 can
// send neither.
func (p *Provider) AssertsOrPresentsCert() bool {
	switch p.ClientAuth {
	case AuthPrivateKeyJWT, AuthClientSecretJWT, AuthTLS, AuthSelfSignedTLS:
		return true
	}
	return false
}

// SignsWithKey reports whether the provider signs with client_key_file.
func (p *Provider) SignsWithKey() bool {
	return p.ClientAuth == AuthPrivateKeyJWT || p.Grant == GrantJWTBearer
}

// checkAssertion checks the keys of signed client authentication, mTLS
// client authentication and the jwt_bearer grant.
func checkAssertion(errAt func(toml.Key, string, string) error, key func(...string) toml.Key, p *Provider) error {
	needs := func(what, hint string) error {
		k := key("client_auth")
		if p.ClientAuth == "" {
			k = key("grant")
		}
		return errAt(k, what, hint)
	}
	switch p.ClientAuth {
	case AuthPrivateKeyJWT:
		if p.ClientKeyFile == "" {
			return needs("private_key_jwt needs client_key_file", `client_key_file = "client-key.pem" (PEM, JWK or JWKS; relative to this file)`)
		}
	case AuthClientSecretJWT:
		if p.ClientSecret.IsZero() && p.ClientSecretCmd == "" {
			return needs("client_secret_jwt needs client_secret or client_secret_cmd", "the secret keys the HS256 assertion")
		}
		if sec := p.ClientSecret.Reveal(); sec != "" && !strings.Contains(sec, "${") && len(sec) < assertion.MinSecretBytes {
			return errAt(key("client_secret"), fmt.Sprintf("client_secret_jwt needs a secret of at least %d bytes, this one has %d", assertion.MinSecretBytes, len(sec)), "RFC 7518 §3.2; use private_key_jwt, or ask for a longer secret")
		}
	case AuthTLS, AuthSelfSignedTLS:
		if p.CertFile == "" || p.KeyFile == "" {
			return needs(p.ClientAuth+" needs cert_file and key_file", "the client certificate is the client's credential (RFC 8705)")
		}
	}
	if (p.SignsWithKey() || p.ClientAuth == AuthClientSecretJWT || p.ClientAuth == AuthTLS || p.ClientAuth == AuthSelfSignedTLS) && p.ClientID == "" {
		return needs("missing client_id", "the assertion's iss and sub, or the client named beside its certificate")
	}
	if p.Grant == GrantJWTBearer {
		if p.ClientKeyFile == "" {
			return errAt(key("grant"), "jwt_bearer needs client_key_file", `client_key_file = "key.pem": the key that signs the grant's assertion`)
		}
		if p.TokenURL == "" && p.Issuer == "" {
			return errAt(key("grant"), "jwt_bearer needs token_url or issuer", `token_url = "https://login.example.com/oauth2/token"`)
		}
	}
	if p.ClientKeyFile != "" && !p.SignsWithKey() {
		return errAt(key("client_key_file"), "client_key_file is set but nothing signs with it", `client_auth = "private_key_jwt" or grant = "jwt_bearer" uses it`)
	}
	if p.ClientKeyAlg != "" && !slices.Contains(assertion.KeyAlgs, p.ClientKeyAlg) {
		return errAt(key("client_key_alg"), fmt.Sprintf("unknown algorithm %q", p.ClientKeyAlg), "allowed: "+strings.Join(assertion.KeyAlgs, ", "))
	}
	if a := p.AssertionAudience; a != "" {
		if !p.SignsWithKey() && p.ClientAuth != AuthClientSecretJWT {
			return errAt(key("assertion_audience"), "assertion_audience is set but no assertion is signed", `it goes with client_auth = "private_key_jwt" or "client_secret_jwt", or grant = "jwt_bearer"`)
		}
		switch {
		case a == "token_url":
		case a == "issuer":
			if p.Issuer == "" {
				return errAt(key("assertion_audience"), `"issuer" needs issuer to be set`, "set issuer, or give the audience as a URL")
			}
		case strings.Contains(a, "${"):
		default:
			if u, err := url.Parse(a); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return errAt(key("assertion_audience"), fmt.Sprintf("%q is not token_url, issuer or an http(s) URL", a), `assertion_audience = "issuer"`)
			}
		}
	}
	if len(p.AssertionClaims) > 0 {
		if p.Grant != GrantJWTBearer {
			return errAt(key("assertion_claims"), "assertion_claims is set but the grant is not jwt_bearer", "only the jwt_bearer grant's assertion takes claims of the config's")
		}
		for _, c := range assertion.Reserved {
			if _, ok := p.AssertionClaims[c]; ok {
				return errAt(key("assertion_claims", c), "keyhole sets "+c+" itself", "iss is client_id, aud is assertion_audience; jti, iat, nbf and exp are new for each assertion")
			}
		}
		if sub, ok := p.AssertionClaims["sub"]; ok {
			if s, isStr := sub.(string); !isStr || s == "" {
				return errAt(key("assertion_claims", "sub"), "sub must be a non-empty string", `sub = "user@example.com"`)
			}
		}
	}
	return nil
}

// PresentsCertificate reports whether the client's certificate is its
// credential (RFC 8705 §2), so the mTLS endpoint aliases apply.
func (p *Provider) PresentsCertificate() bool {
	return p.ClientAuth == AuthTLS || p.ClientAuth == AuthSelfSignedTLS
}

// SignedClientHint is what to check when the server refuses a client that
// signs or presents a certificate; "" for the other methods.
func SignedClientHint(p *Provider) string {
	switch p.ClientAuth {
	case AuthPrivateKeyJWT:
		return "the token endpoint refused the client assertion: check client_id, that client_key_file's key (client_key_id, client_key_alg) is the one registered for it, and assertion_audience (" + cmp.Or(p.AssertionAudience, "token_url") + "; some servers want \"issuer\")"
	case AuthClientSecretJWT:
		return "the token endpoint refused the client assertion: check client_id, client_secret and assertion_audience (" + cmp.Or(p.AssertionAudience, "token_url") + ")"
	case AuthTLS, AuthSelfSignedTLS:
		return "the token endpoint refused the client certificate: check client_id and that cert_file is the certificate registered for it"
	}
	return ""
}

// addAssertionSettings adds what a signed assertion says to the settings
// a cached token is keyed by: another key, kid or sub is another identity,
// whose token must not be taken for this one's. Only keys that are set go
// in, so a provider without them keeps the key it always had.
func (p *Provider) addAssertionSettings(auth map[string]any) {
	for k, v := range map[string]string{"client_key_file": p.ClientKeyFile, "client_key_id": p.ClientKeyID, "client_key_alg": p.ClientKeyAlg, "assertion_audience": p.AssertionAudience} {
		if v != "" {
			auth[k] = v
		}
	}
	if len(p.AssertionClaims) > 0 {
		auth["assertion_claims"] = p.AssertionClaims
	}
}
