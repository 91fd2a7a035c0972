package dpop

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// ProofType is the typ of every proof's header (RFC 9449 §4.2).
const ProofType = "dpop+jwt"

// Header is the request header a proof rides in; NonceHeader the response
// header a server hands a nonce out in.
const (
	Header      = "DPoP"
	NonceHeader = "DPoP-Nonce"
)

// Request is what a proof is made for.
type Request struct {
	Method string
	URL    *url.URL
	// Access is the token the request carries, hashed into ath; zero for
	// a token request, which carries none.
	Access secret.String
	// Nonce is the server's last DPoP-Nonce, "" when it sent none.
	Nonce string
}

// claims are a proof's payload.
type claims struct {
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	ATH   string `json:"ath,omitempty"`
	Nonce string `json:"nonce,omitempty"`
}

// Proof signs a proof for r at now. It is a secret: with the token, it
// lets its holder make this one request.
func (k *Key) Proof(r Request, now time.Time) (secret.String, error) {
	if r.URL == nil {
		return secret.String{}, fmt.Errorf("DPoP proof: no URL")
	}
	jti := make([]byte, 16) // 128 bits, above RFC 9449 §4.2's 96
	if _, err := rand.Read(jti); err != nil {
		return secret.String{}, fmt.Errorf("DPoP proof: %w", err)
	}
	c := claims{
		JTI:   base64.RawURLEncoding.EncodeToString(jti),
		HTM:   strings.ToUpper(r.Method),
		HTU:   HTU(r.URL),
		IAT:   now.Unix(),
		Nonce: r.Nonce,
	}
	if !r.Access.IsZero() {
		c.ATH = hashToken(r.Access.Reveal())
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return secret.String{}, fmt.Errorf("DPoP proof: %w", err)
	}
	opts := (&jose.SignerOptions{}).WithType(ProofType).WithHeader("jwk", k.pub)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.priv}, opts)
	if err != nil {
		return secret.String{}, fmt.Errorf("DPoP proof: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return secret.String{}, fmt.Errorf("DPoP proof: %w", err)
	}
	compact, err := jws.CompactSerialize()
	if err != nil {
		return secret.String{}, fmt.Errorf("DPoP proof: %w", err)
	}
	return secret.New(compact), nil
}

// HTU is a URL as a proof names it: without query and fragment (RFC 9449
// §4.2), scheme and host in lower case and a default port left out, as
// RFC 3986 §6.2.2 and §6.2.3 normalize them, so that a server comparing
// the normalized form and one comparing the text both agree.
func HTU(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil && (scheme == "https" && port == "443" || scheme == "http" && port == "80") {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}
