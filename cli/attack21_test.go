package cli

import (
	"strings"
	"testing"
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
