// Package exchangetest holds what the tests of exchange and of the
// packages beside it share. Only tests import it.
package exchangetest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Client is a client on a transport of its own, whose idle connections
// close when the test ends (the leak check would see them otherwise).
func Client(t testing.TB) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// Bearer is a bearer token of value v.
func Bearer(v string) *providers.Token {
	return &providers.Token{Access: secret.New(v), Type: "bearer"}
}

// JSONServer is the URL of a server that answers every request with
// status and the JSON body, after reading the request, until the test
// ends: a token endpoint or an API that says what the test wants it to.
func JSONServer(t testing.TB, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
