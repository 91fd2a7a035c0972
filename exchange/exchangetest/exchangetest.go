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

// Do sends req on a Client of its own and returns the response with its
// body read whole: the exchange as the code under test would receive it.
func Do(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := Client(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
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
