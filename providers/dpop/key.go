// Package dpop binds tokens to a key of the client's (RFC 9449,
// Demonstrating Proof of Possession): the key, kept private beside the
// token cache or in a file of the person's; the proof, a JWT signed with it
// for one request; the nonces servers hand out; and a transport that puts a
// proof on every token request and on every call that carries a
// DPoP-bound token, retrying once when the server asks for a nonce.
//
// It imports nothing of keyhole's but providers/secret and internal/safefile:
// package providers wires it in.
package dpop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// Key is a DPoP private key and the algorithm it signs with. It prints as
// its thumbprint only: the private part never leaves through fmt or JSON.
type Key struct {
	priv crypto.Signer
	alg  jose.SignatureAlgorithm
	pub  jose.JSONWebKey
	jkt  string
}

// String shows the key by its public thumbprint.
func (k *Key) String() string { return "DPoP key " + k.jkt }

// Format keeps every fmt verb on String: %#v would otherwise walk into the
// private key.
func (k *Key) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, k.String()) }

// MarshalJSON is the public key only.
func (k *Key) MarshalJSON() ([]byte, error) { return k.pub.MarshalJSON() }

// Thumbprint is the key's JWK SHA-256 thumbprint (RFC 7638), base64url:
// what a bound token's cnf.jkt holds.
func (k *Key) Thumbprint() string { return k.jkt }

// Algorithm is the JWS algorithm the key's proofs are signed with.
func (k *Key) Algorithm() string { return string(k.alg) }

// Generate makes a new P-256 key: ES256 is the algorithm every DPoP server
// accepts, and its proofs are short.
func Generate() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make DPoP key: %w", err)
	}
	return newKey(priv)
}

// newKey wraps a private key, choosing its algorithm from its type.
func newKey(priv any) (*Key, error) {
	var alg jose.SignatureAlgorithm
	var signer crypto.Signer
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		signer = k
		switch k.Curve {
		case elliptic.P256():
			alg = jose.ES256
		case elliptic.P384():
			alg = jose.ES384
		case elliptic.P521():
			alg = jose.ES512
		default:
			return nil, errors.New("an EC key must be on P-256, P-384 or P-521")
		}
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("an RSA key must have at least 2048 bits, this one has %d", k.N.BitLen())
		}
		signer, alg = k, jose.PS256
	case ed25519.PrivateKey:
		signer, alg = k, jose.EdDSA
	default:
		return nil, fmt.Errorf("a DPoP key must be an EC, RSA or Ed25519 private key, not %T", priv)
	}
	pub := jose.JSONWebKey{Key: signer.Public(), Algorithm: string(alg)}
	sum, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("DPoP key thumbprint: %w", err)
	}
	// The embedded jwk carries only what RFC 7638 hashes: kty and the
	// public numbers (alg is the header's business).
	pub.Algorithm = ""
	return &Key{priv: signer, alg: alg, pub: pub, jkt: base64.RawURLEncoding.EncodeToString(sum)}, nil
}

// Parse reads a private key: PEM (PKCS #8, SEC 1 "EC PRIVATE KEY" or
// PKCS #1 "RSA PRIVATE KEY"), a JWK, or a JWKS holding one private key.
// Its errors never quote the data.
func Parse(data []byte) (*Key, error) {
	if block, _ := pem.Decode(data); block != nil {
		return parsePEM(block)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, errors.New("neither PEM nor a JSON Web Key")
	}
	if _, ok := probe["keys"]; ok {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(data, &set); err != nil {
			return nil, errors.New("a JWK set that does not parse")
		}
		var found []jose.JSONWebKey
		for _, k := range set.Keys {
			if !k.IsPublic() {
				found = append(found, k)
			}
		}
		if len(found) != 1 {
			return nil, fmt.Errorf("a JWK set must hold exactly one private key, this one holds %d", len(found))
		}
		return newKey(found[0].Key)
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(data); err != nil {
		return nil, errors.New("a JSON Web Key that does not parse")
	}
	if jwk.IsPublic() {
		return nil, errors.New("a public key: DPoP needs the private key")
	}
	return newKey(jwk.Key)
}

func parsePEM(b *pem.Block) (*Key, error) {
	var parse func([]byte) (any, error)
	var what string
	switch b.Type {
	case "PRIVATE KEY":
		parse, what = x509.ParsePKCS8PrivateKey, "a PKCS #8 private key"
	case "EC PRIVATE KEY":
		parse, what = func(der []byte) (any, error) { return x509.ParseECPrivateKey(der) }, "an EC private key"
	case "RSA PRIVATE KEY":
		parse, what = func(der []byte) (any, error) { return x509.ParsePKCS1PrivateKey(der) }, "an RSA private key"
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("an encrypted private key: keyhole cannot ask for its passphrase; decrypt it (openssl pkcs8 -in key.pem -out plain.pem)")
	default:
		return nil, fmt.Errorf("a PEM %q block, not a private key", b.Type)
	}
	k, err := parse(b.Bytes)
	if err != nil {
		return nil, errors.New(what + " that does not parse")
	}
	return newKey(k)
}

// marshal is the key as a private JWK, the form keyhole writes.
func (k *Key) marshal() ([]byte, error) {
	jwk := jose.JSONWebKey{Key: k.priv, Algorithm: string(k.alg)}
	return jwk.MarshalJSON()
}

// Load reads the key at path, making one there (mode 0600, its folder
// 0700) when there is none. made says a new key was written.
func Load(path string) (key *Key, made bool, err error) {
	f, err := safefile.Open(path, os.O_RDONLY, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return create(path)
	case err != nil:
		return nil, false, err
	}
	defer f.Close()
	data, err := readAll(f)
	if err != nil {
		return nil, false, err
	}
	if key, err = Parse(data); err != nil {
		return nil, false, err
	}
	return key, false, nil
}

func create(path string) (*Key, bool, error) {
	key, err := Generate()
	if err != nil {
		return nil, false, err
	}
	data, err := key.marshal()
	if err != nil {
		return nil, false, fmt.Errorf("write DPoP key: %w", err)
	}
	if err := safefile.MkdirPrivate(filepath.Dir(path)); err != nil {
		return nil, false, err
	}
	// Written whole beside path, then linked into place, which fails when
	// path exists: two keyhole processes starting at once must not each
	// bind tokens to a key of their own, and none may read half a key. The
	// loser reads the winner's.
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-dpop-*")
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp.Name())
	if err := safefile.FillPrivate(tmp, data); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Load(path)
		}
		return nil, false, err
	}
	safefile.SyncDir(dir)
	return key, true, nil
}

// maxKeyFile caps what is read of a key file: a key is a few kilobytes.
const maxKeyFile = 1 << 20

func readAll(f *os.File) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeyFile {
		return nil, errors.New("larger than a key file can be")
	}
	return data, nil
}

// hashToken is ath: base64url of the SHA-256 of the token's ASCII (RFC
// 9449 §4.2).
func hashToken(access string) string {
	sum := sha256.Sum256([]byte(access))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Paths are where keyhole keeps the key and the nonces of the provider
// called name under its state folder: dir/dpop/NAME.jwk and
// dir/dpop/NAME.nonces.json, the name escaped so that it is one safe file
// name (letters a-z, digits, '-' and '_' stand for themselves, every
// other byte is %XX) and two names never share a file.
func Paths(dir, name string) (key, nonces string) {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	base := filepath.Join(dir, "dpop", b.String())
	return base + ".jwk", base + ".nonces.json"
}
