// Package dpoptest is a DPoP server for tests: a verifier of proofs
// written from RFC 9449 §4.3 with the standard library alone (no JOSE
// library, so that it fails independently of the signer it checks), and an
// authorization server and API on httptest that issue and demand
// DPoP-bound tokens, with nonces when asked to. Its tests first make it
// accept the RFCs' own published examples.
package dpoptest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"
)

// Expect is what a proof must say for the request it came with.
type Expect struct {
	Method string
	URL    string // the request's URL; its query and fragment are ignored
	Now    time.Time
	// Window is how far iat may be from Now; 0 means a minute.
	Window time.Duration
	// Access is the token presented with the proof, "" for a token request.
	Access string
	// Nonce is the nonce the server handed out, "" for none.
	Nonce string
	// JKT is the thumbprint the presented token is bound to, "" for none.
	JKT string
}

// Proof is a verified proof's content.
type Proof struct {
	Header map[string]any
	Claims map[string]any
	// JKT is the thumbprint of the proof's key (RFC 7638).
	JKT string
}

func (p Proof) str(name string) string { s, _ := p.Claims[name].(string); return s }

// JTI is the proof's jti.
func (p Proof) JTI() string { return p.str("jti") }

// Verify checks a DPoP header's value as RFC 9449 §4.3 lists, in its
// order: one well-formed JWT, the required claims, typ, an asymmetric alg,
// the signature under the header's jwk, no private key in it, htm, htu, the
// nonce, iat within the window, and for a token presented with it, ath and
// the key binding. The error says which check failed.
func Verify(values []string, e Expect) (Proof, error) {
	var p Proof
	if len(values) != 1 {
		return p, fmt.Errorf("want exactly one DPoP header, got %d", len(values))
	}
	parts := strings.Split(values[0], ".")
	if len(parts) != 3 {
		return p, errors.New("not a JWS in compact form")
	}
	if err := decodePart(parts[0], &p.Header); err != nil {
		return p, fmt.Errorf("header: %w", err)
	}
	if err := decodePart(parts[1], &p.Claims); err != nil {
		return p, fmt.Errorf("payload: %w", err)
	}
	for _, c := range []string{"jti", "htm", "htu"} {
		if p.str(c) == "" {
			return p, fmt.Errorf("claim %s missing", c)
		}
	}
	iat, ok := p.Claims["iat"].(float64)
	if !ok {
		return p, errors.New("claim iat missing")
	}
	if typ, _ := p.Header["typ"].(string); typ != "dpop+jwt" {
		return p, fmt.Errorf("typ %q, want dpop+jwt", typ)
	}
	alg, _ := p.Header["alg"].(string)
	jwk, ok := p.Header["jwk"].(map[string]any)
	if !ok {
		return p, errors.New("no jwk in the header")
	}
	for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		if _, ok := jwk[private]; ok {
			return p, errors.New("the jwk holds a private key")
		}
	}
	pub, err := publicKey(jwk)
	if err != nil {
		return p, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return p, errors.New("signature is not base64url")
	}
	if err := verifySignature(alg, pub, []byte(parts[0]+"."+parts[1]), sig); err != nil {
		return p, err
	}
	if p.JKT, err = Thumbprint(jwk); err != nil {
		return p, err
	}
	if p.str("htm") != e.Method {
		return p, fmt.Errorf("htm %q, want %q", p.str("htm"), e.Method)
	}
	want, err := normalize(e.URL)
	if err != nil {
		return p, err
	}
	got, err := normalize(p.str("htu"))
	if err != nil || got != want {
		return p, fmt.Errorf("htu %q, want %q", p.str("htu"), want)
	}
	if e.Nonce != "" && p.str("nonce") != e.Nonce {
		return p, fmt.Errorf("nonce %q, want %q", p.str("nonce"), e.Nonce)
	}
	window := e.Window
	if window == 0 {
		window = time.Minute
	}
	at := time.Unix(int64(iat), 0)
	if at.Before(e.Now.Add(-window)) || at.After(e.Now.Add(window)) {
		return p, fmt.Errorf("iat %d is outside the window around %d", int64(iat), e.Now.Unix())
	}
	if e.Access != "" {
		if p.str("ath") != ATH(e.Access) {
			return p, errors.New("ath does not match the access token")
		}
		if e.JKT != "" && p.JKT != e.JKT {
			return p, errors.New("the proof's key is not the one the token is bound to")
		}
	}
	return p, nil
}

