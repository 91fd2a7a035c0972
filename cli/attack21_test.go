package cli

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/internal/proxychild"
)

// TestRunMasksASecretAsItIsEncodedInTheURL: a private env value with a
// space and a '!' goes percent-encoded in the URL's query; the URL run
// prints masks it as sent, not only as written.
func TestRunMasksASecretAsItIsEncodedInTheURL(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n")
	file := h.writeHTTP("api/t.http", "GET {{host}}/x?q={{key}}\n\n###\n\nPOST {{host}}/f\nContent-Type: application/x-www-form-urlencoded\n\nq={{key}}\n")
	h.writeConfig("api/http-client.env.json", `{"b": {"host": "`+es.URL+`"}}`)
	h.writeConfig("api/http-client.private.env.json", `{"b": {"key": "open sesame!"}}`)
	r := h.run("--config", cfg, "run", file, "--env", "b", "--json")
	r.expect(t, ExitOK, "a secret with a space")
	got, n := es.lastRequest()
	if n != 2 || got.Body != "q=open%20sesame!" {
		t.Fatalf("%d requests, last %+v", n, got)
	}
	for _, leak := range []string{"open sesame", "open%20sesame", "sesame"} {
		if strings.Contains(r.out+r.errOut, leak) {
			t.Errorf("the secret leaked as %q:\n%s%s", leak, r.out, r.errOut)
		}
	}
}

// TestRunAuthTokenRefusesANonASCIIHost: a $auth.token request to a host
// written with a Cyrillic "а" (https://аpi.example.test) is not sent: the
// origin run prints would pass for the Latin https://api.example.test,
// while the token goes to the xn-- name dialled. It was printed so and
// sent. The proxy the child is given refuses every connection: nothing is
// looked up or reached.
func TestRunAuthTokenRefusesANonASCIIHost(t *testing.T) {
	closed := faults.ClosedURL(t)
	proxychild.Run(t, "TestRunAuthTokenRefusesANonASCIIHostChild", "HTTP_PROXY="+closed, "HTTPS_PROXY="+closed)
}

// TestRunAuthTokenRefusesANonASCIIHostChild is the other half of
// TestRunAuthTokenRefusesANonASCIIHost; on its own it does nothing.
func TestRunAuthTokenRefusesANonASCIIHostChild(t *testing.T) {
	proxychild.Child(t)
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-secret-123", ""))
	for _, host := range []string{"\u0430pi.example.test", "api.ex%D0%B0mple.test"} {
		file := h.writeHTTP("t.http", "GET https://"+host+"/x\nAuthorization: Bearer {{$auth.token(\"api\")}}\n")
		r := h.run("--config", cfg, "run", file)
		r.expect(t, ExitUsage, "a host not in ASCII")
		if strings.Contains(r.out, "token sent to") || !strings.Contains(r.out+r.errOut, "a token goes only to a host written in ASCII") {
			t.Errorf("%s: not refused as it should be:\n%s%s", host, r.out, r.errOut)
		}
	}
}
