package model

import (
	"strings"
	"testing"
)

// TestAuthTokenOriginIsNeverACapture: in the TUI as in keyhole run, a
// captured value (C on a response, an @capture) that makes the URL's
// host does not choose where a $auth.token goes: the send is refused,
// nothing dialled. It went to whatever origin the server had answered.
func TestAuthTokenOriginIsNeverACapture(t *testing.T) {
	api := newCollAPI(t)
	other := newCollAPI(t)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{}, 120, 40)
	m.setCapture("next", other.URL+"/steal", false)
	for _, c := range []struct{ url, header string }{
		{"{{next}}", `Authorization: Bearer {{$auth.token("api")}}`},
		{"{{next}}?access_token={{$auth.token(\"api\")}}", ""},
	} {
		m.composer.SetRequest("GET", c.url, c.header, "")
		m = settle(t, m)
		m = run(t, m, press("ctrl+s"))
		if n := len(other.All()); n != 0 {
			t.Fatalf("%s: the origin a capture named got %d requests", c.url, n)
		}
		if m.ex == nil || m.ex.Err == nil || !strings.Contains(m.ex.Err.Error(), "server's answer") || m.ex.Sent.URL != nil {
			t.Errorf("%s: not refused: %q %+v", c.url, m.notice, m.ex)
		}
	}
}
