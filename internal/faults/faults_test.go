package faults_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestAnswers(t *testing.T) {
	s := faults.Start(t)
	c := faults.Client(t)
	tests := []struct {
		f      faults.Fault
		status int
		ctype  string
		body   string
	}{
		{faults.Token, 200, "application/json", faults.AccessToken},
		{faults.OK, 200, "application/json", `{"ok":true}`},
		{faults.Status500JSON, 500, "application/json", faults.ErrorDescription},
		{faults.Status503JSON, 503, "application/json", faults.ErrorCode},
		{faults.Status500HTML, 500, "text/html", "<title>500 " + faults.HTMLTitle},
		{faults.Status503HTML, 503, "text/html", "<title>503 " + faults.HTMLTitle},
		{faults.NotJSON, 200, "text/html", faults.LoginPage},
		{faults.Empty, 200, "application/json", ""},
		{faults.TooManyRequests, 429, "application/json", "rate_limited"},
		{"nothing-here", 404, "application/json", "no such fault"},
	}
	for _, tt := range tests {
		resp, body, err := get(t, c, s.URL+"/any/prefix/"+string(tt.f))
		if err != nil {
			t.Fatalf("%s: %v", tt.f, err)
		}
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) || !strings.Contains(string(body), tt.body) {
			t.Errorf("%s: %d %s %q", tt.f, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if tt.body == "" && len(body) != 0 {
			t.Errorf("%s: body %q, want none", tt.f, body)
		}
	}
	if resp, _, _ := get(t, c, s.URL+"/api/429"); resp.Header.Get("Retry-After") != "" || resp.StatusCode != 429 {
		t.Errorf("429 without Retry-After: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if s.Hits(faults.TooManyRequests) != 2 || s.Hits(faults.Token) != 1 {
		t.Errorf("hits: 429 %d, token %d", s.Hits(faults.TooManyRequests), s.Hits(faults.Token))
	}
}

func TestRetryAfterOnceThenOK(t *testing.T) {
	s := faults.Start(t)
	c := faults.Client(t)
	for _, f := range []faults.Fault{faults.RetryAfterSeconds, faults.RetryAfterDate} {
		url := s.URL + "/api/" + string(f) + "?after=3"
		resp, _, err := get(t, c, url)
		if err != nil || resp.StatusCode != 429 {
			t.Fatalf("%s: first answer %v, %v", f, resp, err)
		}
		ra := resp.Header.Get("Retry-After")
		if f == faults.RetryAfterSeconds && ra != "3" {
			t.Errorf("Retry-After = %q, want 3", ra)
		}
		if f == faults.RetryAfterDate {
			at, err := http.ParseTime(ra)
			if d := time.Until(at); err != nil || d < 1*time.Second || d > 3*time.Second {
				t.Errorf("Retry-After = %q (%v from now, %v)", ra, d, err)
			}
		}
		if resp, body, _ := get(t, c, url); resp.StatusCode != 200 || !strings.Contains(string(body), "after") {
			t.Errorf("%s: second answer %d %s", f, resp.StatusCode, body)
		}
	}
}

func TestHangWaitsForTheClientAndReleases(t *testing.T) {
	s := faults.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/token/hang", strings.NewReader("grant_type=x"))
	begin := time.Now()
	if _, err := faults.Client(t).Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: %v", err)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("the client's deadline took %v", d)
	}
	// A hang nobody gives up on is released when the server closes.
	done := make(chan error, 1)
	go func() {
		resp, err := faults.Client(t).Get(s.URL + "/token/hang")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.Hits(faults.Hang) < 2 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Close waited on a hanging request")
	}
	<-done
}

func TestSlow(t *testing.T) {
	s := faults.Start(t)
	begin := time.Now()
	resp, body, err := get(t, faults.Client(t), s.URL+"/api/slow?ms=150")
	if d := time.Since(begin); err != nil || resp.StatusCode != 200 || d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("slow: %v %s after %v", err, body, d)
	}
}

func TestCutOffBreaksTheBody(t *testing.T) {
	s := faults.Start(t)
	resp, body, err := get(t, faults.Client(t), s.URL+"/api/cut-off")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut-off: %v", err)
	}
	if resp.ContentLength != faults.CutOffLength || string(body) != faults.CutOffBody {
		t.Errorf("Content-Length %d, got %q", resp.ContentLength, body)
	}
}

func TestNetworkFailures(t *testing.T) {
	s := faults.Start(t)
	c := faults.Client(t)
	begin := time.Now()
	_, _, err := get(t, c, s.RefusedURL+"/token/token")
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("refused: %v", err)
	}
	var dnsErr *net.DNSError
	if _, _, err = get(t, c, s.InvalidURL+"/token/token"); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("dns: %v", err)
	}
	var certErr *tls.CertificateVerificationError
	if _, _, err = get(t, c, s.TLSURL+"/token/token"); !errors.As(err, &certErr) {
		t.Errorf("tls: %v", err)
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("three failures took %v", d)
	}
}

// TestResolverNeverLeavesTheProcess: every DNS query goes to the in-memory
// answerer, and a name fails with the error a real NXDOMAIN gives.
func TestResolverNeverLeavesTheProcess(t *testing.T) {
	var dials atomic.Int32
	r := faults.Resolver()
	dial := r.Dial
	r.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	for i := range 3 {
		begin := time.Now()
		_, err := r.LookupHost(context.Background(), strconv.Itoa(i)+"."+faults.InvalidHost)
		var dnsErr *net.DNSError
		if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
			t.Fatalf("lookup: %v", err)
		}
		if d := time.Since(begin); d > 500*time.Millisecond {
			t.Errorf("lookup took %v", d)
		}
	}
	if dials.Load() == 0 {
		t.Error("the resolver never asked the in-memory answerer: it went elsewhere")
	}
	faults.UseHermeticDNS(t)
	if _, err := net.DefaultResolver.LookupHost(context.Background(), faults.InvalidHost); err == nil {
		t.Error("UseHermeticDNS: the name resolved")
	}
}

func TestConfigParsesWithEveryFault(t *testing.T) {
	s := faults.Start(t)
	cfg, err := config.Parse("faults.toml", []byte(s.Config(200*time.Millisecond)))
	if err != nil {
		t.Fatalf("%v\n%s", err, s.Config(200*time.Millisecond))
	}
	names := []string{faults.APIProvider}
	for _, f := range faults.TokenFaults {
		names = append(names, faults.TokenProvider(f))
	}
	for _, n := range faults.NetFaults {
		names = append(names, faults.TokenNetProvider(n), faults.APINetProvider(n))
	}
	for _, name := range names {
		p, ok := cfg.Provider(name)
		if !ok {
			t.Errorf("no provider %s", name)
			continue
		}
		want := 200 * time.Millisecond
		if strings.HasSuffix(name, "-"+string(faults.TLS)) {
			want = faults.TLSTimeout
		}
		if p.Timeout.Std() != want || p.ClientID != faults.ClientID {
			t.Errorf("%s: timeout %v, client %q", name, p.Timeout.Std(), p.ClientID)
		}
	}
	if p, _ := cfg.Provider(faults.TokenNetProvider(faults.DNS)); !strings.Contains(p.TokenURL, faults.InvalidHost) {
		t.Errorf("token-dns token_url = %s", p.TokenURL)
	}
}
