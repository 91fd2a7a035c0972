package providers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// testPKI is a test CA, a server certificate it signed for 127.0.0.1 and
// api.example.test, and a client certificate it signed, with their PEM
// files in a temporary folder.
type testPKI struct {
	pool       *x509.CertPool // the CA alone
	server     tls.Certificate
	caFile     string
	clientFile string // the client certificate
	keyFile    string // its private key (PKCS #8)
	otherKey   string // a private key that goes with neither
	dir        string
}

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "keyhole test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) ([]byte, *ecdsa.PrivateKey) {
		key := newKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: ips, DNSNames: dns,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	srvDER, srvKey := issue(2, "keyhole test server", x509.ExtKeyUsageServerAuth, []net.IP{net.IPv4(127, 0, 0, 1)}, []string{"api.example.test"})
	cliDER, cliKey := issue(3, "keyhole test client", x509.ExtKeyUsageClientAuth, nil, nil)
	pki := &testPKI{pool: x509.NewCertPool(), dir: dir}
	pki.pool.AddCert(ca)
	pki.server = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
	pki.caFile = writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER)
	pki.clientFile = writePEM(t, dir, "client.pem", "CERTIFICATE", cliDER)
	pki.keyFile = writePEM(t, dir, "client-key.pem", "PRIVATE KEY", pkcs8(t, cliKey))
	pki.otherKey = writePEM(t, dir, "other-key.pem", "PRIVATE KEY", pkcs8(t, newKey(t)))
	return pki
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pkcs8(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tlsAPI is a token endpoint and an API on one TLS server: POST /token
// hands out tok-1, GET /api/me wants it. clientAuth asks for a client
// certificate signed by the test CA.
func tlsAPI(t *testing.T, pki *testPKI, clientAuth tls.ClientAuthType) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`)
	})
	mux.HandleFunc("GET /api/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		cn := ""
		if len(r.TLS.PeerCertificates) > 0 {
			cn = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"client": cn})
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.server}, ClientAuth: clientAuth, ClientCAs: pki.pool}
	// A failed handshake is what some tests want: keep the server's log
	// out of the test output.
	srv.Config.ErrorLog = discardLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// tlsProvider parses a client_credentials provider for srv with extra
// TOML lines, and resolves it.
func tlsProvider(t *testing.T, srvURL, extra string) *config.Provider {
	t.Helper()
	text := fmt.Sprintf("[providers.corp]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"id\"\nclient_secret = \"s\"\n%s",
		srvURL, srvURL+"/token", extra)
	return resolvedProvider(t, text, "corp")
}

// tokenAndCall gets a token through a session on the provider's own
// client and calls GET /api/me with it through exchange.Send.
func tokenAndCall(t *testing.T, p *config.Provider) (*exchange.Exchange, error) {
	t.Helper()
	client, err := providers.HTTPClient(p, newClient(t))
	if err != nil {
		t.Fatalf("HTTPClient: %v", err)
	}
	t.Cleanup(client.CloseIdleConnections)
	s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token(context.Background())
	if err != nil {
		return nil, err
	}
	return exchange.Send(context.Background(), client, p, tok, exchange.Request{Method: "GET", Target: "/api/me"}, exchange.Options{}), nil
}

func quoted(path string) string { return fmt.Sprintf("%q", path) }

func TestTLSVerificationFailureHintsAtCAFile(t *testing.T) {
	pki := newPKI(t)
	self := httptest.NewUnstartedServer(http.NotFoundHandler())
	self.Config.ErrorLog = discardLog()
	self.StartTLS() // httptest's own self-signed certificate
	t.Cleanup(self.Close)
	for name, url := range map[string]string{"self-signed": self.URL, "private CA": tlsAPI(t, pki, tls.NoClientCert).URL} {
		t.Run(name, func(t *testing.T) {
			p := tlsProvider(t, url, "")
			_, err := tokenAndCall(t, p)
			var ne *providers.NetworkError
			if !errors.As(err, &ne) || !strings.Contains(providers.Hint(err), "ca_file") {
				t.Fatalf("token: %v (hint %q), want a network error hinting at ca_file", err, providers.Hint(err))
			}
			// The API call alone (no token) fails the same way.
			ex := exchange.Send(context.Background(), newClient(t), p, nil, exchange.Request{Method: "GET", Target: "/api/me"}, exchange.Options{})
			if !errors.As(ex.Err, &ne) || !strings.Contains(providers.Hint(ex.Err), "ca_file") {
				t.Fatalf("send: %v (hint %q), want a network error hinting at ca_file", ex.Err, providers.Hint(ex.Err))
			}
		})
	}
}

func TestCAFileTrustsThePrivateCA(t *testing.T) {
	pki := newPKI(t)
	srv := tlsAPI(t, pki, tls.NoClientCert)
	ex, err := tokenAndCall(t, tlsProvider(t, srv.URL, "ca_file = "+quoted(pki.caFile)))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if ex.Err != nil || ex.Response == nil || ex.Response.Status != http.StatusOK {
		t.Fatalf("call: %v %+v", ex.Err, ex.Response)
	}
	// ~/ is the home folder.
	t.Setenv("HOME", pki.dir)
	if _, err := tokenAndCall(t, tlsProvider(t, srv.URL, `ca_file = "~/ca.pem"`)); err != nil {
		t.Fatalf("ca_file under ~/: %v", err)
	}
}

func TestInsecureSkipsVerification(t *testing.T) {
	pki := newPKI(t)
	srv := tlsAPI(t, pki, tls.NoClientCert)
	ex, err := tokenAndCall(t, tlsProvider(t, srv.URL, "insecure = true"))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if ex.Err != nil || ex.Response.Status != http.StatusOK {
		t.Fatalf("call: %v %+v", ex.Err, ex.Response)
	}
}

func TestClientCertificate(t *testing.T) {
	pki := newPKI(t)
	srv := tlsAPI(t, pki, tls.RequireAndVerifyClientCert)
	ca := "ca_file = " + quoted(pki.caFile) + "\n"
	if _, err := tokenAndCall(t, tlsProvider(t, srv.URL, ca)); err == nil {
		t.Fatal("the server asks for a client certificate, and none was sent: want an error")
	} else if !strings.Contains(err.Error(), "certificate") || !strings.Contains(providers.Hint(err), "cert_file and key_file") {
		t.Errorf("without cert_file: %v (hint %q)", err, providers.Hint(err))
	}
	ex, err := tokenAndCall(t, tlsProvider(t, srv.URL, ca+"cert_file = "+quoted(pki.clientFile)+"\nkey_file = "+quoted(pki.keyFile)))
	if err != nil {
		t.Fatalf("token with a client certificate: %v", err)
	}
	if ex.Err != nil || ex.Response.Status != http.StatusOK || !strings.Contains(string(ex.Response.Body), "keyhole test client") {
		t.Fatalf("call with a client certificate: %v %+v", ex.Err, ex.Response)
	}
}

func TestNoTLSSettingsShareTheBaseTransport(t *testing.T) {
	base := newClient(t)
	p := tlsProvider(t, "https://api.example.test", "")
	c, err := providers.HTTPClient(p, base)
	if err != nil || c.Transport != base.Transport || c.CheckRedirect == nil {
		t.Fatalf("HTTPClient = %+v, %v; want the base transport %p, following no redirect", c, err, base.Transport)
	}
	// With TLS settings: a copy keeping the base's Timeout, and a
	// transport of its own that still takes the proxy from the
	// environment and is bounded by the provider's timeout.
	base = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 42 * time.Second}
	t.Cleanup(base.CloseIdleConnections)
	p = tlsProvider(t, "https://api.example.test", "insecure = true\ntimeout = \"3s\"")
	c, err = providers.HTTPClient(p, base)
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.Transport.(*http.Transport)
	if c == base || !ok || tr == base.Transport || c.Timeout != base.Timeout {
		t.Fatalf("client %+v", c)
	}
	if !tr.TLSClientConfig.InsecureSkipVerify || tr.Proxy == nil || tr.TLSHandshakeTimeout != 3*time.Second || tr.ResponseHeaderTimeout != 3*time.Second {
		t.Errorf("transport: insecure %v proxy %v handshake %s headers %s", tr.TLSClientConfig.InsecureSkipVerify, tr.Proxy != nil, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout)
	}
	if bc := base.Transport.(*http.Transport).TLSClientConfig; bc != nil && bc.InsecureSkipVerify {
		t.Error("the base transport was changed")
	}
	// No base: http.DefaultTransport's settings.
	c, err = providers.HTTPClient(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr := c.Transport.(*http.Transport); tr.Proxy == nil || tr.TLSHandshakeTimeout != 3*time.Second || tr.DialContext == nil {
		t.Errorf("transport without a base: %+v", tr)
	}
	// A transport HTTPClient cannot configure is an error, not a silent
	// skip of the provider's TLS settings.
	if _, err := providers.HTTPClient(p, &http.Client{Transport: roundTripFunc(nil)}); err == nil || !strings.Contains(err.Error(), "corp") {
		t.Errorf("foreign transport: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTLSFileErrors(t *testing.T) {
	pki := newPKI(t)
	dir := t.TempDir()
	const inside = "SENSITIVE-CONTENT-DO-NOT-PRINT"
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	garbage := write("garbage.pem", "hello "+inside+"\n")
	badBlock := write("bad-block.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte(inside)})))
	encrypted := write("enc-key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte(inside)})))
	missing := filepath.Join(dir, "missing.pem")
	both := func(cert, key string) string { return "cert_file = " + quoted(cert) + "\nkey_file = " + quoted(key) }
	for _, c := range []struct {
		name, extra, key, file, msg string
	}{
		{"ca_file missing", "ca_file = " + quoted(missing), "ca_file", missing, "no such file"},
		{"ca_file without a certificate", "ca_file = " + quoted(garbage), "ca_file", garbage, "holds no PEM certificate"},
		{"ca_file holding a key", "ca_file = " + quoted(pki.keyFile), "ca_file", pki.keyFile, "holds no PEM certificate"},
		{"ca_file with a broken certificate", "ca_file = " + quoted(badBlock), "ca_file", badBlock, "not a valid certificate"},
		{"ca_file a folder", "ca_file = " + quoted(dir), "ca_file", dir, "directory"},
		{"cert_file missing", both(missing, pki.keyFile), "cert_file", missing, "no such file"},
		{"cert_file without a certificate", both(garbage, pki.keyFile), "cert_file", garbage, "holds no PEM certificate"},
		{"key_file missing", both(pki.clientFile, missing), "key_file", missing, "no such file"},
		{"key_file without a key", both(pki.clientFile, garbage), "key_file", garbage, "holds no PEM private key"},
		{"key_file encrypted", both(pki.clientFile, encrypted), "key_file", encrypted, "encrypted"},
		{"key_file of another certificate", both(pki.clientFile, pki.otherKey), "key_file", pki.otherKey, "does not go with cert_file " + pki.clientFile},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := tlsProvider(t, "https://api.example.test", c.extra)
			_, err := providers.HTTPClient(p, newClient(t))
			var fe *providers.TLSFileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a TLSFileError", err)
			}
			if fe.Provider != "corp" || fe.Key != c.key || fe.File != c.file {
				t.Errorf("error names %s / %s / %s, want corp / %s / %s", fe.Provider, fe.Key, fe.File, c.key, c.file)
			}
			text := err.Error()
			for _, want := range []string{"provider corp", c.key + " " + c.file, c.msg} {
				if !strings.Contains(text, want) {
					t.Errorf("%q lacks %q", text, want)
				}
			}
			if strings.Contains(text+providers.Hint(err), inside) {
				t.Errorf("the file's contents are in the error: %q", text)
			}
		})
	}
}

func TestConfigNeedsCertAndKeyTogether(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`cert_file = "c.pem"`, "tls.toml:7: providers.corp.cert_file: cert_file is set without key_file"},
		{`key_file = "k.pem"`, "tls.toml:7: providers.corp.key_file: key_file is set without cert_file"},
	} {
		text := "[providers.corp]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\ntoken_url = \"https://api.example.test/token\"\nclient_id = \"id\"\nclient_secret = \"s\"\n" + c.line + "\n"
		_, err := config.Parse("tls.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.line, err, c.want)
		}
	}
	text := "[providers.corp]\nbase_url = \"https://api.example.test\"\ngrant = \"static\"\ntoken = \"t\"\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\n"
	if _, err := config.Parse("tls.toml", []byte(text)); err != nil {
		t.Errorf("both set: %v", err)
	}
}

// TestRelativeTLSFilesAreTakenFromTheConfigFolder: ca_file, cert_file and
// key_file written as relative paths, or as a ${VAR} holding one, name
// files beside the config, wherever keyhole runs from.
func TestRelativeTLSFilesAreTakenFromTheConfigFolder(t *testing.T) {
	pki := newPKI(t)
	srv := tlsAPI(t, pki, tls.RequireAndVerifyClientCert)
	text := fmt.Sprintf("[providers.corp]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"id\"\nclient_secret = \"s\"\n"+
		"ca_file = \"ca.pem\"\ncert_file = \"${CLIENT_CERT}\"\nkey_file = \"./client-key.pem\"\n", srv.URL, srv.URL+"/token")
	cfgPath := filepath.Join(pki.dir, "keyhole.toml")
	if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // not the config's folder: nothing there to find
	cfg, err := config.LoadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Provider("corp")
	r, err := p.Resolve(func(name string) (string, bool) { return "client.pem", name == "CLIENT_CERT" })
	if err != nil {
		t.Fatal(err)
	}
	ex, err := tokenAndCall(t, r)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if ex.Err != nil || ex.Response.Status != http.StatusOK || !strings.Contains(string(ex.Response.Body), "keyhole test client") {
		t.Fatalf("call: %v %+v", ex.Err, ex.Response)
	}
	if got, _ := r.FilePath("ca.pem"); got != pki.caFile {
		t.Errorf("FilePath(ca.pem) = %s, want %s", got, pki.caFile)
	}
}
