package assertion_test

import (
	"crypto/elliptic"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/assertion"
)

// FuzzParseKey feeds the key reader whatever a key file might hold: it
// must return a key or a Problem, never panic.
func FuzzParseKey(f *testing.F) {
	f.Add(pkcs8(f, ecKey(f, elliptic.P256())), "", "")
	f.Add(jwkJSON(f, ecKey(f, elliptic.P256()), "k", "ES256"), "k", "")
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256"}]}`), "", "ES256")
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"), "", "RS256")
	f.Fuzz(func(t *testing.T, data []byte, kid, alg string) {
		k, err := assertion.ParseKey(data, kid, alg)
		if err == nil && k == nil {
			t.Fatal("no key and no error")
		}
	})
}
