// Package collectiontest holds what the tests of the collection packages
// share: a server on 127.0.0.1 that gives every request the same answer
// (exchangetest.Do reads it as a run receives it). Only tests import it.
package collectiontest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Answer is what the server says to every request: a test makes it
// hostile (credentials in the body or a cookie, a header repeated, an
// escape in a value) to see what a check or a reference does with it.
type Answer struct {
	Status int // 200 when 0
	Header http.Header
	Body   string
}

// Serve starts a server on 127.0.0.1 that reads each request and gives
// it a, until the test ends, and returns its URL.
func (a Answer) Serve(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		for k, vs := range a.Header {
			w.Header()[k] = vs
		}
		if a.Status != 0 {
			w.WriteHeader(a.Status)
		}
		_, _ = io.WriteString(w, a.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
