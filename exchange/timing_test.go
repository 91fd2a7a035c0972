package exchange

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// stepClock moves one millisecond each time it is read; it is safe for
// the transport's goroutines, as Options.TraceNow must be.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

func TestTimingPlainAndTLS(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(jsonOK))
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(http.HandlerFunc(jsonOK))
	t.Cleanup(secure.Close)
	for _, c := range []struct {
		name   string
		srv    *httptest.Server
		client *http.Client
		tls    bool
	}{
		{"plain", plain, exchangetest.Client(t), false},
		{"TLS", secure, secure.Client(), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &config.Provider{Name: "p", BaseURL: c.srv.URL}
			fixed := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
			ticks := []time.Time{fixed, fixed.Add(143 * time.Millisecond)}
			now := func() time.Time { t := ticks[0]; ticks = ticks[1:]; return t }
			trace := &stepClock{now: fixed}

			// First request: a new connection.
			ex := Send(context.Background(), c.client, p, nil, Request{Target: "/x"}, Options{Now: now, TraceNow: trace.read})
			if ex.Err != nil {
				t.Fatal(ex.Err)
			}
			tm := ex.Response.Timing
			if tm.Start != fixed || tm.Total != 143*time.Millisecond || ex.Response.Duration != tm.Total {
				t.Errorf("Start, Total = %v, %v; want them from Options.Now", tm.Start, tm.Total)
			}
			if tm.Reused || tm.DNS != 0 || tm.Connect != time.Millisecond {
				t.Errorf("new connection to 127.0.0.1: %+v, want no DNS and a 1-tick connect", tm)
			}
			if (tm.TLS == time.Millisecond) != c.tls || (tm.TLS == 0) == c.tls {
				t.Errorf("TLS = %v, want one tick on TLS, 0 on plain HTTP", tm.TLS)
			}
			if tm.TTFB <= tm.Connect+tm.TLS {
				t.Errorf("TTFB = %v, want it past the connect and handshake", tm.TTFB)
			}

			// Second request: the kept-alive connection.
			ticks = []time.Time{fixed, fixed.Add(time.Millisecond)}
			ex = Send(context.Background(), c.client, p, nil, Request{Target: "/x"}, Options{Now: now, TraceNow: trace.read})
			if ex.Err != nil {
				t.Fatal(ex.Err)
			}
			tm = ex.Response.Timing
			if !tm.Reused || tm.Connect != 0 || tm.TLS != 0 || tm.DNS != 0 || tm.TTFB != time.Millisecond {
				t.Errorf("reused connection: %+v, want Reused, no phases and a one-tick TTFB", tm)
			}
		})
	}
}

// TestTimingRealClock checks the phases on the real clock, as the TUI
// measures them.
func TestTimingRealClock(t *testing.T) {
	secure := httptest.NewTLSServer(http.HandlerFunc(jsonOK))
	t.Cleanup(secure.Close)
	p := &config.Provider{Name: "p", BaseURL: secure.URL}
	ex := Send(context.Background(), secure.Client(), p, nil, Request{Target: "/x"}, Options{})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	tm := ex.Response.Timing
	if tm.TLS <= 0 || tm.Connect <= 0 || tm.TTFB < tm.TLS || tm.Total < tm.TTFB || tm.Reused || tm.Start.IsZero() {
		t.Errorf("Timing = %+v", tm)
	}
}

// TestTracerHooks drives the hooks as the transport would, lookup and
// racing dials included, which a server on 127.0.0.1 cannot show.
func TestTracerHooks(t *testing.T) {
	clock := &stepClock{}
	tr := newTracer(clock.read)
	h := tr.hooks()
	tr.begin()                                          // 1
	h.DNSStart(httptrace.DNSStartInfo{Host: "api"})     // 2
	h.DNSDone(httptrace.DNSDoneInfo{})                  // 3: DNS 1
	h.ConnectStart("tcp", "[::1]:443")                  // 4
	h.ConnectStart("tcp", "127.0.0.1:443")              // 5: a parallel dial
	h.ConnectDone("tcp", "[::1]:443", errors.New("no")) // failed: no reading
	h.ConnectDone("tcp", "127.0.0.1:443", nil)          // 6: Connect 2, from the first start
	h.TLSHandshakeStart()                               // 7
	h.TLSHandshakeDone(tls.ConnectionState{}, nil)      // 8: TLS 1
	h.GotConn(httptrace.GotConnInfo{})                  //
	h.ConnectDone("tcp", "10.0.0.1:443", nil)           // 9: after GotConn, another connection's
	h.GotFirstResponseByte()                            // 10: TTFB 9
	got := tr.timing(time.Time{}, 0)
	want := Timing{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: time.Millisecond, TTFB: 9 * time.Millisecond}
	if got != want {
		t.Errorf("Timing = %+v\nwant     %+v", got, want)
	}

	// A dial that lost the race to a kept-alive connection: no phases.
	tr = newTracer(clock.read)
	h = tr.hooks()
	tr.begin()
	h.ConnectStart("tcp", "127.0.0.1:443")
	h.ConnectDone("tcp", "127.0.0.1:443", nil)
	h.GotConn(httptrace.GotConnInfo{Reused: true})
	if got := tr.timing(time.Time{}, 0); !got.Reused || got.Connect != 0 {
		t.Errorf("reused: %+v", got)
	}
}
