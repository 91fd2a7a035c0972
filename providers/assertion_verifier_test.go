package providers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// No Go server library serves client_secret_jwt (fosite refuses it) or
// RFC 8705's certificate-bound client authentication, so these tests run
// against a token endpoint of their own, written from RFC 7515 §5.2 and
// RFC 7523 §3 and checked first against RFC 7515's own HS256 example: it
// can fail whatever keyhole's signer does.

// rfc7515A1 is RFC 7515 Appendix A.1: a JWS signed HS256 with the key
// below, whose payload is {"iss":"joe","exp":1300819380,...}.
const (
	rfc7515A1JWS = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
		".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
		".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfc7515A1Key = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
)

// verifyHS256 validates a compact JWS signed HS256 with key (RFC 7515
// §5.2: the header says HS256; the MAC over the signing input matches)
// and returns its claims.
func verifyHS256(jws string, key []byte) (map[string]any, error) {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(hb, &header); err != nil || header.Alg != "HS256" {
		return nil, fmt.Errorf("alg %q, want HS256", header.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil, errors.New("signature mismatch")
	}
	pb, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(pb, &claims); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return claims, nil
}

func TestHS256VerifierAcceptsRFC7515Example(t *testing.T) {
	key, err := base64.RawURLEncoding.DecodeString(rfc7515A1Key)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := verifyHS256(rfc7515A1JWS, key)
	if err != nil {
		t.Fatalf("RFC 7515 A.1 refused: %v", err)
	}
	if claims["iss"] != "joe" || claims["exp"] != float64(1300819380) {
		t.Errorf("claims %v", claims)
	}
	tampered := rfc7515A1JWS[:len(rfc7515A1JWS)-2] + "Xk"
	if tampered == rfc7515A1JWS {
		tampered = rfc7515A1JWS[:len(rfc7515A1JWS)-2] + "Yk"
	}
	if _, err := verifyHS256(tampered, key); err == nil {
		t.Error("a tampered signature passed")
	}
	if _, err := verifyHS256(rfc7515A1JWS, key[1:]); err == nil {
		t.Error("another key passed")
	}
}

// assertionServer is a token endpoint that authenticates its client with
// client_secret_jwt (RFC 7523 §3: iss = sub = client_id, aud this
// endpoint, exp in the future and soon, a jti never seen before) or, on
// TLS, with its certificate (RFC 8705 §2.1.2 and 2.2.2: the certificate
// registered for client_id).
type assertionServer struct {
	clientID string
	secret   []byte            // client_secret_jwt's key
	aud      string            // the aud wanted; the endpoint's URL when ""
	cert     *x509.Certificate // the registered client certificate

	mu    sync.Mutex
	seen  map[string]bool
	forms formCapture
}

func (a *assertionServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	refuse := func(why string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": why})
	}
	if err := r.ParseForm(); err != nil {
		refuse("unreadable form")
		return
	}
	a.forms.add(r.PostForm)
	if err := a.authenticate(r); err != nil {
		refuse(err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprint(w, `{"access_token":"verified-token","token_type":"Bearer","expires_in":3600}`)
}

func (a *assertionServer) authenticate(r *http.Request) error {
	f := r.PostForm
	if f.Get("client_secret") != "" {
		return errors.New("a client_secret travelled")
	}
	if a.cert != nil {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			return errors.New("no client certificate")
		}
		if !r.TLS.PeerCertificates[0].Equal(a.cert) {
			return errors.New("the certificate is not the one registered for the client")
		}
		if f.Get("client_id") != a.clientID || f.Has("client_assertion") {
			return fmt.Errorf("client_id %q", f.Get("client_id"))
		}
		return nil
	}
	if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return errors.New("client_assertion_type missing or wrong")
	}
	claims, err := verifyHS256(f.Get("client_assertion"), a.secret)
	if err != nil {
		return fmt.Errorf("assertion refused: %w", err)
	}
	aud := a.aud
	if aud == "" {
		aud = "http://" + r.Host + r.URL.Path
	}
	exp, _ := claims["exp"].(float64)
	iat, _ := claims["iat"].(float64)
	jti, _ := claims["jti"].(string)
	now := float64(time.Now().Unix())
	switch {
	case claims["iss"] != a.clientID || claims["sub"] != a.clientID:
		return errors.New("iss and sub must be the client_id")
	case claims["aud"] != aud:
		return fmt.Errorf("aud %v is not %s", claims["aud"], aud)
	case exp <= now || exp-iat > 300 || iat > now+5:
		return errors.New("exp or iat out of range")
	case jti == "":
		return errors.New("no jti")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen[jti] {
		return errors.New("jti replayed")
	}
	a.seen[jti] = true
	return nil
}

func writeConfig(t *testing.T, text string) *config.Provider {
	t.Helper()
	return loadConfigIn(t, t.TempDir(), text, "p")
}

func TestClientSecretJWT(t *testing.T) {
	const sec = "a-client-secret-of-more-than-32-bytes"
	as := &assertionServer{clientID: "app", secret: []byte(sec), seen: map[string]bool{}}
	srv := httptest.NewServer(as)
	t.Cleanup(srv.Close)
	cfg := func(extra string) string {
		return fmt.Sprintf("[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"app\"\nclient_auth = \"client_secret_jwt\"\n%s", srv.URL, srv.URL+"/token", extra)
	}

	p := writeConfig(t, cfg(fmt.Sprintf("client_secret = %q\n", sec)))
	s := newSession(t, p, nil, 0)
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access.Reveal() != "verified-token" {
		t.Fatalf("token %q", tok.Access.Reveal())
	}
	// A second token request signs a new assertion (a new jti): the
	// server refuses a replay.
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("second request: %v", err)
	}
	h, c := decodeJWT(t, as.forms.last(t)["client_assertion"][0])
	if h["alg"] != "HS256" || c["aud"] != srv.URL+"/token" {
		t.Errorf("header %v claims %v", h, c)
	}

	// assertion_audience as a URL.
	as.aud = "https://as.example/"
	p = writeConfig(t, cfg(fmt.Sprintf("client_secret = %q\nassertion_audience = \"https://as.example/\"\n", sec)))
	if _, err := newSession(t, p, nil, 0).Token(context.Background()); err != nil {
		t.Fatalf("assertion_audience URL: %v", err)
	}
	as.aud = ""

	// A wrong secret: the server's refusal, with its message; neither
	// the secret nor the assertion in the error.
	wrong := strings.Repeat("w", 40)
	p = writeConfig(t, cfg(fmt.Sprintf("client_secret = %q\n", wrong)))
	_, err = newSession(t, p, nil, 0).Token(context.Background())
	var te *providers.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_client" || !strings.Contains(te.Description, "signature mismatch") || te.Provider != "p" {
		t.Fatalf("err = %v, want the server's invalid_client", err)
	}
	if sent := as.forms.last(t)["client_assertion"][0]; strings.Contains(err.Error(), sent) || strings.Contains(err.Error(), wrong) {
		t.Errorf("the assertion or the secret is in %q", err)
	}

	// A secret from client_secret_cmd that is too short: an error naming
	// the provider and the key, not a weak assertion.
	p = writeConfig(t, cfg("client_secret_cmd = \"echo short\"\n"))
	_, err = newSession(t, p, nil, 0).Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "client_secret") || !strings.Contains(err.Error(), "5 bytes") || !strings.Contains(err.Error(), "p") {
		t.Fatalf("short secret from a command: err = %v", err)
	}
}

