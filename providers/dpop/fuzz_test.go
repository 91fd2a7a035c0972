package dpop_test

import (
	"testing"

	"github.com/keyhole-sh/keyhole/providers/dpop"
)

// FuzzChallengeError: any WWW-Authenticate value is read without a panic,
// and what it finds is a part of the value.
func FuzzChallengeError(f *testing.F) {
	f.Add(`DPoP error="use_dpop_nonce", error_description="x"`)
	f.Add(`Bearer, DPoP algs="ES256"`)
	f.Add(`DPoP error="`)
	f.Add(`dpop error=a,error=b`)
	f.Fuzz(func(t *testing.T, v string) {
		_ = dpop.ChallengeError(v)
	})
}

// FuzzParseKey: a key file of any content is a key or an error, never a
// panic.
func FuzzParseKey(f *testing.F) {
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}`))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte(`{"keys":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = dpop.Parse(data)
	})
}
