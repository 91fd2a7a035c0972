package providers_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/proxychild"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

// recordingProxy is an HTTP proxy on 127.0.0.1 that records what it is
// asked: CONNECT host:port is tunnelled to target, whatever the host; a
// plain request is answered "via proxy".
type recordingProxy struct {
	srv    *httptest.Server
	target string

	mu    sync.Mutex
	seen  []string
	conns []net.Conn
	wg    sync.WaitGroup
}

func newRecordingProxy(t *testing.T, target string) *recordingProxy {
	t.Helper()
	p := &recordingProxy{target: target}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		p.srv.Close()
		// Hijacked connections are no longer the server's to close.
		p.mu.Lock()
		for _, c := range p.conns {
			_ = c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *recordingProxy) record(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, s)
}

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func (p *recordingProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		p.record(r.Method + " " + r.URL.String())
		fmt.Fprint(w, "via proxy")
		return
	}
	p.record("CONNECT " + r.Host)
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		_ = up.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, conn, up)
	p.mu.Unlock()
	_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		_, _ = io.Copy(up, buf)
		_ = up.Close()
	}()
	go func() {
		defer p.wg.Done()
		_, _ = io.Copy(conn, up)
		_ = conn.Close()
	}()
}

// TestProxyFromEnvironment runs TestProxyChild in a child process with
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY set from its start: Go reads them
// once per process and never proxies a loopback host, so the child asks
// for api.example.test and plain.example.test, which only the proxy (on
// 127.0.0.1) knows how to reach.
func TestProxyFromEnvironment(t *testing.T) {
	pki := newPKI(t)
	api := tlsAPI(t, pki, tls.NoClientCert)
	proxy := newRecordingProxy(t, api.Listener.Addr().String())
	proxychild.Run(t, "TestProxyChild", "KEYHOLE_PROXY_CA="+pki.caFile,
		"HTTPS_PROXY="+proxy.srv.URL, "HTTP_PROXY="+proxy.srv.URL, "NO_PROXY=skip.example.test")
	got := proxy.requests()
	for _, want := range []string{"CONNECT api.example.test:443", "GET http://plain.example.test/hello"} {
		if !slices.Contains(got, want) {
			t.Errorf("the proxy saw %q, not %q", got, want)
		}
	}
}

// TestProxyChild is TestProxyFromEnvironment's other half; on its own it
// does nothing.
func TestProxyChild(t *testing.T) {
	proxychild.Child(t)
	proxyURL := os.Getenv("HTTPS_PROXY")
	ctx := context.Background()

	// A provider with a ca_file: its own transport still takes the proxy
	// from the environment, and NO_PROXY is honoured.
	p := tlsProvider(t, "https://api.example.test", "ca_file = "+quoted(os.Getenv("KEYHOLE_PROXY_CA")))
	client, err := providers.HTTPClient(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseIdleConnections()
	tr := client.Transport.(*http.Transport)
	for target, want := range map[string]string{"https://api.example.test/x": proxyURL, "https://skip.example.test/x": ""} {
		req, _ := http.NewRequest("GET", target, nil)
		u, err := tr.Proxy(req)
		if err != nil || (u == nil) != (want == "") || (u != nil && u.String() != want) {
			t.Errorf("proxy for %s = %v, %v; want %q", target, u, err, want)
		}
	}
	s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("token through the proxy: %v", err)
	}
	ex := exchange.Send(ctx, client, p, tok, exchange.Request{Method: "GET", Target: "/api/me"}, exchange.Options{})
	if ex.Err != nil || ex.Response.Status != http.StatusOK {
		t.Fatalf("call through the proxy: %v %+v", ex.Err, ex.Response)
	}

	// A provider without TLS settings shares the base client's transport
	// (http.DefaultTransport's), which takes the proxy too.
	text := "[providers.open]\nbase_url = \"http://plain.example.test\"\ngrant = \"static\"\ntoken = \"t\"\n"
	cfg, err := config.Parse("open.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	open, _ := cfg.Provider("open")
	base := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer base.CloseIdleConnections()
	c, err := providers.HTTPClient(open, base)
	if err != nil || c.Transport != base.Transport {
		t.Fatalf("HTTPClient: %v", err)
	}
	ex = exchange.Send(ctx, c, open, nil, exchange.Request{Method: "GET", Target: "/hello"}, exchange.Options{})
	if ex.Err != nil || string(ex.Response.Body) != "via proxy" {
		t.Fatalf("plain call through the proxy: %v %+v", ex.Err, ex.Response)
	}
}
