// Package assertion signs the JWTs a client presents to an authorization
// server: the client assertion of private_key_jwt and client_secret_jwt
// (RFC 7523 §2.2, OpenID Connect Core §9) and the authorization grant of
// the JWT-bearer grant (RFC 7523 §2.1). It reads the signing key from a
// PEM, JWK or JWKS file and, given the client's certificate, puts its
// thumbprints in the header as Entra ID's certificate credentials need.
// It knows no config: the caller names the provider and the key in errors.
package assertion

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha1" // x5t is SHA-1 by definition (RFC 7515 §4.1.7); it only names a certificate
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// The signing algorithms keyhole offers for a private key.
const (
	RS256 = "RS256"
	PS256 = "PS256"
	ES256 = "ES256"
	HS256 = "HS256" // client_secret_jwt, keyed by the client secret
)

// KeyAlgs are the algorithms a private key may sign with.
var KeyAlgs = []string{RS256, PS256, ES256}

// MinSecretBytes is the shortest client secret HS256 may use: RFC 7518
// §3.2 requires a key of at least the hash's size.
const MinSecretBytes = 32

// Problem is what is wrong with a key or certificate file, in words a
// person can act on; it never holds the file's contents. Cert says the
// certificate file is at fault rather than the key file.
type Problem struct {
	Cert bool
	Msg  string
	Hint string
}

func (p *Problem) Error() string { return p.Msg }

// Key is a private signing key with what its assertions' header says of
// it. It prints as a mask: the private key never reaches a screen or log.
type Key struct {
	priv         crypto.Signer
	alg          string
	kid          string
	x5t, x5tS256 string // certificate thumbprints, "" without cert_file
}

// String implements fmt.Stringer without the key.
func (k *Key) String() string { return "private key (" + k.alg + ")" }

// GoString keeps %#v from printing the key's numbers.
func (k *Key) GoString() string { return k.String() }

// Format prints the mask for every verb.
func (k *Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// Alg is the algorithm the key signs with.
func (k *Key) Alg() string { return k.alg }

// KeyID is the kid the header carries, "" for none.
func (k *Key) KeyID() string { return k.kid }

// Thumbprints are the certificate's x5t#S256 and x5t, "" without one.
func (k *Key) Thumbprints() (s256, sha1 string) { return k.x5tS256, k.x5t }

// Public is the key's public half.
func (k *Key) Public() crypto.PublicKey { return k.priv.Public() }

// ParseKey reads a private key from data: a PEM block (PKCS #8, PKCS #1 or
// SEC 1), a JWK, or a JWKS. kid picks the key of a JWKS and is the kid the
// header carries (a JWK's own kid when kid is ""). alg is the algorithm
// wanted ("" for the key's default: a JWK's alg, else RS256 for RSA and
// ES256 for P-256); a key that cannot sign with it is a Problem.
func ParseKey(data []byte, kid, alg string) (*Key, error) {
	trimmed := bytes.TrimSpace(data)
	var (
		priv   any
		keyAlg string
		err    error
	)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		priv, kid, keyAlg, err = parseJWK(trimmed, kid)
	} else {
		priv, err = parsePEM(data)
	}
	if err != nil {
		return nil, err
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, &Problem{Msg: fmt.Sprintf("a %T is not a key keyhole can sign with", priv), Hint: "use an RSA key (RS256, PS256) or an EC P-256 key (ES256)"}
	}
	if alg == "" {
		alg = keyAlg
	}
	if alg, err = checkAlg(signer, alg); err != nil {
		return nil, err
	}
	return &Key{priv: signer, alg: alg, kid: kid}, nil
}

// checkAlg returns alg, or the key's default when alg is "", if the key
// can sign with it.
func checkAlg(k crypto.Signer, alg string) (string, error) {
	switch pub := k.Public().(type) {
	case *rsa.PublicKey:
		if pub.N.BitLen() < 2048 {
			return "", &Problem{Msg: fmt.Sprintf("the RSA key has %d bits", pub.N.BitLen()), Hint: "RFC 7518 §3.3 requires at least 2048 bits"}
		}
		if alg == "" {
			return RS256, nil
		}
		if alg == RS256 || alg == PS256 {
			return alg, nil
		}
		return "", &Problem{Msg: "an RSA key cannot sign " + alg, Hint: "an RSA key signs RS256 or PS256"}
	case *ecdsa.PublicKey:
		if pub.Curve != elliptic.P256() {
			return "", &Problem{Msg: "the EC key is on " + pub.Curve.Params().Name + ", not P-256", Hint: "ES256 needs a P-256 key: openssl ecparam -name prime256v1 -genkey"}
		}
		if alg == "" || alg == ES256 {
			return ES256, nil
		}
		return "", &Problem{Msg: "an EC P-256 key cannot sign " + alg, Hint: "an EC P-256 key signs ES256"}
	}
	return "", &Problem{Msg: fmt.Sprintf("a %T key is not one keyhole can sign with", k.Public()), Hint: "use an RSA key (RS256, PS256) or an EC P-256 key (ES256)"}
}

