package spectest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Server is a web server on 127.0.0.1 that serves a spec the way the
// tests of loading one by URL need, and records every request it gets:
//
//   - /openapi.json: the spec, with an ETag ("v1" at first), or 304 Not
//     Modified to an If-None-Match that names the current one;
//   - /moved.json: a redirect to the moved URL given to NewServer;
//   - /broken.json: 502 Bad Gateway;
//   - anything else: {} as JSON, an API call's answer.
type Server struct {
	*httptest.Server
	moved string

	mu       sync.Mutex
	spec     []byte
	etag     string
	requests []*http.Request
}

// NewServer starts a Server of spec whose /moved.json redirects to moved
// (a path on the server, or another URL), closed when t ends.
func NewServer(t testing.TB, spec []byte, moved string) *Server {
	t.Helper()
	s := &Server{moved: moved, spec: spec, etag: `"v1"`}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	switch r.URL.Path {
	case "/openapi.json":
	case "/moved.json":
		http.Redirect(w, r, s.moved, http.StatusFound)
		return
	case "/broken.json":
		http.Error(w, "down", http.StatusBadGateway)
		return
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
		return
	}
	if r.Header.Get("If-None-Match") == s.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", s.etag)
	_, _ = w.Write(s.spec)
}

// SetSpec changes the spec served, and its ETag.
func (s *Server) SetSpec(spec []byte, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spec, s.etag = spec, etag
}

// Requests are the requests the server got, oldest first.
func (s *Server) Requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...)
}

// Last is the latest request the server got; the test fails without one.
func (s *Server) Last(t testing.TB) *http.Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		t.Fatal("the spec server got no request")
	}
	return reqs[len(reqs)-1]
}
