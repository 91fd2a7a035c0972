// Package exchangetest holds what the tests of exchange and of the
// packages beside it share. Only tests import it.
package exchangetest

import (
	"net/http"
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
