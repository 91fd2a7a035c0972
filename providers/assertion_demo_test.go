package providers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1" // x5t is SHA-1 by definition
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// formCapture keeps the token requests a server received, so a test can
// decode the assertions keyhole sent.
type formCapture struct {
	mu    sync.Mutex
	forms []map[string][]string
}

func (c *formCapture) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" && r.ParseForm() == nil {
			c.add(r.PostForm)
		}
		next.ServeHTTP(w, r)
	})
}

func (c *formCapture) add(form map[string][]string) {
	c.mu.Lock()
	c.forms = append(c.forms, form)
	c.mu.Unlock()
}

func (c *formCapture) last(t *testing.T) map[string][]string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.forms) == 0 {
		t.Fatal("no token request arrived")
	}
	return c.forms[len(c.forms)-1]
}

// decodeJWT splits a compact JWS into its header and claims, unverified:
// the server has verified it; the test checks what it says.
func decodeJWT(t *testing.T, jws string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %d parts", len(parts))
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

// assertionConfig writes a config for the demo's JWT client with its key
// beside it (client_key_file is relative), and returns the resolved
// provider.
func assertionConfig(t *testing.T, srvURL, keyPEM, body string) *config.Provider {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "client-key.pem"), []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf("[providers.jwt]\nbase_url = %q\nissuer = %q\nclient_id = %q\nclient_key_file = \"client-key.pem\"\nscopes = [\"api:read\"]\n%s", srvURL, srvURL, demo.JWTClientID, body)
	return loadConfigIn(t, dir, text, "jwt")
}

// tokenAsJWTClient gets p's token from the demo and checks that the
// demo's API takes it as its JWT client's.
func tokenAsJWTClient(t *testing.T, env *demoEnv, p *config.Provider) {
	t.Helper()
	tok, err := newSession(t, p, nil, 0).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Access.Reveal())
	resp, err := newClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&me)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/me: %d %v", resp.StatusCode, me)
	}
	if me["sub"] != demo.JWTClientID {
		t.Errorf("/api/me = %v", me)
	}
}

// TestPrivateKeyJWTAgainstDemo gets a client_credentials token with a
// client assertion that zitadel's op verifies (signature by kid, aud, exp,
// iat, iss = sub), with each algorithm, and checks what the assertion
// said.
func TestPrivateKeyJWTAgainstDemo(t *testing.T) {
	var capture formCapture
	env := startDemo(t, time.Minute, capture.wrap)
	for _, tc := range []struct{ name, key, kid, alg string }{
		{"ES256", string(demo.JWTClientKey()), demo.JWTClientKeyID, ""},
		{"RS256", string(demo.JWTClientRSAKey()), demo.JWTClientRSAKeyID, ""},
		{"PS256", string(demo.JWTClientRSAKey()), demo.JWTClientRSAKeyID, "PS256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := fmt.Sprintf("grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_id = %q\nassertion_audience = \"issuer\"\n", tc.kid)
			if tc.alg != "" {
				body += fmt.Sprintf("client_key_alg = %q\n", tc.alg)
			}
			p := assertionConfig(t, env.srv.URL, tc.key, body)
			tokenAsJWTClient(t, env, p)
			form := capture.last(t)
			if got := form["client_assertion_type"]; len(got) != 1 || got[0] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
				t.Errorf("client_assertion_type = %v", got)
			}
			if _, ok := form["client_secret"]; ok {
				t.Error("a client_secret was sent")
			}
			h, c := decodeJWT(t, form["client_assertion"][0])
			if h["alg"] != tc.name || h["kid"] != tc.kid || h["typ"] != "JWT" {
				t.Errorf("header %v", h)
			}
			if c["iss"] != demo.JWTClientID || c["sub"] != demo.JWTClientID || c["aud"] != env.srv.URL {
				t.Errorf("claims %v", c)
			}
			iat, exp := c["iat"].(float64), c["exp"].(float64)
			if exp <= iat || exp-iat > 300 || c["jti"] == "" {
				t.Errorf("iat %v exp %v jti %v: want a short-lived assertion with a jti", iat, exp, c["jti"])
			}
		})
	}
}

