package providers

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// TLSFileError is a provider's ca_file, cert_file or key_file that cannot
// be used. It names the provider, the key and the file, never what the
// file holds.
type TLSFileError struct {
	Provider string
	Key      string // "ca_file", "cert_file" or "key_file"
	File     string // the path as read (see Provider.FilePath)
	Msg      string
	Hint     string
}

func (e *TLSFileError) Error() string {
	return fmt.Sprintf("provider %s: %s", e.Provider, e.Reason())
}

// Reason is the error without the provider's name: "ca_file /x.pem: ...".
func (e *TLSFileError) Reason() string {
	return fmt.Sprintf("%s %s: %s", e.Key, e.File, e.Msg)
}

// Dial and TLS handshake limits for a transport keyhole builds itself;
// a provider's shorter timeout lowers them.
const (
	maxDialTimeout      = 30 * time.Second
	maxHandshakeTimeout = 10 * time.Second
)

// HasTLSSettings reports whether p sets any of insecure, ca_file,
// cert_file or key_file: only such a provider needs a transport of its own.
func (p *Provider) HasTLSSettings() bool {
	return p.Insecure || p.CAFile != "" || p.CertFile != "" || p.KeyFile != ""
}

// NewClient is the one way keyhole makes an HTTP client: a copy of base
// (its Transport, Timeout and Jar; nil base means http.DefaultTransport)
// that never follows a redirect. A 3xx is an answer, shown as it came:
// followed, a 307 or 308 would carry a token in a custom header (Go drops
// only Authorization, Cookie and WWW-Authenticate across origins) or a
// token request's client secret to wherever Location points.
func NewClient(base *http.Client) *http.Client {
	c := http.Client{}
	if base != nil {
		c = *base
	}
	c.CheckRedirect = showRedirect
	return &c
}

// showRedirect is every client's CheckRedirect: the 3xx itself is the
// response.
func showRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// HTTPClient returns the client every network call for the resolved
// provider p goes through: token requests, discovery, revocation and the
// API calls themselves. Like every client NewClient makes, it follows no
// redirect.
//
// A provider with no TLS settings gets a client on base's transport, so
// providers share it and its pooled connections. Otherwise the client is a
// copy of base (its Timeout and Jar kept) on a transport of its own: a
// clone of base's, or, when base has none, NewTransport with the
// provider's timeout. Its TLS configuration trusts the system roots plus
// ca_file, presents the client certificate in cert_file and key_file, and
// skips verification only when insecure = true. The files are read here,
// once, where Provider.FilePath says they are: ~/ is the home folder and a
// relative path is taken from the config file's folder.
//
// base nil means a client on http.DefaultTransport. A base whose
// transport is not an *http.Transport cannot carry TLS settings: that is
// an error for a provider that has some.
func HTTPClient(p *Provider, base *http.Client) (*http.Client, error) {
	c := NewClient(base)
	if !p.HasTLSSettings() {
		return c, nil
	}
	var tr *http.Transport
	switch t := c.Transport.(type) {
	case nil:
		tr = NewTransport(providerTimeout(p))
	case *http.Transport:
		tr = t.Clone()
		capTimeouts(tr, providerTimeout(p))
	default:
		return nil, fmt.Errorf("provider %s: insecure, ca_file, cert_file and key_file need an *http.Transport, not %T", p.Name, t)
	}
	conf, err := tlsConfig(p, tr.TLSClientConfig)
	if err != nil {
		return nil, err
	}
	tr.TLSClientConfig = conf
	c.Transport = tr
	return c, nil
}

// NewTransport is http.DefaultTransport's settings with its limits taken
// from timeout (DefaultTimeout when 0): dial and TLS handshake bounded by
// timeout (at most 30 s and 10 s), and the wait for response headers by
// timeout itself. These are a backstop: every call keyhole makes also runs
// under a context with the provider's timeout.
//
// Proxy is http.ProxyFromEnvironment: HTTPS_PROXY, HTTP_PROXY and NO_PROXY
// (or their lower-case forms) are honoured, read once per process as Go
// does, and never applied to loopback hosts such as the built-in demo.
func NewTransport(timeout time.Duration) *http.Transport {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: min(timeout, maxDialTimeout), KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(timeout, maxHandshakeTimeout),
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
	}
}

// capTimeouts lowers a cloned transport's handshake and response-header
// limits to the provider's timeout; a base's tighter limits are kept.
func capTimeouts(tr *http.Transport, timeout time.Duration) {
	if tr.TLSHandshakeTimeout <= 0 || tr.TLSHandshakeTimeout > timeout {
		tr.TLSHandshakeTimeout = min(timeout, maxHandshakeTimeout)
	}
	if tr.ResponseHeaderTimeout <= 0 || tr.ResponseHeaderTimeout > timeout {
		tr.ResponseHeaderTimeout = timeout
	}
}

// providerTimeout is the provider's timeout, or DefaultTimeout.
func providerTimeout(p *Provider) time.Duration {
	if p.Timeout > 0 {
		return p.Timeout.Std()
	}
	return DefaultTimeout
}

