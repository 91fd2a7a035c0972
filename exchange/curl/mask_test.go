package curl

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// The exported command masks credential fields at any depth of a JSON
// body, with the rule the screen uses (secret.MaskJSON).
func TestCurlMasksJSONSecrets(t *testing.T) {
	p := &config.Provider{Name: "api", BaseURL: "https://api.example"}
	body := `{"client_secret":"abc123", "name":"x", "nested": {"password" : "p@ss", "list": [{"access_token":"tok"}, "client_secret"]}, "token": 5}`
	c, err := Export(p, exchange.Request{Method: "POST", Target: "/x", Header: []exchange.Field{{Name: "Content-Type", Value: "application/json"}}, Body: body}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Masked {
		t.Error("Masked not set")
	}
	for _, leak := range []string{"abc123", "p@ss", `"tok"`} {
		if strings.Contains(c.Command, leak) {
			t.Errorf("%q still in %s", leak, c.Command)
		}
	}
	for _, keep := range []string{`"name":"x"`, `"password" : "••••"`, `"token": 5`, `"client_secret"]`} {
		if !strings.Contains(c.Command, keep) {
			t.Errorf("%q missing from %s", keep, c.Command)
		}
	}
	c, err = Export(p, exchange.Request{Method: "POST", Target: "/x", Header: []exchange.Field{{Name: "Content-Type", Value: "application/json"}}, Body: `{"name": "x"}`}, Options{})
	if err != nil || c.Masked || !strings.Contains(c.Command, `{"name": "x"}`) {
		t.Errorf("a body without credentials changed: %v %s", err, c.Command)
	}
}

func TestCurlCarriesTheProvidersTLSSettings(t *testing.T) {
	p := &config.Provider{Name: "corp", BaseURL: "https://internal.example", Insecure: true, CAFile: "/etc/ca.pem", CertFile: "/etc/c.pem", KeyFile: "/etc/k.pem"}
	c, err := Export(p, exchange.Request{Method: "GET", Target: "/x"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"curl -k --cacert /etc/ca.pem --cert /etc/c.pem --key /etc/k.pem"} {
		if !strings.Contains(c.Command, want) {
			t.Errorf("%q lacks %q", c.Command, want)
		}
	}
}