// parsePEM reads the first private key block of data.
func parsePEM(data []byte) (any, error) {
	rest := data
	sawBlock := false
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		sawBlock = true
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED"):
			return nil, &Problem{Msg: "the private key is encrypted", Hint: "keyhole needs an unencrypted key: openssl pkey -in FILE -out key.pem, kept private (chmod 600)"}
		case b.Type == "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, &Problem{Msg: "the PKCS #8 private key does not parse: " + err.Error()}
			}
			return k, nil
		case b.Type == "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
			if err != nil {
				return nil, &Problem{Msg: "the RSA private key does not parse: " + err.Error()}
			}
			return k, nil
		case b.Type == "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(b.Bytes)
			if err != nil {
				return nil, &Problem{Msg: "the EC private key does not parse: " + err.Error()}
			}
			return k, nil
		}
	}
	if sawBlock {
		return nil, &Problem{Msg: "holds no PEM private key", Hint: "wanted a -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block; a certificate goes in cert_file"}
	}
	return nil, &Problem{Msg: "is neither PEM nor a JWK", Hint: "a -----BEGIN PRIVATE KEY----- block, a JWK or a JWKS"}
}

// parseJWK reads a JWK, or the key of a JWKS that kid names (the only
// private one when kid is ""). It returns the key, its kid and its alg.
func parseJWK(data []byte, kid string) (any, string, string, error) {
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, "", "", &Problem{Msg: "the JSON does not parse: " + jsonReason(err)}
	}
	var jwk jose.JSONWebKey
	if probe.Keys == nil {
		if err := jwk.UnmarshalJSON(data); err != nil {
			return nil, "", "", &Problem{Msg: "not a valid JWK: " + err.Error()}
		}
	} else {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(data, &set); err != nil {
			return nil, "", "", &Problem{Msg: "not a valid JWKS: " + err.Error()}
		}
		var err error
		if jwk, err = pick(set, kid); err != nil {
			return nil, "", "", err
		}
	}
	if jwk.IsPublic() {
		return nil, "", "", &Problem{Msg: "the JWK is a public key", Hint: "signing needs the private key (with its \"d\")"}
	}
	if kid == "" {
		kid = jwk.KeyID
	}
	return jwk.Key, kid, jwk.Algorithm, nil
}

// pick is the private key of set that kid names, or its only private key.
func pick(set jose.JSONWebKeySet, kid string) (jose.JSONWebKey, error) {
	var private []jose.JSONWebKey
	for _, k := range set.Keys {
		if !k.IsPublic() {
			private = append(private, k)
		}
	}
	if kid != "" {
		i := slices.IndexFunc(private, func(k jose.JSONWebKey) bool { return k.KeyID == kid })
		if i < 0 {
			return jose.JSONWebKey{}, &Problem{Msg: fmt.Sprintf("the JWKS has no private key with kid %q", kid), Hint: "client_key_id must name one of its keys"}
		}
		return private[i], nil
	}
	switch len(private) {
	case 0:
		return jose.JSONWebKey{}, &Problem{Msg: "the JWKS holds no private key", Hint: "signing needs a private key (with its \"d\")"}
	case 1:
		return private[0], nil
	}
	return jose.JSONWebKey{}, &Problem{Msg: fmt.Sprintf("the JWKS holds %d private keys", len(private)), Hint: "set client_key_id to the kid of the one to sign with"}
}

// jsonReason is a JSON error without the input it quotes.
func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return "not a JSON object"
}

// WithCertificate adds the thumbprints of the certificate in certPEM (its
// first CERTIFICATE block) to the key's header, after checking that the
// certificate is the key's own.
func (k *Key) WithCertificate(certPEM []byte) error {
	var leaf *pem.Block
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			leaf = b
			break
		}
	}
	if leaf == nil {
		return &Problem{Cert: true, Msg: "holds no PEM certificate", Hint: "cert_file wants the certificate as a -----BEGIN CERTIFICATE----- block"}
	}
	cert, err := x509.ParseCertificate(leaf.Bytes)
	if err != nil {
		return &Problem{Cert: true, Msg: "not a valid certificate: " + err.Error()}
	}
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(k.priv.Public()) {
		return &Problem{Cert: true, Msg: "the certificate does not match the private key", Hint: "cert_file must be the certificate of client_key_file's key"}
	}
	s1 := sha1.Sum(cert.Raw)
	s256 := sha256.Sum256(cert.Raw)
	k.x5t = base64.RawURLEncoding.EncodeToString(s1[:])
	k.x5tS256 = base64.RawURLEncoding.EncodeToString(s256[:])
	return nil
}
