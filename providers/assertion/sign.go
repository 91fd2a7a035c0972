package assertion

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Lifetime is how long an assertion is good for: long enough for the
// request to arrive, short enough that a captured one is soon useless.
const Lifetime = time.Minute

// ClientAssertionType is the client_assertion_type of RFC 7523 §2.2.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// GrantType is the grant_type of the JWT-bearer grant, RFC 7523 §2.1.
const GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// Reserved are the claims keyhole sets on every assertion; a config's
// assertion_claims may not replace them.
var Reserved = []string{"iss", "aud", "exp", "iat", "nbf", "jti"}

// Claims are what an assertion says: iss, sub and aud, and any others.
type Claims struct {
	Issuer, Subject, Audience string
	// Extra are more claims; those in Reserved are ignored.
	Extra map[string]any
}

// Signer signs assertions with a private key or, for client_secret_jwt,
// the client secret.
type Signer struct {
	key    *Key          // nil for HS256
	secret secret.String // HS256's key
}

// NewSigner signs with k.
func NewSigner(k *Key) *Signer { return &Signer{key: k} }

// NewHMAC signs HS256 with the client secret, which must be at least
// MinSecretBytes long.
func NewHMAC(sec secret.String) (*Signer, error) {
	if n := len(sec.Reveal()); n < MinSecretBytes {
		return nil, &Problem{Msg: fmt.Sprintf("the client secret has %d bytes; HS256 needs at least %d", n, MinSecretBytes), Hint: "RFC 7518 §3.2; use private_key_jwt, or a longer secret"}
	}
	return &Signer{secret: sec}, nil
}

// Alg is the algorithm the signer uses.
func (s *Signer) Alg() string {
	if s.key == nil {
		return HS256
	}
	return s.key.alg
}

// Sign makes an assertion issued at now: c's claims plus a new random jti,
// iat and an exp Lifetime later. The result is a secret: whoever holds it
// can present it until it expires.
func (s *Signer) Sign(c Claims, now time.Time) (secret.String, error) {
	claims := make(map[string]any, len(c.Extra)+6)
	for k, v := range c.Extra {
		claims[k] = v
	}
	for _, k := range Reserved {
		delete(claims, k)
	}
	jti := make([]byte, 16)
	_, _ = rand.Read(jti) // crypto/rand.Read never fails on supported platforms
	claims["iss"] = c.Issuer
	claims["sub"] = c.Subject
	claims["aud"] = c.Audience
	claims["jti"] = base64.RawURLEncoding.EncodeToString(jti)
	claims["iat"] = now.Unix()
	claims["exp"] = now.Add(Lifetime).Unix()
	payload, err := json.Marshal(claims)
	if err != nil {
		return secret.String{}, fmt.Errorf("assertion claims: %w", err)
	}
	signer, err := s.joseSigner()
	if err != nil {
		return secret.String{}, err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return secret.String{}, fmt.Errorf("sign the assertion: %w", err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		return secret.String{}, fmt.Errorf("sign the assertion: %w", err)
	}
	return secret.New(out), nil
}

// joseSigner is go-jose's signer with the header the key calls for.
func (s *Signer) joseSigner() (jose.Signer, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	var sk jose.SigningKey
	if s.key == nil {
		sk = jose.SigningKey{Algorithm: jose.HS256, Key: []byte(s.secret.Reveal())}
	} else {
		sk = jose.SigningKey{Algorithm: jose.SignatureAlgorithm(s.key.alg), Key: s.key.priv}
		if s.key.kid != "" {
			opts = opts.WithHeader(jose.HeaderKey("kid"), s.key.kid)
		}
		if s.key.x5tS256 != "" {
			opts = opts.WithHeader(jose.HeaderKey("x5t#S256"), s.key.x5tS256).WithHeader(jose.HeaderKey("x5t"), s.key.x5t)
		}
	}
	signer, err := jose.NewSigner(sk, opts)
	if err != nil {
		return nil, fmt.Errorf("%s signer: %w", sk.Algorithm, err)
	}
	return signer, nil
}
