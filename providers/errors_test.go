package providers

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestTokenErrorText(t *testing.T) {
	tests := []struct {
		err  TokenError
		want string
	}{
		{TokenError{Provider: "p", Status: 401, Code: "invalid_client", Description: "bad"}, "p: token endpoint answered 401: invalid_client: bad"},
		{TokenError{Provider: "p", Status: 400, Code: "invalid_scope"}, "p: token endpoint answered 400: invalid_scope"},
		{TokenError{Provider: "p", Description: "no access_token"}, "p: token endpoint: no access_token"},
		{TokenError{Provider: "p", Status: 502, Body: "<html>bad gateway</html>"}, "p: token endpoint answered 502: <html>bad gateway</html>"},
		{TokenError{Provider: "p", Status: 500}, "p: token endpoint answered 500 without a token"},
		{TokenError{Provider: "p"}, "p: token endpoint without a token"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestNetworkError(t *testing.T) {
	const sec = "s3cr3t-value"
	redact := func(s string) string { return strings.ReplaceAll(s, sec, "••••") }
	cause := &url.Error{Op: "Post", URL: "https://h/token?client_secret=" + sec, Err: context.DeadlineExceeded}
	ne := NewNetworkError("p", "token request", cause, redact)
	if strings.Contains(ne.Error(), sec) || !strings.HasPrefix(ne.Error(), "p: token request: ") {
		t.Errorf("Error() = %q", ne.Error())
	}
	if !errors.Is(ne, context.DeadlineExceeded) {
		t.Error("errors.Is does not reach the cause")
	}
	var ue *url.Error
	if !errors.As(ne, &ue) {
		t.Error("errors.As does not reach the *url.Error")
	}
	if Hint(ne) == "" || Hint(fmt.Errorf("wrapped: %w", ne)) != ne.Hint {
		t.Errorf("Hint = %q", Hint(ne))
	}
	if Hint(errors.New("plain")) != "" || Hint(nil) != "" {
		t.Error("Hint of a foreign error is not empty")
	}
}

func TestNetworkHint(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // substring; "" means no hint
	}{
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), "cancelled"},
		{"deadline", &url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}, "no answer in time"},
		{"dns", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid"}}, "does not resolve"},
		{"unknown authority", &url.Error{Op: "Get", URL: "u", Err: x509.UnknownAuthorityError{}}, "TLS verification failed"},
		{"hostname", &url.Error{Op: "Get", URL: "u", Err: x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}}, "TLS verification failed"},
		{"cert verification", &tls.CertificateVerificationError{Err: errors.New("expired")}, "TLS verification failed"},
		{"refused", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), "nothing listens"},
		{"proxy refused", errors.New(`Post "https://github.com/login/device/code": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused`), "the proxy could not be reached"},
		{"other", errors.New("EOF"), ""},
	}
	for _, tt := range tests {
		got := networkHint(tt.err)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s: networkHint = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTokenHint(t *testing.T) {
	p := &config.Provider{Name: "p", Grant: "client_credentials"}
	tests := []struct {
		err  TokenError
		want string
	}{
		{TokenError{Code: "invalid_client"}, "client_auth (basic)"},
		{TokenError{Code: "invalid_scope"}, "check scopes"},
		{TokenError{Code: "unauthorized_client"}, "grant client_credentials"},
		{TokenError{Status: 503}, "try again later"},
		{TokenError{Status: 400, Code: "invalid_request"}, ""},
	}
	for _, tt := range tests {
		got := tokenHint(&tt.err, p)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("tokenHint(%+v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	p.ClientAuth = "post"
	if got := tokenHint(&TokenError{Code: "invalid_client"}, p); !strings.Contains(got, "(post)") {
		t.Errorf("tokenHint names the wrong client_auth: %q", got)
	}
}

func TestBodySnippet(t *testing.T) {
	if got := bodySnippet([]byte("  short \n")); got != "short" {
		t.Errorf("bodySnippet = %q", got)
	}
	long := strings.Repeat("x", 1000)
	if got := bodySnippet([]byte(long)); len(got) > 310 || !strings.HasSuffix(got, "…") {
		t.Errorf("bodySnippet(1000 bytes) = %d bytes", len(got))
	}
	// Vendors answer in Chinese: the cut must not split a character.
	zh := strings.Repeat("没有权限", 100) // 3-byte runes
	for _, body := range []string{"x" + zh, "xy" + zh, zh} {
		if got := bodySnippet([]byte(body)); !utf8.ValidString(got) {
			t.Errorf("bodySnippet cut a character: %q", got[len(got)-8:])
		}
	}
}
