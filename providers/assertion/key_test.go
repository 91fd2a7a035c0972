package assertion_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // to check x5t
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/providers/assertion"
)

func rsaKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pkcs8(t testing.TB, k any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func jwkJSON(t testing.TB, k any, kid, alg string) []byte {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: alg})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func selfSigned(t testing.TB, k crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "keyhole test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestParseKeyForms(t *testing.T) {
	rk := rsaKey(t)
	ek := ecKey(t, elliptic.P256())
	other := ecKey(t, elliptic.P256())
	set := fmt.Sprintf(`{"keys":[%s,%s]}`, jwkJSON(t, ek, "one", ""), jwkJSON(t, other, "two", ""))
	for _, tc := range []struct {
		name, kid, alg string
		data           []byte
		wantAlg        string
		wantKid        string
		wantPub        crypto.PublicKey
	}{
		{name: "pkcs8 rsa", data: pkcs8(t, rk), wantAlg: "RS256", wantPub: rk.Public()},
		{name: "pkcs8 rsa ps256", data: pkcs8(t, rk), alg: "PS256", wantAlg: "PS256", wantPub: rk.Public()},
		{name: "pkcs1 rsa", data: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}), wantAlg: "RS256", wantPub: rk.Public()},
		{name: "sec1 ec", data: func() []byte {
			der, _ := x509.MarshalECPrivateKey(ek)
			return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
		}(), wantAlg: "ES256", wantPub: ek.Public()},
		{name: "pem after a certificate", data: append(selfSigned(t, ek), pkcs8(t, ek)...), wantAlg: "ES256", wantPub: ek.Public()},
		{name: "jwk with kid and alg", data: jwkJSON(t, rk, "k1", "PS256"), wantAlg: "PS256", wantKid: "k1", wantPub: rk.Public()},
		{name: "jwk kid overridden", data: jwkJSON(t, rk, "k1", ""), kid: "mine", wantAlg: "RS256", wantKid: "mine", wantPub: rk.Public()},
		{name: "jwks by kid", data: []byte(set), kid: "two", wantAlg: "ES256", wantKid: "two", wantPub: other.Public()},
		{name: "jwks with one private key", data: fmt.Appendf(nil, `{"keys":[%s]}`, jwkJSON(t, ek, "solo", "")), wantAlg: "ES256", wantKid: "solo", wantPub: ek.Public()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := assertion.ParseKey(tc.data, tc.kid, tc.alg)
			if err != nil {
				t.Fatal(err)
			}
			if k.Alg() != tc.wantAlg || k.KeyID() != tc.wantKid {
				t.Errorf("alg %q kid %q, want %q %q", k.Alg(), k.KeyID(), tc.wantAlg, tc.wantKid)
			}
			if !tc.wantPub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Public()) {
				t.Error("not the key in the file")
			}
		})
	}
}

func TestParseKeyProblems(t *testing.T) {
	rk := rsaKey(t)
	ek := ecKey(t, elliptic.P256())
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	two := fmt.Sprintf(`{"keys":[%s,%s]}`, jwkJSON(t, ek, "one", ""), jwkJSON(t, rk, "two", ""))
	for _, tc := range []struct {
		name, kid, alg string
		data           []byte
		want           string
	}{
		{name: "garbage", data: []byte("hello"), want: "neither PEM nor a JWK"},
		{name: "certificate only", data: selfSigned(t, ek), want: "holds no PEM private key"},
		{name: "encrypted", data: pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}}), want: "encrypted"},
		{name: "broken pkcs8", data: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), want: "does not parse"},
		{name: "rsa as ES256", data: pkcs8(t, rk), alg: "ES256", want: "an RSA key cannot sign ES256"},
		{name: "ec as RS256", data: pkcs8(t, ek), alg: "RS256", want: "cannot sign RS256"},
		{name: "P-384", data: pkcs8(t, ecKey(t, elliptic.P384())), want: "not P-256"},
		{name: "1024-bit rsa", data: pkcs8(t, small), want: "1024 bits"},
		{name: "public jwk", data: jwkJSON(t, rk.Public(), "p", ""), want: "public key"},
		{name: "bad json", data: []byte(`{"kty":`), want: "does not parse"},
		{name: "jwks without kid", data: []byte(two), want: "set client_key_id"},
		{name: "jwks unknown kid", data: []byte(two), kid: "three", want: `no private key with kid "three"`},
		{name: "jwk alg mismatch", data: jwkJSON(t, ek, "", "RS256"), want: "cannot sign RS256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := assertion.ParseKey(tc.data, tc.kid, tc.alg)
			var p *assertion.Problem
			if !errors.As(err, &p) {
				t.Fatalf("err = %v, want a Problem", err)
			}
			if got := p.Msg + " (" + p.Hint + ")"; !strings.Contains(got, tc.want) {
				t.Errorf("err = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWithCertificate(t *testing.T) {
	ek := ecKey(t, elliptic.P256())
	k, err := assertion.ParseKey(pkcs8(t, ek), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := k.WithCertificate(selfSigned(t, ecKey(t, elliptic.P256()))); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("another key's certificate: err = %v", err)
	}
	if err := k.WithCertificate(pkcs8(t, ek)); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("no certificate: err = %v", err)
	}
	certPEM := selfSigned(t, ek)
	if err := k.WithCertificate(certPEM); err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(certPEM)
	s1, s256 := sha1.Sum(b.Bytes), sha256.Sum256(b.Bytes)
	got256, got1 := k.Thumbprints()
	if got256 != base64.RawURLEncoding.EncodeToString(s256[:]) || got1 != base64.RawURLEncoding.EncodeToString(s1[:]) {
		t.Errorf("thumbprints %q %q", got256, got1)
	}
}

func TestKeyNeverPrints(t *testing.T) {
	rk := rsaKey(t)
	k, err := assertion.ParseKey(pkcs8(t, rk), "", "")
	if err != nil {
		t.Fatal(err)
	}
	d := rk.D.String()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		if out := fmt.Sprintf(verb, k); strings.Contains(out, d[:20]) || strings.Contains(out, "PRIVATE") {
			t.Errorf("%s printed the key: %.80s", verb, out)
		}
	}
}
