package exchange

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// Timing is where the time of one attempt went. The phases are zero when
// they did not happen: no DNS for an IP address, no connect and no TLS on
// a reused connection, no TLS over plain HTTP.
type Timing struct {
	// Start is when the request was handed to the client, on Options.Now.
	Start time.Time `json:"start"`
	// DNS, Connect and TLS are the lookup, the TCP connect and the TLS
	// handshake of the connection the request went out on.
	DNS     time.Duration `json:"dns_ns,omitempty"`
	Connect time.Duration `json:"connect_ns,omitempty"`
	TLS     time.Duration `json:"tls_ns,omitempty"`
	// TTFB runs from Start to the first byte of the response, as curl's
	// time_starttransfer does: it includes the phases above.
	TTFB time.Duration `json:"ttfb_ns,omitempty"`
	// Total runs from Start to the end of the body (Response.Duration).
	Total time.Duration `json:"total_ns"`
	// Reused is set when the request went out on a kept-alive connection.
	Reused bool `json:"reused,omitempty"`
}

// tracer records an attempt's phases through net/http/httptrace.
//
// The transport calls the hooks from its own goroutines (the dialer, the
// connection's read loop), and a losing dial may still report after the
// response is back: hence the mutex, and why the clock it reads is
// Options.TraceNow (safe for concurrent use) rather than Options.Now,
// which tests step by hand from one goroutine.
type tracer struct {
	now func() time.Time

	mu                            sync.Mutex
	start                         time.Time
	dnsStart, connStart, tlsStart time.Time
	t                             Timing
	gotConn                       bool
}

func newTracer(now func() time.Time) *tracer {
	if now == nil {
		now = time.Now // monotonic: phases are differences
	}
	return &tracer{now: now}
}

// begin marks the start of the attempt on the tracer's clock.
func (tr *tracer) begin() {
	t := tr.now()
	tr.mu.Lock()
	tr.start = t
	tr.mu.Unlock()
}

// hooks returns the httptrace hooks that fill the timing.
func (tr *tracer) hooks() *httptrace.ClientTrace {
	mark := func(f func(now time.Time)) {
		now := tr.now()
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if !tr.gotConn { // phases after GotConn belong to another connection
			f(now)
		}
	}
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { mark(func(now time.Time) { tr.dnsStart = now }) },
		DNSDone: func(httptrace.DNSDoneInfo) {
			mark(func(now time.Time) { tr.t.DNS = traceSince(tr.dnsStart, now) })
		},
		ConnectStart: func(string, string) {
			mark(func(now time.Time) {
				if tr.connStart.IsZero() { // the first of parallel dials
					tr.connStart = now
				}
			})
		},
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				mark(func(now time.Time) {
					if tr.t.Connect == 0 {
						tr.t.Connect = traceSince(tr.connStart, now)
					}
				})
			}
		},
		TLSHandshakeStart: func() { mark(func(now time.Time) { tr.tlsStart = now }) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err == nil {
				mark(func(now time.Time) { tr.t.TLS = traceSince(tr.tlsStart, now) })
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.gotConn, tr.t.Reused = true, info.Reused
			if info.Reused { // a dial raced and lost to an idle connection
				tr.t.DNS, tr.t.Connect, tr.t.TLS = 0, 0, 0
			}
		},
		GotFirstResponseByte: func() {
			now := tr.now()
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.t.TTFB = traceSince(tr.start, now)
		},
	}
}

// timing returns what was recorded, with Start and Total from the
// exchange's own clock.
func (tr *tracer) timing(start time.Time, total time.Duration) Timing {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t := tr.t
	t.Start, t.Total = start, total
	return t
}

// traceSince is now-from, or 0 when from was never set.
func traceSince(from, now time.Time) time.Duration {
	if from.IsZero() {
		return 0
	}
	return max(0, now.Sub(from))
}
