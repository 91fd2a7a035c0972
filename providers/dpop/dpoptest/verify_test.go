package dpoptest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// unwrap joins a figure of RFC 8792 "\" line wrapping.
func unwrap(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimSuffix(strings.TrimSpace(line), `\`))
	}
	return b.String()
}

// The proofs of RFC 9449: Figure 1 (§4.1, also the token request of §5),
// the refresh request of §5, and the resource request of §7.1 with its
// access token. Copied from the RFC's text.
var (
	rfcTokenProof = unwrap(`eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik\
 VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR\
 nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE\
 QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj\
 oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia\
 WF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg\
 4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg`)
	rfcRefreshProof = unwrap(`eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik\
 VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR\
 nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE\
 QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj\
 oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia\
 WF0IjoxNTYyMjY1Mjk2fQ.pAqut2IRDm_De6PR93SYmGBPXpwrAk90e8cP2hjiaG5Qs\
 GSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA`)
	rfcResourceProof = unwrap(`eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik\
 VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR\
 nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE\
 QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj\
 oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z\
 WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF\
 c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E\
 OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA`)
	// rfcAccess is §5's access token; rfcJKT the cnf.jkt of §6.1, "the
	// hash of the public key from the DPoP proofs in the examples".
	rfcAccess = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
	rfcATH    = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
	rfcJKT    = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
)

func TestVerifierAcceptsRFC9449Examples(t *testing.T) {
	cases := []struct {
		name  string
		proof string
		e     Expect
	}{
		{"§4.1 token request", rfcTokenProof, Expect{Method: "POST", URL: "https://server.example.com/token", Now: time.Unix(1562262616, 0)}},
		{"§5 refresh request", rfcRefreshProof, Expect{Method: "POST", URL: "https://server.example.com/token", Now: time.Unix(1562265296, 0)}},
		{"§7.1 resource request", rfcResourceProof, Expect{Method: "GET", URL: "https://resource.example.org/protectedresource", Now: time.Unix(1562262618, 0), Access: rfcAccess, JKT: rfcJKT}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Verify([]string{c.proof}, c.e)
			if err != nil {
				t.Fatalf("the RFC's own example is refused: %v", err)
			}
			if p.JKT != rfcJKT {
				t.Errorf("jkt %s, want the RFC's %s", p.JKT, rfcJKT)
			}
		})
	}
	if got := ATH(rfcAccess); got != rfcATH {
		t.Errorf("ath of the RFC's token: %s, want %s", got, rfcATH)
	}
}

// The verifier must refuse what RFC 9449 §4.3 refuses, or accepting our
// proofs would prove nothing.
func TestVerifierRefusesAlteredExamples(t *testing.T) {
	ok := Expect{Method: "GET", URL: "https://resource.example.org/protectedresource", Now: time.Unix(1562262618, 0), Access: rfcAccess, JKT: rfcJKT}
	parts := strings.Split(rfcResourceProof, ".")
	var claims map[string]any
	data, _ := base64.RawURLEncoding.DecodeString(parts[1])
	_ = json.Unmarshal(data, &claims)
	claims["htm"] = "POST"
	forged, _ := json.Marshal(claims)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]

	cases := map[string]struct {
		values []string
		e      func(Expect) Expect
	}{
		"two headers":     {[]string{rfcResourceProof, rfcResourceProof}, nil},
		"payload altered": {[]string{tampered}, func(e Expect) Expect { e.Method = "POST"; return e }},
		"other method":    {[]string{rfcResourceProof}, func(e Expect) Expect { e.Method = "POST"; return e }},
		"other url":       {[]string{rfcResourceProof}, func(e Expect) Expect { e.URL = "https://resource.example.org/other"; return e }},
		"too late":        {[]string{rfcResourceProof}, func(e Expect) Expect { e.Now = e.Now.Add(time.Hour); return e }},
		"other token":     {[]string{rfcResourceProof}, func(e Expect) Expect { e.Access = "other"; return e }},
		"other key":       {[]string{rfcResourceProof}, func(e Expect) Expect { e.JKT = "AAAA"; return e }},
		"nonce missing":   {[]string{rfcResourceProof}, func(e Expect) Expect { e.Nonce = "n-1"; return e }},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := ok
			if c.e != nil {
				e = c.e(e)
			}
			if _, err := Verify(c.values, e); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	// The query is no part of htu (§4.3 check 9).
	e := ok
	e.URL += "?page=2#top"
	if _, err := Verify([]string{rfcResourceProof}, e); err != nil {
		t.Errorf("a query refused: %v", err)
	}
}

// RFC 7638 §3.1's example: the RSA key and its thumbprint, as
// golang.org/x/crypto/acme's jws_test.go (TestJWKThumbprintRSA) carries
// them.
func TestThumbprintRFC7638Example(t *testing.T) {
	jwk := map[string]any{
		"kty": "RSA",
		"n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAt" +
			"VT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6" +
			"4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD" +
			"W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9" +
			"1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINH" +
			"aQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
		"e":   "AQAB",
		"alg": "RS256",
		"kid": "2011-04-29",
	}
	got, err := Thumbprint(jwk)
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
}
