package providers

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// TokenError means the token endpoint answered, but with no token: bad
// credentials, a refused grant, a vendor error in the body.
type TokenError struct {
	Provider    string
	Status      int    // HTTP status: 200 when a vendor refuses inside a 200 body (maptable); 0 when unknown
	Code        string // RFC 6749 error code, or the vendor's
	Description string
	// Body is the start of the response body, already redacted.
	Body string
	Hint string
	// Source is what answered when it was not the token endpoint: the
	// command grant's command ("command gh auth token").
	Source string
}

// redacted passes every string of e that a server supplied — the error
// code, the description, the body excerpt — through redact, and returns
// e: an endpoint may echo the client secret in any of them, the vendor's
// code field included, not only in error_description.
func (e *TokenError) redacted(redact func(string) string) *TokenError {
	e.Code = redact(e.Code)
	e.Description = redact(e.Description)
	e.Body = redact(e.Body)
	return e
}

// snippet is the start of a body for an error message, redacted before
// it is cut: cut first, a secret standing across the cut would lose its
// end and no longer be recognised.
func snippet(body []byte, redact func(string) string) string {
	return bodySnippet([]byte(redact(string(body))))
}

func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Provider, cmp.Or(e.Source, "token endpoint"))
	if e.Status != 0 {
		fmt.Fprintf(&b, " answered %d", e.Status)
	}
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, ": %s: %s", e.Code, e.Description)
	case e.Code != "":
		fmt.Fprintf(&b, ": %s", e.Code)
	case e.Description != "":
		// A 2xx answer with no usable token: no code, a description.
		fmt.Fprintf(&b, ": %s", e.Description)
	case e.Body != "":
		fmt.Fprintf(&b, ": %s", e.Body)
	default:
		b.WriteString(" without a token")
	}
	return b.String()
}

// NetworkError means a request did not get an answer: refused, DNS, TLS,
// timeout, cancelled.
type NetworkError struct {
	Provider string
	Op       string // what was being done: "token request", "request"
	// msg is the underlying error's text with secrets redacted; the raw
	// error is kept only for errors.Is/As.
	msg  string
	err  error
	Hint string
}

// Error names the provider, when there is one: a request of a collection
// to a full URL may go without any.
func (e *NetworkError) Error() string {
	if e.Provider == "" {
		return fmt.Sprintf("%s: %s", e.Op, e.msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Provider, e.Op, e.msg)
}

// Unwrap gives errors.Is/As the cause (context.Canceled, *net.OpError...).
func (e *NetworkError) Unwrap() error { return e.err }

// NewNetworkError wraps err, a failure to get an answer while doing op
// ("request") for provider, with its text passed through redact. Other
// packages (model/exchange) use it so that their transport failures carry
// the same type, hint and exit code as the token request's.
func NewNetworkError(provider, op string, err error, redact func(string) string) *NetworkError {
	return &NetworkError{Provider: provider, Op: op, msg: redact(err.Error()), err: err, Hint: networkHint(err)}
}

// networkHint names the likely fix for a failed connection.
func networkHint(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time: raise the provider's timeout, or check the server"
	case errors.As(err, &dnsErr):
		return "the host name does not resolve: check the URL's spelling and your DNS"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return "TLS verification failed: point ca_file at the server's CA, or check the host name"
	case clientCertRefused(err.Error()):
		return "the server wants a TLS client certificate it accepts: set cert_file and key_file, or check they are the ones it expects"
	case strings.Contains(err.Error(), "proxyconnect"):
		// Go's transport names a failure to reach the proxy so: the server
		// was never asked.
		return "the proxy could not be reached (HTTPS_PROXY or HTTP_PROXY): check it, or set NO_PROXY for this host"
	case strings.Contains(err.Error(), "connection refused"):
		return "nothing listens there: is the server running, and is the port right?"
	case strings.Contains(err.Error(), "unexpected EOF"), strings.Contains(err.Error(), "connection reset by peer"):
		// The answer broke off (fewer bytes than Content-Length, then the
		// connection closed): found by internal/faults' cut-off, which had
		// no hint. Matched by text: x/oauth2 formats this cause with %v.
		return "the connection broke before the whole answer came: try again; if it keeps happening, check the server or a proxy in between"
	}
	return ""
}

// clientCertRefused reports the TLS alerts a server sends when it wants a
// client certificate and got none, or one it does not take. crypto/tls
// keeps the alert type unexported: its text is all there is.
func clientCertRefused(msg string) bool {
	for _, alert := range []string{"certificate required", "bad certificate", "unknown certificate authority", "expired certificate", "revoked certificate"} {
		if strings.Contains(msg, "remote error: tls: "+alert) {
			return true
		}
	}
	return false
}

// Hint returns the hint carried by a keyhole error, or "".
func Hint(err error) string {
	var te *TokenError
	var ne *NetworkError
	var ce *config.Error
	var fe *TLSFileError
	switch {
	case errors.As(err, &te):
		return te.Hint
	case errors.As(err, &ne):
		return ne.Hint
	case errors.As(err, &ce):
		return ce.Hint
	case errors.As(err, &fe):
		return fe.Hint
	}
	return ""
}
