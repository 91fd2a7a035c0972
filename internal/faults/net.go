package faults

import (
	"context"
	"crypto/x509"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is a Handler served on 127.0.0.1 twice, over plain HTTP and over
// TLS with a certificate no default client trusts, plus the addresses of
// the failures that need no server.
type Server struct {
	*Handler
	// URL is the plain server, http://127.0.0.1:PORT.
	URL string
	// TLSURL is the TLS server, https://127.0.0.1:PORT: a client with the
	// system's roots fails its handshake (TLS failure).
	TLSURL string
	// RefusedURL is http://127.0.0.1:PORT where nothing listens.
	RefusedURL string
	// InvalidURL is http://InvalidHost: a name that never resolves (RFC
	// 6761 reserves .invalid). See Resolver: looked up on this machine's
	// DNS, it reaches out to a name server.
	InvalidURL string

	plain, tls *httptest.Server
}

// InvalidHost is the host of InvalidURL.
const InvalidHost = "keyhole-fault.invalid"

// Start serves a new Handler on 127.0.0.1 until the test ends. Hanging
// and slow requests are released first, so closing never waits on them.
func Start(t testing.TB) *Server {
	t.Helper()
	// The first TLS handshake in a process loads the system's roots, which
	// takes over 100 ms under the race detector: with a provider timeout
	// of 200 ms, a TLS failure would sometimes show as a timeout. Load
	// them here, once, before any test's clock starts.
	loadRoots()
	h := New()
	s := &Server{Handler: h, plain: httptest.NewServer(h), tls: httptest.NewTLSServer(h)}
	s.URL, s.TLSURL = s.plain.URL, s.tls.URL
	s.RefusedURL = ClosedURL(t)
	s.InvalidURL = "http://" + InvalidHost
	t.Cleanup(s.Close)
	return s
}

var loadRoots = sync.OnceFunc(func() { _, _ = x509.SystemCertPool() })

// Close releases every waiting handler and closes both servers.
func (s *Server) Close() {
	s.Release()
	s.plain.Close()
	s.tls.Close()
}

// ClosedURL is http://127.0.0.1:PORT of a listener that was just closed:
// connecting to it is refused at once.
func ClosedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// Resolver looks names up without the network: it reads /etc/hosts as Go
// does, and answers every DNS query itself with NXDOMAIN ("no such
// host"), over an in-memory connection.
//
// Why: on this machine a .invalid name fails fast (about 1 ms), but only
// because the configured name server (10.255.255.53) answers NXDOMAIN: the
// query leaves the process. Tests must not depend on, or wait for, a name
// server. Go's own resolver still runs (PreferGo), so keyhole sees the
// *net.DNSError a real lookup gives, IsNotFound set.
func Resolver() *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			client, server := net.Pipe()
			go answerNXDOMAIN(server)
			return client, nil
		},
	}
}

// Transport is an http.Transport that resolves names with Resolver and
// trusts only the system's roots (so TLSURL fails verification).
func Transport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second, Resolver: Resolver()}
	return &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second}
}

// Client is an http.Client on Transport whose idle connections are closed
// when the test ends, so no keep-alive goroutine outlives it.
func Client(t testing.TB) *http.Client {
	tr := Transport()
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// UseHermeticDNS makes net.DefaultResolver the Resolver until the test
// ends, for code that builds its own transport from Go's defaults (the
// CLI's). It changes a global: never use it in a parallel test.
func UseHermeticDNS(t testing.TB) {
	old := net.DefaultResolver
	net.DefaultResolver = Resolver()
	t.Cleanup(func() { net.DefaultResolver = old })
}

// answerNXDOMAIN serves DNS over a stream (two-byte length, then the
// message: RFC 1035 §4.2.2), answering each query "no such name".
func answerNXDOMAIN(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		resp, ok := nxdomain(q)
		if !ok {
			return
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// nxdomain is the answer to query q: its header and question, marked a
// response with RCODE 3 (NXDOMAIN), and no records.
func nxdomain(q []byte) ([]byte, bool) {
	const header = 12
	if len(q) < header {
		return nil, false
	}
	i := header
	for i < len(q) && q[i] != 0 {
		if q[i]&0xC0 != 0 { // a compression pointer: not in a query
			return nil, false
		}
		i += int(q[i]) + 1
	}
	end := i + 1 + 4 // the root label, QTYPE, QCLASS
	if end > len(q) {
		return nil, false
	}
	resp := append([]byte(nil), q[:end]...)
	resp[2] = 0x80 | q[2]&0x01 // QR, opcode QUERY, RD as asked
	resp[3] = 0x80 | 3         // RA, RCODE NXDOMAIN
	binary.BigEndian.PutUint16(resp[4:], 1)
	clear(resp[6:header])
	return resp, true
}
