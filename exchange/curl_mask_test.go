package exchange

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
)

func TestMaskJSONSecrets(t *testing.T) {
	in := `{"client_secret":"abc123", "name":"x", "nested": {"password" : "p@ss", "list": [{"access_token":"tok"}, "client_secret"]}, "token": 5}`
	out, changed := maskJSONSecrets(in)
	if !changed {
		t.Fatal("nothing masked")
	}
	for _, leak := range []string{"abc123", "p@ss", `"tok"`} {
		if strings.Contains(out, leak) {
			t.Errorf("%q still in %s", leak, out)
		}
	}
	for _, keep := range []string{`"name":"x"`, `"password" : "••••"`, `"token": 5`, `"client_secret"]`} {
		if !strings.Contains(out, keep) {
			t.Errorf("%q missing from %s", keep, out)
		}
	}
	if got, changed := maskJSONSecrets(`{"name": "x"}`); changed || got != `{"name": "x"}` {
		t.Errorf("a body without credentials changed: %s", got)
	}
	if got, _ := maskJSONSecrets(`not json "password":"x"`); got != `not json "password":"x"` {
		t.Errorf("non-JSON changed: %s", got)
	}
}

func TestCurlCarriesTheProvidersTLSSettings(t *testing.T) {
	p := &providers.Provider{Name: "corp", BaseURL: "https://internal.example", Insecure: true, CAFile: "/etc/ca.pem", CertFile: "/etc/c.pem", KeyFile: "/etc/k.pem"}
	c, err := CurlCommand(p, Request{Method: "GET", Target: "/x"}, CurlOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"curl -k --cacert /etc/ca.pem --cert /etc/c.pem --key /etc/k.pem"} {
		if !strings.Contains(c.Command, want) {
			t.Errorf("%q lacks %q", c.Command, want)
		}
	}
}
