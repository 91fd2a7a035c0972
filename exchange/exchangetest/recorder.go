package exchangetest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Received is one request as a test server received it.
type Received struct {
	Method string
	// URI is the request target as it came on the wire: path and query,
	// escaped as the client escaped them.
	URI string
	// Path and Query are the URI's path, unescaped, and raw query.
	Path, Query string
	Header      http.Header
	Body        string
}

// Recorder is a server on 127.0.0.1, closed when the test ends, that keeps
// every request it receives and then answers it: the API of a test that
// checks what was sent.
type Recorder struct {
	*httptest.Server
	mu  sync.Mutex
	all []Received
}

// NewRecorder starts a Recorder that answers with respond, which may read
// the request's body again; a nil respond answers {"ok":true} as JSON.
func NewRecorder(t testing.TB, respond http.HandlerFunc) *Recorder {
	t.Helper()
	if respond == nil {
		respond = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true}`)
		}
	}
	rec := &Recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.all = append(rec.all, Received{Method: r.Method, URI: r.RequestURI, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)})
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		respond(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// All returns every request received so far, in the order they came.
func (rec *Recorder) All() []Received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]Received(nil), rec.all...)
}

// Last returns the last request received and how many came in all.
func (rec *Recorder) Last() (Received, int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.all) == 0 {
		return Received{}, 0
	}
	return rec.all[len(rec.all)-1], len(rec.all)
}

// Headers returns the header name of every request received so far, in
// order: the Authorization each call carried, say.
func (rec *Recorder) Headers(name string) []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]string, len(rec.all))
	for i, r := range rec.all {
		out[i] = r.Header.Get(name)
	}
	return out
}