// TestPrivateKeyJWTCertificateThumbprints: with cert_file beside
// private_key_jwt (and no key_file: it is no TLS certificate), the
// assertion's header carries the certificate's x5t#S256 and x5t, as Entra
// ID's certificate credentials want; op still verifies it.
func TestPrivateKeyJWTCertificateThumbprints(t *testing.T) {
	var capture formCapture
	env := startDemo(t, time.Minute, capture.wrap)
	b, _ := pem.Decode(demo.JWTClientKey())
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ek := k.(*ecdsa.PrivateKey)
	der := selfSignedDER(t, ek)
	p := assertionConfig(t, env.srv.URL, string(demo.JWTClientKey()), "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nassertion_audience = \"issuer\"\ncert_file = \"client-cert.pem\"\n")
	if err := os.WriteFile(filepath.Join(filepath.Dir(mustFilePath(t, p, "client-key.pem")), "client-cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	client, err := providers.HTTPClient(p, newClient(t))
	if err != nil {
		t.Fatalf("cert_file alone is no TLS certificate: %v", err)
	}
	s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	h, _ := decodeJWT(t, capture.last(t)["client_assertion"][0])
	s256, s1 := sha256.Sum256(der), sha1.Sum(der)
	if h["x5t#S256"] != base64.RawURLEncoding.EncodeToString(s256[:]) || h["x5t"] != base64.RawURLEncoding.EncodeToString(s1[:]) {
		t.Errorf("header %v", h)
	}
}

func mustFilePath(t *testing.T, p *config.Provider, name string) string {
	t.Helper()
	path, err := p.FilePath(name)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPrivateKeyJWTRefused: an assertion the server refuses is a
// TokenError with invalid_client and the server's message, naming the
// provider; the assertion shows nowhere in it.
func TestPrivateKeyJWTRefused(t *testing.T) {
	var capture formCapture
	env := startDemo(t, time.Minute, capture.wrap)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(other)
	otherPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	for _, tc := range []struct{ name, key, body string }{
		{"another key", otherPEM, "assertion_audience = \"issuer\"\n"},
		{"aud the token endpoint, which op refuses", string(demo.JWTClientKey()), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := assertionConfig(t, env.srv.URL, tc.key, "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\n"+tc.body)
			s := newSession(t, p, nil, 0)
			_, err := s.Token(context.Background())
			var te *providers.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a TokenError", err)
			}
			if te.Code != "invalid_client" || te.Provider != "jwt" || !strings.Contains(te.Description, "assertion was refused") || !strings.Contains(te.Hint, "client_key_file") {
				t.Errorf("err = %+v", te)
			}
			sent := capture.last(t)["client_assertion"][0]
			if strings.Contains(err.Error(), sent) || strings.Contains(te.Body, sent) {
				t.Error("the assertion is in the error")
			}
		})
	}
}

// TestJWTBearerAgainstDemo runs the JWT-bearer grant against op, which
// verifies the assertion and issues a token the API accepts.
func TestJWTBearerAgainstDemo(t *testing.T) {
	var capture formCapture
	env := startDemo(t, time.Minute, capture.wrap)
	p := assertionConfig(t, env.srv.URL, string(demo.JWTClientKey()), "grant = \"jwt_bearer\"\nassertion_audience = \"issuer\"\n[providers.jwt.assertion_claims]\ntenant = \"acme\"\nroles = [\"reader\"]\n")
	tokenAsJWTClient(t, env, p)
	form := capture.last(t)
	if form["grant_type"][0] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || form["scope"][0] != "api:read" {
		t.Errorf("form %v", form)
	}
	_, c := decodeJWT(t, form["assertion"][0])
	if c["iss"] != demo.JWTClientID || c["sub"] != demo.JWTClientID || c["aud"] != env.srv.URL || c["tenant"] != "acme" {
		t.Errorf("claims %v", c)
	}
	if roles, _ := c["roles"].([]any); len(roles) != 1 || roles[0] != "reader" {
		t.Errorf("roles %v", c["roles"])
	}

	// A sub the server does not know: op refuses the grant, and says so.
	p = assertionConfig(t, env.srv.URL, string(demo.JWTClientKey()), "grant = \"jwt_bearer\"\nassertion_audience = \"issuer\"\nassertion_claims = { sub = \"someone-else\" }\n")
	_, err := newSession(t, p, nil, 0).Token(context.Background())
	var te *providers.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" || !strings.Contains(te.Description, "assertion was refused") {
		t.Fatalf("err = %v, want invalid_grant from the server", err)
	}
	if sent := capture.last(t)["assertion"][0]; strings.Contains(err.Error(), sent) {
		t.Error("the assertion is in the error")
	}
}
