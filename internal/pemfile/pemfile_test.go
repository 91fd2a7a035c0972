package pemfile_test

import (
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/pemfile"
)

// pair reads a test certificate and its key from testdata: self-signed,
// P-256, made for these tests only (openssl req -x509 -nodes, 100 years).
func pair(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	certPEM, err := os.ReadFile(filepath.Join("testdata", name+".crt"))
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err = os.ReadFile(filepath.Join("testdata", name+".key"))
	if err != nil {
		t.Fatal(err)
	}
	return certPEM, keyPEM
}

func TestCertificates(t *testing.T) {
	cert, key := pair(t, "client")
	certs, err := pemfile.Certificates(append(append([]byte{}, key...), cert...))
	if err != nil || len(certs) != 1 {
		t.Fatalf("a bundle with a key and a certificate: %d certificates, %v", len(certs), err)
	}
	for _, tc := range []struct {
		name, data, msg string
	}{
		{"empty", "", "holds no PEM certificate"},
		{"only a key", string(key), "holds no PEM certificate"},
		{"a broken second block", string(cert) + string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("junk")})), "PEM block 2 is not a valid certificate"},
	} {
		_, err := pemfile.Certificates([]byte(tc.data))
		var pr *pemfile.Problem
		if !errors.As(err, &pr) || pr.Which != pemfile.Cert || !strings.Contains(pr.Msg, tc.msg) {
			t.Errorf("%s: %v, want a certificate problem %q", tc.name, err, tc.msg)
		}
	}
}

func TestKeyPair(t *testing.T) {
	cert, key := pair(t, "client")
	if _, err := pemfile.KeyPair(cert, key); err != nil {
		t.Fatalf("a matching pair: %v", err)
	}
	otherCert, _ := pair(t, "other")
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: []byte("x")})
	for _, tc := range []struct {
		name       string
		cert, key  []byte
		which, msg string
	}{
		{"no certificate", key, key, pemfile.Cert, "holds no PEM certificate"},
		{"a broken certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("junk")}), key, pemfile.Cert, "not a valid certificate"},
		{"an encrypted key", cert, encrypted, pemfile.Key, "encrypted"},
		{"PKCS #8 encrypted", cert, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("x")}), pemfile.Key, "encrypted"},
		{"no key", cert, cert, pemfile.Key, "holds no PEM private key"},
		{"another certificate's key", otherCert, key, pemfile.Pair, "private key does not match"},
	} {
		_, err := pemfile.KeyPair(tc.cert, tc.key)
		var pr *pemfile.Problem
		if !errors.As(err, &pr) || pr.Which != tc.which || !strings.Contains(pr.Msg, tc.msg) {
			t.Errorf("%s: %v, want a %s problem %q", tc.name, err, tc.which, tc.msg)
		}
		if pr != nil && strings.Contains(pr.Msg, "PRIVATE KEY-----") {
			t.Errorf("%s: the message quotes the key: %s", tc.name, pr.Msg)
		}
	}
}