// tlsConfig builds p's TLS configuration on a copy of base (nil: Go's
// defaults).
func tlsConfig(p *Provider, base *tls.Config) (*tls.Config, error) {
	conf := &tls.Config{}
	if base != nil {
		conf = base.Clone()
	}
	if p.CAFile != "" {
		pool, err := rootPool(p, conf.RootCAs)
		if err != nil {
			return nil, err
		}
		conf.RootCAs = pool
	}
	if p.CertFile != "" || p.KeyFile != "" {
		cert, err := clientCert(p)
		if err != nil {
			return nil, err
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	// insecure = true is the only way verification is ever turned off; the
	// screens mark such a provider in red.
	conf.InsecureSkipVerify = p.Insecure
	return conf, nil
}

// rootPool is the system's roots (or base's, when it has its own) plus
// every certificate in ca_file.
func rootPool(p *Provider, base *x509.CertPool) (*x509.CertPool, error) {
	path, data, err := readTLSFile(p, "ca_file", p.CAFile)
	if err != nil {
		return nil, err
	}
	fail := func(msg, hint string) error {
		return &TLSFileError{Provider: p.Name, Key: "ca_file", File: path, Msg: msg, Hint: hint}
	}
	var certs []*x509.Certificate
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fail(fmt.Sprintf("PEM block %d is not a valid certificate: %v", n, err), "")
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fail("holds no PEM certificate",
			"ca_file wants one or more -----BEGIN CERTIFICATE----- blocks; convert a DER file with: openssl x509 -inform der -in FILE -out ca.pem")
	}
	pool := base
	if pool != nil {
		pool = pool.Clone()
	} else if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
		// No system roots here: ca_file alone is trusted.
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// clientCert loads the client certificate from cert_file and key_file.
// Configuration validation requires both; each is checked on its own so
// an error names the file at fault.
func clientCert(p *Provider) (tls.Certificate, error) {
	if p.CertFile == "" || p.KeyFile == "" {
		key, set := "key_file", "cert_file"
		if p.CertFile == "" {
			key, set = "cert_file", "key_file"
		}
		return tls.Certificate{}, fmt.Errorf("provider %s: %s is set without %s (a client certificate needs both)", p.Name, set, key)
	}
	certPath, certPEM, err := readTLSFile(p, "cert_file", p.CertFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPath, keyPEM, err := readTLSFile(p, "key_file", p.KeyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf := firstBlock(certPEM, func(b *pem.Block) bool { return b.Type == "CERTIFICATE" })
	if leaf == nil {
		return tls.Certificate{}, &TLSFileError{Provider: p.Name, Key: "cert_file", File: certPath, Msg: "holds no PEM certificate",
			Hint: "cert_file wants the client certificate as a -----BEGIN CERTIFICATE----- block"}
	}
	if _, err := x509.ParseCertificate(leaf.Bytes); err != nil {
		return tls.Certificate{}, &TLSFileError{Provider: p.Name, Key: "cert_file", File: certPath, Msg: fmt.Sprintf("not a valid certificate: %v", err)}
	}
	switch {
	case firstBlock(keyPEM, encryptedKey) != nil:
		return tls.Certificate{}, &TLSFileError{Provider: p.Name, Key: "key_file", File: keyPath, Msg: "the private key is encrypted",
			Hint: "keyhole needs an unencrypted key: openssl pkey -in FILE -out key.pem, kept private (chmod 600)"}
	case firstBlock(keyPEM, func(b *pem.Block) bool { return strings.HasSuffix(b.Type, "PRIVATE KEY") }) == nil:
		return tls.Certificate{}, &TLSFileError{Provider: p.Name, Key: "key_file", File: keyPath, Msg: "holds no PEM private key",
			Hint: "key_file wants a -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block"}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		// crypto/tls's messages name what is wrong, never the key's bytes.
		return tls.Certificate{}, &TLSFileError{Provider: p.Name, Key: "key_file", File: keyPath,
			Msg: fmt.Sprintf("does not go with cert_file %s: %v", certPath, err), Hint: "cert_file and key_file must be the two halves of one client certificate"}
	}
	return cert, nil
}

// firstBlock is data's first PEM block that passes ok, or nil.
func firstBlock(data []byte, ok func(*pem.Block) bool) *pem.Block {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil || ok(block) {
			return block
		}
	}
}

// encryptedKey reports an encrypted private key, PKCS #8 or OpenSSL's
// older Proc-Type: 4,ENCRYPTED, which crypto/tls cannot read.
func encryptedKey(b *pem.Block) bool {
	return b.Type == "ENCRYPTED PRIVATE KEY" || strings.HasSuffix(b.Type, "PRIVATE KEY") && strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")
}

// readTLSFile reads one of p's TLS files, where FilePath says it is. Its
// error names the provider, the key and the path, and says why, without
// the OS error's repetition of the path.
func readTLSFile(p *Provider, key, path string) (string, []byte, error) {
	path, err := p.FilePath(path)
	if err != nil {
		return path, nil, &TLSFileError{Provider: p.Name, Key: key, File: path, Msg: err.Error()}
	}
	data, err := os.ReadFile(path)
	if err == nil {
		return path, data, nil
	}
	fe := &TLSFileError{Provider: p.Name, Key: key, File: path}
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fe.Msg, fe.Hint = "no such file", "check the path; a relative one is taken from the config file's folder"
	case errors.Is(err, fs.ErrPermission):
		fe.Msg, fe.Hint = "permission denied", "keyhole must be able to read the file"
	case errors.As(err, &pe):
		fe.Msg = pe.Err.Error()
	default:
		fe.Msg = err.Error()
	}
	return path, nil, fe
}