// ATH is the hash of an access token as ath carries it (RFC 9449 §4.2).
func ATH(access string) string {
	sum := sha256.Sum256([]byte(access))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func decodePart(s string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return errors.New("not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return errors.New("not a JSON object")
	}
	return nil
}

// normalize is RFC 3986 §6.2.2 and §6.2.3 enough for htu: scheme and host
// in lower case, default port dropped, empty path as "/", no query or
// fragment.
func normalize(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("htu %q is not an absolute URL", raw)
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	scheme := strings.ToLower(u.Scheme)
	if port := u.Port(); port != "" && !(scheme == "https" && port == "443" || scheme == "http" && port == "80") {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path, nil
}

// Thumbprint is a public JWK's SHA-256 thumbprint (RFC 7638 §3): the
// required members only, in lexicographic order, no white space.
func Thumbprint(jwk map[string]any) (string, error) {
	kty, _ := jwk["kty"].(string)
	var members []string
	switch kty {
	case "EC":
		members = []string{"crv", "kty", "x", "y"}
	case "RSA":
		members = []string{"e", "kty", "n"}
	case "OKP":
		members = []string{"crv", "kty", "x"}
	default:
		return "", fmt.Errorf("kty %q", kty)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		v, ok := jwk[m].(string)
		if !ok {
			return "", fmt.Errorf("jwk member %s missing", m)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%q", m, v)
	}
	b.WriteByte('}')
	sum := sha256.Sum256([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// b64ints reads the jwk members names as base64url big-endian integers,
// in order: an EC key's x and y, an RSA key's n and e.
func b64ints(jwk map[string]any, names ...string) ([]*big.Int, error) {
	out := make([]*big.Int, len(names))
	for i, name := range names {
		s, _ := jwk[name].(string)
		data, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(data) == 0 {
			return nil, fmt.Errorf("jwk member %s is not base64url", name)
		}
		out[i] = new(big.Int).SetBytes(data)
	}
	return out, nil
}

func publicKey(jwk map[string]any) (crypto.PublicKey, error) {
	switch jwk["kty"] {
	case "EC":
		var curve elliptic.Curve
		switch jwk["crv"] {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, fmt.Errorf("curve %v", jwk["crv"])
		}
		// RFC 7518 §6.2.1: x and y are each the curve's full size; the
		// point must lie on the curve (ParseUncompressedPublicKey checks).
		size := (curve.Params().BitSize + 7) / 8
		point := []byte{4}
		for _, name := range []string{"x", "y"} {
			s, _ := jwk[name].(string)
			c, err := base64.RawURLEncoding.DecodeString(s)
			if err != nil || len(c) != size {
				return nil, fmt.Errorf("jwk member %s is not a %v coordinate", name, jwk["crv"])
			}
			point = append(point, c...)
		}
		k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil {
			return nil, fmt.Errorf("jwk: %w", err)
		}
		return k, nil
	case "RSA":
		ne, err := b64ints(jwk, "n", "e")
		if err != nil {
			return nil, err
		}
		return &rsa.PublicKey{N: ne[0], E: int(ne[1].Int64())}, nil
	case "OKP":
		s, _ := jwk["x"].(string)
		x, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("jwk member x is not an Ed25519 key")
		}
		return ed25519.PublicKey(x), nil
	}
	return nil, fmt.Errorf("kty %v", jwk["kty"])
}

func verifySignature(alg string, pub crypto.PublicKey, signed, sig []byte) error {
	bad := fmt.Errorf("the signature does not verify with the header's jwk (%s)", alg)
	switch alg {
	case "ES256", "ES384", "ES512":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("alg %s with a %T key", alg, pub)
		}
		var digest []byte
		switch alg {
		case "ES256":
			d := sha256.Sum256(signed)
			digest = d[:]
		case "ES384":
			d := sha512.Sum384(signed)
			digest = d[:]
		default:
			d := sha512.Sum512(signed)
			digest = d[:]
		}
		// JWS ECDSA signatures are R and S side by side (RFC 7518 §3.4).
		if len(sig)%2 != 0 {
			return bad
		}
		r := new(big.Int).SetBytes(sig[:len(sig)/2])
		s := new(big.Int).SetBytes(sig[len(sig)/2:])
		if !ecdsa.Verify(k, digest, r, s) {
			return bad
		}
	case "RS256", "PS256":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("alg %s with a %T key", alg, pub)
		}
		d := sha256.Sum256(signed)
		var err error
		if alg == "RS256" {
			err = rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig)
		} else {
			err = rsa.VerifyPSS(k, crypto.SHA256, d[:], sig, nil)
		}
		if err != nil {
			return bad
		}
	case "EdDSA":
		k, ok := pub.(ed25519.PublicKey)
		if !ok || !ed25519.Verify(k, signed, sig) {
			return bad
		}
	case "", "none":
		return errors.New("alg none")
	default:
		return fmt.Errorf("alg %s is not an asymmetric signature algorithm this verifier accepts", alg)
	}
	return nil
}
