package assertion_test

import (
	"crypto/elliptic"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/providers/assertion"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestSignClaimsAndHeader(t *testing.T) {
	rk := rsaKey(t)
	ek := ecKey(t, elliptic.P256())
	hmacKey := strings.Repeat("s", 32)
	now := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name   string
		signer func(t *testing.T) *assertion.Signer
		verify any
		alg    jose.SignatureAlgorithm
		x5t    bool
	}{
		{"RS256", func(t *testing.T) *assertion.Signer { return mustKey(t, pkcs8(t, rk), "kid1", "") }, rk.Public(), jose.RS256, false},
		{"PS256", func(t *testing.T) *assertion.Signer { return mustKey(t, pkcs8(t, rk), "kid1", "PS256") }, rk.Public(), jose.PS256, false},
		{"ES256 with certificate", func(t *testing.T) *assertion.Signer {
			k, err := assertion.ParseKey(pkcs8(t, ek), "kid1", "")
			if err != nil {
				t.Fatal(err)
			}
			if err := k.WithCertificate(selfSigned(t, ek)); err != nil {
				t.Fatal(err)
			}
			return assertion.NewSigner(k)
		}, ek.Public(), jose.ES256, true},
		{"HS256", func(t *testing.T) *assertion.Signer {
			s, err := assertion.NewHMAC(secret.New(hmacKey))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, []byte(hmacKey), jose.HS256, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.signer(t)
			c := assertion.Claims{Issuer: "client", Subject: "client", Audience: "https://as.example/token", Extra: map[string]any{"tid": "t1", "iss": "forged", "exp": 1}}
			a1, err := s.Sign(c, now)
			if err != nil {
				t.Fatal(err)
			}
			a2, _ := s.Sign(c, now)
			jws, err := jose.ParseSignedCompact(a1.Reveal(), []jose.SignatureAlgorithm{tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			payload, err := jws.Verify(tc.verify)
			if err != nil {
				t.Fatalf("signature: %v", err)
			}
			h := jws.Signatures[0].Protected
			if h.ExtraHeaders["typ"] != "JWT" {
				t.Errorf("typ %v", h.ExtraHeaders["typ"])
			}
			if tc.alg != jose.HS256 && h.KeyID != "kid1" {
				t.Errorf("kid %q", h.KeyID)
			}
			if _, ok := h.ExtraHeaders["x5t#S256"]; ok != tc.x5t {
				t.Errorf("x5t#S256 present = %v", ok)
			}
			var got map[string]any
			if err := json.Unmarshal(payload, &got); err != nil {
				t.Fatal(err)
			}
			if got["iss"] != "client" || got["sub"] != "client" || got["aud"] != "https://as.example/token" || got["tid"] != "t1" {
				t.Errorf("claims %v", got)
			}
			if got["iat"] != float64(now.Unix()) || got["exp"] != float64(now.Add(assertion.Lifetime).Unix()) {
				t.Errorf("iat %v exp %v", got["iat"], got["exp"])
			}
			var other map[string]any
			jws2, _ := jose.ParseSignedCompact(a2.Reveal(), []jose.SignatureAlgorithm{tc.alg})
			_ = json.Unmarshal(jws2.UnsafePayloadWithoutVerification(), &other)
			if got["jti"] == "" || got["jti"] == other["jti"] {
				t.Errorf("jti %v then %v: want unique", got["jti"], other["jti"])
			}
		})
	}
}

func mustKey(t *testing.T, data []byte, kid, alg string) *assertion.Signer {
	t.Helper()
	k, err := assertion.ParseKey(data, kid, alg)
	if err != nil {
		t.Fatal(err)
	}
	return assertion.NewSigner(k)
}

func TestHMACNeedsThirtyTwoBytes(t *testing.T) {
	if _, err := assertion.NewHMAC(secret.New(strings.Repeat("s", 31))); err == nil || !strings.Contains(err.Error(), "31 bytes") {
		t.Fatalf("31 bytes: err = %v", err)
	}
}
