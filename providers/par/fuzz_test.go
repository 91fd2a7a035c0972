package par

import (
	"strings"
	"testing"
)

// FuzzParseResponse: whatever a PAR endpoint answers, ParseResponse
// returns a request_uri that is not blank and a lifetime that is not
// negative, or an error; it never panics.
func FuzzParseResponse(f *testing.F) {
	f.Add(201, []byte(`{"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}`))
	f.Add(200, []byte(`{"request_uri":"urn:x","expires_in":1e300}`))
	f.Add(201, []byte(`{"request_uri":null}`))
	f.Add(400, []byte(`{"error":"invalid_request"}`))
	f.Add(201, []byte(`[]`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		r, err := ParseResponse(status, body)
		if err != nil {
			return
		}
		if strings.TrimSpace(r.RequestURI) == "" || r.ExpiresIn < 0 {
			t.Fatalf("accepted %q as %+v", body, r)
		}
	})
}

func TestParseResponse(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		ok     bool
	}{
		{201, `{"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}`, true},
		{200, `{"request_uri":"urn:x"}`, true},
		{201, `{"request_uri":""}`, false},
		{201, `{"request_uri":"urn:x","expires_in":-5}`, false},
		{201, `{"request_uri":"urn:x","expires_in":"60"}`, false},
		{302, `{"request_uri":"urn:x","expires_in":60}`, false},
	} {
		if _, err := ParseResponse(c.status, []byte(c.body)); (err == nil) != c.ok {
			t.Errorf("%d %s: %v", c.status, c.body, err)
		}
	}
}
