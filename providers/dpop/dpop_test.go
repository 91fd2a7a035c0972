package dpop_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestLoadMakesAPrivateKeyOnceAndKeepsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "dpop", "api.jwk")
	k1, made, err := dpop.Load(path)
	if err != nil || !made {
		t.Fatalf("Load = %v, made %v", err, made)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("key folder mode %v, want 0700", di.Mode().Perm())
	}
	k2, made, err := dpop.Load(path)
	if err != nil || made {
		t.Fatalf("second Load = %v, made %v", err, made)
	}
	if k1.Thumbprint() != k2.Thumbprint() || k1.Algorithm() != "ES256" {
		t.Errorf("keys %s %s (%s), want the same ES256 key", k1.Thumbprint(), k2.Thumbprint(), k1.Algorithm())
	}
	// The key prints as its thumbprint, whatever the verb.
	data, _ := os.ReadFile(path)
	for _, s := range []string{fmt.Sprintf("%v", k1), fmt.Sprintf("%+v", k1), fmt.Sprintf("%#v", k1), fmt.Sprintf("%s", k1)} {
		if strings.Contains(s, `"d"`) || !strings.Contains(s, k1.Thumbprint()) {
			t.Errorf("key printed as %q", s)
		}
	}
	if !strings.Contains(string(data), `"d"`) {
		t.Errorf("the key file holds no private key")
	}
}

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParseKeys(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pk8, _ := x509.MarshalPKCS8PrivateKey(ec)
	sec1, _ := x509.MarshalECPrivateKey(ec)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	pub, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	good := map[string][]byte{
		"pkcs8": pemOf(t, "PRIVATE KEY", pk8),
		"sec1":  pemOf(t, "EC PRIVATE KEY", sec1),
	}
	for name, data := range good {
		k, err := dpop.Parse(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if k.Algorithm() != "ES256" {
			t.Errorf("%s: alg %s", name, k.Algorithm())
		}
	}
	jwk := privateJWK(t)
	if _, err := dpop.Parse(jwk); err != nil {
		t.Errorf("jwk: %v", err)
	}
	if _, err := dpop.Parse([]byte(`{"keys":[` + string(jwk) + `]}`)); err != nil {
		t.Errorf("jwks: %v", err)
	}
	bad := map[string][]byte{
		"garbage":   []byte("not a key at all"),
		"public":    pemOf(t, "PUBLIC KEY", pub),
		"encrypted": pemOf(t, "ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}),
		"rsa 1024":  pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)),
		"pkcs8 bad": pemOf(t, "PRIVATE KEY", []byte("secret-bytes-here")),
		"empty set": []byte(`{"keys":[]}`),
	}
	for name, data := range bad {
		_, err := dpop.Parse(data)
		if err == nil {
			t.Errorf("%s: parsed", name)
			continue
		}
		if strings.Contains(err.Error(), "secret-bytes-here") {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
}

// privateJWK is a key in the form keyhole writes, a private JWK.
func privateJWK(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "k.jwk")
	if _, _, err := dpop.Load(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestProofPassesTheRFCVerifier(t *testing.T) {
	k, err := dpop.Generate()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	u, _ := url.Parse("https://API.example.com:443/v1/things?page=2#frag")
	access := secret.New("the-access-token")
	proof, err := k.Proof(dpop.Request{Method: "get", URL: u, Access: access, Nonce: "n-7"}, now)
	if err != nil {
		t.Fatal(err)
	}
	p, err := dpoptest.Verify([]string{proof.Reveal()}, dpoptest.Expect{Method: "GET", URL: "https://api.example.com/v1/things", Now: now, Access: "the-access-token", Nonce: "n-7", JKT: k.Thumbprint()})
	if err != nil {
		t.Fatalf("our proof is refused: %v", err)
	}
	if got := p.Claims["htu"]; got != "https://api.example.com/v1/things" {
		t.Errorf("htu %v: want no query, fragment or default port", got)
	}
	if _, ok := p.Header["jwk"].(map[string]any)["d"]; ok {
		t.Error("the proof's jwk holds the private key")
	}
	if fmt.Sprint(proof) == proof.Reveal() {
		t.Error("a proof prints in the clear")
	}
	again, _ := k.Proof(dpop.Request{Method: "GET", URL: u, Access: access}, now)
	q, _ := dpoptest.Verify([]string{again.Reveal()}, dpoptest.Expect{Method: "GET", URL: u.String(), Now: now, Access: "the-access-token"})
	if q.JTI() == p.JTI() || len(q.JTI()) < 16 {
		t.Errorf("jti %q then %q: want unique, 96 bits or more", p.JTI(), q.JTI())
	}
}

func TestTransportRetriesOnceWithTheNonce(t *testing.T) {
	srv := dpoptest.NewServer()
	defer srv.Close()
	srv.RequireNonce = true
	k, _ := dpop.Generate()
	nonces := dpop.NewNonces(filepath.Join(t.TempDir(), "nonces.json"))
	client := &http.Client{Transport: (&dpop.Binding{Key: k, Nonces: nonces}).Wrap(nil)}

	req, _ := http.NewRequestWithContext(dpop.TokenRequest(context.Background()), http.MethodPost, srv.URL+"/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	recs := srv.Records()
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err != nil || recs[1].Proof.Claims["nonce"] != dpoptest.TokenNonce {
		t.Fatalf("want a refused proof then one with the nonce, got %+v", recs)
	}
	if _, ok := recs[1].Proof.Claims["ath"]; ok {
		t.Error("a token request's proof carries ath")
	}
	u, _ := url.Parse(srv.URL)
	if nonces.Get(u) != dpoptest.TokenNonce {
		t.Errorf("nonce kept %q", nonces.Get(u))
	}
}

func TestChallengeError(t *testing.T) {
	cases := map[string]string{
		`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`: "use_dpop_nonce",
		`Bearer error="invalid_token", DPoP error=invalid_dpop_proof`:                                   "invalid_dpop_proof",
		`DPoP error_description="no error=here", algs="ES256"`:                                          "",
		`Bearer error="use_dpop_nonce"`:                                                                 "",
		`DPoP algs="ES256 PS256"`:                                                                       "",
	}
	for in, want := range cases {
		if got := dpop.ChallengeError(in); got != want {
			t.Errorf("ChallengeError(%q) = %q, want %q", in, got, want)
		}
	}
}

// A 400 with a nonce is read to look for use_dpop_nonce, and handed on
// whole: an API's long 400 is not cut at what was looked at.
func TestTransportHandsOnALong400Whole(t *testing.T) {
	long := strings.Repeat("x", 200<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("DPoP-Nonce", "n-1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, long)
	}))
	defer srv.Close()
	k, _ := dpop.Generate()
	client := &http.Client{Transport: (&dpop.Binding{Key: k, Nonces: dpop.NewNonces("")}).Wrap(nil)}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Authorization", "DPoP tok")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != long {
		t.Fatalf("read %d bytes (%v), want %d", len(body), err, len(long))
	}
}