// clientCertFiles makes a self-signed client certificate and writes it
// and its key into dir as client.crt and client.key.
func clientCertFiles(t *testing.T, dir string) *x509.Certificate {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "app"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kd, _ := x509.MarshalPKCS8PrivateKey(k)
	certPath, keyPath := filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
	_ = os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), 0o600)
	return cert
}

// TestTLSClientAuth: the client authenticates with its certificate and
// names itself in client_id; the token endpoint is discovery's mTLS
// alias (RFC 8705 §5), not the plain token_endpoint.
func TestTLSClientAuth(t *testing.T) {
	for _, method := range []string{"tls_client_auth", "self_signed_tls_client_auth"} {
		t.Run(method, func(t *testing.T) {
			dir := t.TempDir()
			cert := clientCertFiles(t, dir)
			as := &assertionServer{clientID: "app", cert: cert}
			mtls := httptest.NewUnstartedServer(as)
			mtls.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
			mtls.StartTLS()
			t.Cleanup(mtls.Close)
			caPath := filepath.Join(dir, "ca.pem")
			_ = os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: mtls.Certificate().Raw}), 0o600)

			var issuer *httptest.Server
			issuer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/.well-known/openid-configuration" {
					t.Errorf("%s %s: the plain endpoint was used", r.Method, r.URL.Path)
					http.Error(w, "wrong endpoint", http.StatusBadRequest)
					return
				}
				_ = json.NewEncoder(w).Encode(map[string]any{
					"issuer": issuer.URL, "token_endpoint": issuer.URL + "/token",
					"mtls_endpoint_aliases": map[string]string{"token_endpoint": mtls.URL + "/token"},
				})
			}))
			t.Cleanup(issuer.Close)

			text := fmt.Sprintf("[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nissuer = %q\nclient_id = \"app\"\nclient_auth = %q\ncert_file = \"client.crt\"\nkey_file = \"client.key\"\nca_file = \"ca.pem\"\n", issuer.URL, issuer.URL, method)
			p := loadConfigIn(t, dir, text, "p")
			client, err := providers.HTTPClient(p, newClient(t))
			if err != nil {
				t.Fatal(err)
			}
			s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := s.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tok.Access.Reveal() != "verified-token" {
				t.Errorf("token %q", tok.Access.Reveal())
			}

			// A certificate the server does not know for the client: its
			// refusal, as it said it.
			other := clientCertFiles(t, t.TempDir())
			as.cert = other
			_, err = s.Refresh(context.Background())
			var te *providers.TokenError
			if !errors.As(err, &te) || te.Code != "invalid_client" || !strings.Contains(te.Description, "not the one registered") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// TestAuthorizationCodeWithSignedClient: the code is exchanged with a
