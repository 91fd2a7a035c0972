package providers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

func TestAssertionConfigErrors(t *testing.T) {
	const head = "[providers.p]\nbase_url = \"https://api.example\"\ntoken_url = \"https://login.example/token\"\nclient_id = \"app\"\n"
	for _, tc := range []struct {
		name, body string
		line       int
		key, want  string
	}{
		{"private_key_jwt without a key", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\n", 6, "providers.p.client_auth", "needs client_key_file"},
		{"short client_secret_jwt secret", "grant = \"client_credentials\"\nclient_auth = \"client_secret_jwt\"\nclient_secret = \"only-31-bytes-long-not-enough!!\"\n", 7, "providers.p.client_secret", "at least 32 bytes, this one has 31"},
		{"client_secret_jwt without a secret", "grant = \"client_credentials\"\nclient_auth = \"client_secret_jwt\"\n", 6, "providers.p.client_auth", "needs client_secret"},
		{"tls_client_auth without a certificate", "grant = \"client_credentials\"\nclient_auth = \"tls_client_auth\"\n", 6, "providers.p.client_auth", "needs cert_file and key_file"},
		{"unknown algorithm", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"k.pem\"\nclient_key_alg = \"HS256\"\n", 8, "providers.p.client_key_alg", `unknown algorithm "HS256"`},
		{"audience issuer without an issuer", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"k.pem\"\nassertion_audience = \"issuer\"\n", 8, "providers.p.assertion_audience", "needs issuer"},
		{"audience neither", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"k.pem\"\nassertion_audience = \"token-endpoint\"\n", 8, "providers.p.assertion_audience", "is not token_url, issuer or an http(s) URL"},
		{"audience without an assertion", "grant = \"client_credentials\"\nclient_secret = \"s\"\nassertion_audience = \"issuer\"\n", 7, "providers.p.assertion_audience", "no assertion is signed"},
		{"jwt_bearer without a key", "grant = \"jwt_bearer\"\n", 5, "providers.p.grant", "jwt_bearer needs client_key_file"},
		{"a reserved claim", "grant = \"jwt_bearer\"\nclient_key_file = \"k.pem\"\n[providers.p.assertion_claims]\naud = \"x\"\n", 8, "providers.p.assertion_claims.aud", "keyhole sets aud itself"},
		{"claims without jwt_bearer", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"k.pem\"\nassertion_claims = { sub = \"x\" }\n", 8, "providers.p.assertion_claims", "grant is not jwt_bearer"},
		{"a key nothing uses", "grant = \"client_credentials\"\nclient_secret = \"s\"\nclient_key_file = \"k.pem\"\n", 7, "providers.p.client_key_file", "nothing signs with it"},
		{"cert_file alone without private_key_jwt", "grant = \"client_credentials\"\nclient_secret = \"s\"\ncert_file = \"c.pem\"\n", 7, "providers.p.cert_file", "cert_file is set without key_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse("k.toml", []byte(head+tc.body))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a Error", err)
			}
			if ce.Line != tc.line || ce.Key != tc.key || !strings.Contains(ce.Error(), tc.want) {
				t.Errorf("got %q (line %d, key %s), want line %d key %s with %q", ce.Error(), ce.Line, ce.Key, tc.line, tc.key, tc.want)
			}
		})
	}
}

func TestAssertionConfigAccepted(t *testing.T) {
	text := `[providers.p]
base_url = "https://api.example"
issuer = "https://login.example"
grant = "jwt_bearer"
client_id = "app"
client_key_file = "key.json"
client_key_id = "k1"
client_key_alg = "PS256"
assertion_audience = "issuer"
[providers.p.assertion_claims]
sub = "user@example.com"
ext = { tenant = "acme", roles = ["a", "b"] }

[providers.entra]
base_url = "https://graph.example"
grant = "client_credentials"
token_url = "https://login.example/tenant/oauth2/v2.0/token"
client_id = "app"
client_auth = "private_key_jwt"
client_key_file = "key.pem"
cert_file = "cert.pem"
`
	if _, err := config.Parse("ok.toml", []byte(text)); err != nil {
		t.Fatal(err)
	}
}

// TestClientKeyFileErrors: a key file that is missing, does not parse,
// does not fit the algorithm, or whose certificate is another key's is an
// error naming the provider, the key and the file, before any request;
// no key material is in it.
func TestClientKeyFileErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request went out: %s", r.URL)
	}))
	t.Cleanup(srv.Close)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(rk)
	rsaPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: selfSignedDER(t, ek)})
	for _, tc := range []struct {
		name, key, extra string
		files            map[string][]byte
		want             []string
	}{
		{"missing", "", "", nil, []string{"provider p: client_key_file", "client-key.pem: no such file"}},
		{"not a key", "hello", "", nil, []string{"provider p: client_key_file", "neither PEM nor a JWK"}},
		{"wrong algorithm", rsaPEM, "client_key_alg = \"ES256\"\n", nil, []string{"provider p: client_key_file", "an RSA key cannot sign ES256", "client_key_alg asks for ES256"}},
		{"another key's certificate", string(demo.JWTClientKey()), "cert_file = \"cert.pem\"\n", map[string][]byte{"cert.pem": otherCert}, []string{"provider p: cert_file", "does not match the private key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.key != "" {
				_ = os.WriteFile(filepath.Join(dir, "client-key.pem"), []byte(tc.key), 0o600)
			}
			for name, data := range tc.files {
				_ = os.WriteFile(filepath.Join(dir, name), data, 0o600)
			}
			text := "[providers.p]\nbase_url = \"" + srv.URL + "\"\ngrant = \"client_credentials\"\ntoken_url = \"" + srv.URL + "/token\"\nclient_id = \"app\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"client-key.pem\"\n" + tc.extra
			_, err := newSession(t, loadConfigIn(t, dir, text, "p"), nil, 0).Token(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error()+" ("+hintOf(err)+")", w) {
					t.Errorf("err = %q (hint %q), want %q", err, hintOf(err), w)
				}
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") || (tc.key != "" && len(tc.key) > 40 && strings.Contains(err.Error(), tc.key[30:60])) {
				t.Errorf("key material in %q", err)
			}
		})
	}
}

func hintOf(err error) string {
	var fe *providers.TLSFileError
	if errors.As(err, &fe) {
		return fe.Hint
	}
	return ""
}

// selfSignedDER is a self-signed certificate for k, DER-encoded.
func selfSignedDER(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "other"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestAssertionSettingsKeyTheCache: a token got with one key or one sub
// is not taken for another's.
func TestAssertionSettingsKeyTheCache(t *testing.T) {
	const base = "[providers.p]\nbase_url = \"https://api.example\"\ntoken_url = \"https://login.example/token\"\nclient_id = \"app\"\ngrant = \"jwt_bearer\"\nclient_key_file = \"k.pem\"\n"
	store := tokencache.NewMemory()
	key := func(extra string) string {
		return providers.CacheKey(resolvedProvider(t, base+extra, "p"), store)
	}
	plain := key("")
	for _, extra := range []string{"assertion_claims = { sub = \"alice\" }\n", "client_key_id = \"k2\"\n", "client_key_alg = \"PS256\"\n"} {
		if key(extra) == plain {
			t.Errorf("%q: same cache key", extra)
		}
	}
	if key("assertion_claims = { sub = \"alice\" }\n") == key("assertion_claims = { sub = \"bob\" }\n") {
		t.Error("alice's token would serve bob")
	}
}
