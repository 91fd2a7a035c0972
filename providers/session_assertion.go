package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/assertion"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// loadSigner makes the signer of the provider's assertions available: the
// key in client_key_file (with cert_file's thumbprints for
// private_key_jwt), or the client secret for client_secret_jwt. It runs
// once per session, after loadSecret; a failure is not kept, so a key
// file mended meanwhile is read on the next try.
func (s *Session) loadSigner() error {
	s.mu.Lock()
	done := s.signer != nil
	sec := s.secret
	s.mu.Unlock()
	if done {
		return nil
	}
	var signer *assertion.Signer
	switch {
	case s.p.SignsWithKey():
		k, err := s.readClientKey()
		if err != nil {
			return err
		}
		signer = assertion.NewSigner(k)
	case s.p.ClientAuth == config.AuthClientSecretJWT:
		var err error
		if signer, err = assertion.NewHMAC(sec); err != nil {
			// A literal secret too short is a config error at load; this
			// is one from client_secret_cmd or the environment.
			var pr *assertion.Problem
			errors.As(err, &pr)
			return &TokenError{Provider: s.p.Name, Description: "client_secret: " + pr.Msg, Hint: pr.Hint}
		}
	default:
		return nil
	}
	s.mu.Lock()
	s.signer = signer
	s.mu.Unlock()
	return nil
}

// readClientKey reads client_key_file and, for private_key_jwt, the
// certificate in cert_file whose thumbprints the header carries.
func (s *Session) readClientKey() (*assertion.Key, error) {
	path, data, err := readTLSFile(s.p, "client_key_file", s.p.ClientKeyFile)
	if err != nil {
		return nil, err
	}
	k, err := assertion.ParseKey(data, s.p.ClientKeyID, s.p.ClientKeyAlg)
	if err != nil {
		return nil, keyFileError(s.p, "client_key_file", path, err)
	}
	if s.p.ClientAuth != config.AuthPrivateKeyJWT || s.p.CertFile == "" {
		return k, nil
	}
	certPath, certPEM, err := readTLSFile(s.p, "cert_file", s.p.CertFile)
	if err != nil {
		return nil, err
	}
	if err := k.WithCertificate(certPEM); err != nil {
		return nil, keyFileError(s.p, "cert_file", certPath, err)
	}
	return k, nil
}

// keyFileError names the provider, the key and the file of what the
// assertion package found wrong, never the file's contents.
func keyFileError(p *config.Provider, key, path string, err error) error {
	var pr *assertion.Problem
	if !errors.As(err, &pr) {
		return fmt.Errorf("provider %s: %s %s: %w", p.Name, key, path, err)
	}
	if key == "client_key_file" && p.ClientKeyAlg != "" && strings.Contains(pr.Msg, "cannot sign") {
		pr.Hint += "; client_key_alg asks for " + p.ClientKeyAlg
	}
	return &TLSFileError{Provider: p.Name, Key: key, File: path, Msg: pr.Msg, Hint: pr.Hint}
}

// assertionAudience is the aud of the provider's assertions:
// assertion_audience's URL, the issuer, or (the default) the token
// endpoint.
func (s *Session) assertionAudience(ep endpoints) (string, error) {
	switch a := s.p.AssertionAudience; a {
	case "", "token_url":
		if ep.token == "" {
			return "", fmt.Errorf("%s: no token endpoint to address the assertion to (set token_url or assertion_audience)", s.p.Name)
		}
		return ep.token, nil
	case "issuer":
		return s.p.Issuer, nil
	default:
		return a, nil
	}
}

// signAssertion signs an assertion about sub with the extra claims, for
// the provider's token endpoint. The session redacts it from then on: a
// server that echoes it in an error must not put it on the screen.
func (s *Session) signAssertion(ctx context.Context, sub string, extra map[string]any) (secret.String, error) {
	s.mu.Lock()
	signer := s.signer
	s.mu.Unlock()
	if signer == nil {
		return secret.String{}, fmt.Errorf("%s: no signing key loaded", s.p.Name)
	}
	ep, err := s.endpoints(ctx)
	if err != nil {
		return secret.String{}, err
	}
	aud, err := s.assertionAudience(ep)
	if err != nil {
		return secret.String{}, err
	}
	a, err := signer.Sign(assertion.Claims{Issuer: s.p.ClientID, Subject: sub, Audience: aud, Extra: extra}, s.now())
	if err != nil {
		return secret.String{}, fmt.Errorf("%s: %w", s.p.Name, err)
	}
	s.redMu.Lock()
	s.red.Add(a)
	s.redMu.Unlock()
	return a, nil
}

// authenticateSigned adds the client authentication of the methods that
// sign a JWT (RFC 7523 §2.2) or present a certificate (RFC 8705 §2, where
// the certificate itself travels in the TLS handshake). It reports whether
// the provider uses one of them.
func (s *Session) authenticateSigned(ctx context.Context, form url.Values) (bool, error) {
	switch clientAuth(s.p) {
	case config.AuthPrivateKeyJWT, config.AuthClientSecretJWT:
		a, err := s.signAssertion(ctx, s.p.ClientID, nil)
		if err != nil {
			return true, err
		}
		form.Set("client_id", s.p.ClientID)
		form.Set("client_assertion_type", assertion.ClientAssertionType)
		form.Set("client_assertion", a.Reveal())
		return true, nil
	case config.AuthTLS, config.AuthSelfSignedTLS:
		form.Set("client_id", s.p.ClientID)
		return true, nil
	}
	return false, nil
}

// jwtBearer runs the JWT-bearer grant (RFC 7523 §2.1): an assertion about
// assertion_claims.sub (client_id when unset), signed with
// client_key_file, exchanged for a token.
func (s *Session) jwtBearer(ctx context.Context, ep endpoints) (*Token, error) {
	sub := s.p.ClientID
	if v, ok := s.p.AssertionClaims["sub"].(string); ok && v != "" {
		sub = v
	}
	a, err := s.signAssertion(ctx, sub, s.p.AssertionClaims)
	if err != nil {
		return nil, err
	}
	form := s.extraParams()
	form.Set("grant_type", assertion.GrantType)
	form.Set("assertion", a.Reveal())
	if len(s.p.Scopes) > 0 {
		form.Set("scope", strings.Join(s.p.Scopes, " "))
	}
	return s.postToken(ctx, ep.token, form)
}
