package exchange

import (
	"strings"
	"testing"
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
