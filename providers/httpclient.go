package providers

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/keyhole-sh/keyhole/internal/pemfile"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TLSFileError is a provider's ca_file, cert_file, key_file or
// client_key_file that cannot be used. It names the provider, the key and
// the file, never what the file holds.
type TLSFileError struct {
	Provider string
	Key      string // "ca_file", "cert_file", "key_file" or "client_key_file"
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
func HTTPClient(p *config.Provider, base *http.Client) (*http.Client, error) {
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
		timeout = config.DefaultTimeout
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
func providerTimeout(p *config.Provider) time.Duration {
	if p.Timeout > 0 {
		return p.Timeout.Std()
	}
	return config.DefaultTimeout
}

// tlsConfig builds p's TLS configuration on a copy of base (nil: Go's
// defaults).
func tlsConfig(p *config.Provider, base *tls.Config) (*tls.Config, error) {
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
	// cert_file alone, beside private_key_jwt, only names the certificate
	// whose thumbprints the assertion carries: it is no TLS credential.
	if p.KeyFile != "" || (p.CertFile != "" && !config.CertForThumbprint(p)) {
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
func rootPool(p *config.Provider, base *x509.CertPool) (*x509.CertPool, error) {
	path, data, err := readTLSFile(p, "ca_file", p.CAFile)
	if err != nil {
		return nil, err
	}
	certs, err := pemfile.Certificates(data)
	if err != nil {
		var pr *pemfile.Problem
		if errors.As(err, &pr) {
			return nil, tlsFileError(p, "ca_file", path, pr)
		}
		return nil, err
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
func clientCert(p *config.Provider) (tls.Certificate, error) {
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
	cert, err := pemfile.KeyPair(certPEM, keyPEM)
	var pr *pemfile.Problem
	switch {
	case err == nil:
		return cert, nil
	case !errors.As(err, &pr):
		return tls.Certificate{}, err
	case pr.Which == pemfile.Cert:
		return tls.Certificate{}, tlsFileError(p, "cert_file", certPath, pr)
	case pr.Which == pemfile.Pair:
		pr.Msg = fmt.Sprintf("does not go with cert_file %s: %s", certPath, pr.Msg)
	}
	return tls.Certificate{}, tlsFileError(p, "key_file", keyPath, pr)
}

// tlsFileError names the provider, the config key and the file of what
// pemfile found wrong.
func tlsFileError(p *config.Provider, key, path string, pr *pemfile.Problem) error {
	return &TLSFileError{Provider: p.Name, Key: key, File: path, Msg: pr.Msg, Hint: pr.Hint}
}

// readTLSFile reads one of p's TLS files, where FilePath says it is. Its
// error names the provider, the key and the path, and says why, without
// the OS error's repetition of the path.
func readTLSFile(p *config.Provider, key, path string) (string, []byte, error) {
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