// client assertion (x/oauth2 cannot send one), PKCE verifier and redirect
// included.
func TestAuthorizationCodeWithSignedClient(t *testing.T) {
	const sec = "a-client-secret-of-more-than-32-bytes"
	as := &assertionServer{clientID: "app", secret: []byte(sec), seen: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("/token", as)
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code=the-code&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := writeConfig(t, fmt.Sprintf("[providers.p]\nbase_url = %q\ngrant = \"authorization_code\"\nauth_url = %q\ntoken_url = %q\nclient_id = \"app\"\nclient_auth = \"client_secret_jwt\"\nclient_secret = %q\n", srv.URL, srv.URL+"/authorize", srv.URL+"/token", sec))
	s := newSession(t, p, nil, 0)
	pending, back := openSignIn(t, s)
	deliver(t, back)
	tok, err := pending.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access.Reveal() != "verified-token" {
		t.Errorf("token %q", tok.Access.Reveal())
	}
	f := as.forms.last(t)
	for k, want := range map[string]string{"grant_type": "authorization_code", "code": "the-code", "client_id": "app"} {
		if got := f[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want %s", k, got, want)
		}
	}
	if len(f["code_verifier"]) != 1 || len(f["code_verifier"][0]) < 43 || !strings.HasPrefix(f["redirect_uri"][0], "http://127.0.0.1:") {
		t.Errorf("code_verifier %v redirect_uri %v", f["code_verifier"], f["redirect_uri"])
	}
}

// TestEchoedAssertionIsRedacted: a server that quotes the assertion back
// in its refusal does not get it onto the screen.
func TestEchoedAssertionIsRedacted(t *testing.T) {
	var sent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sent = r.PostForm.Get("client_assertion")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "cannot use " + sent, "assertion": sent})
	}))
	t.Cleanup(srv.Close)
	const sec = "a-client-secret-of-more-than-32-bytes"
	p := writeConfig(t, fmt.Sprintf("[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"app\"\nclient_auth = \"client_secret_jwt\"\nclient_secret = %q\n", srv.URL, srv.URL+"/token", sec))
	s := newSession(t, p, nil, 0)
	_, err := s.Token(context.Background())
	var te *providers.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_client" {
		t.Fatalf("err = %v", err)
	}
	if sent == "" {
		t.Fatal("no assertion was sent")
	}
	for _, shown := range []string{err.Error(), te.Description, te.Body, s.Redact("log line: " + sent)} {
		if strings.Contains(shown, sent) || strings.Contains(shown, sent[len(sent)-20:]) {
			t.Errorf("the assertion shows in %q", shown)
		}
	}
}
