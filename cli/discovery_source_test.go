package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDiscoveryRefusalNamesDiscovery: an issuer whose metadata URL answers
// 401 (an API, say, named as the issuer by mistake) or with a page that is
// not JSON is said to be discovery's answer, with the URL asked — not the
// token endpoint's, which keyhole never reached.
func TestDiscoveryRefusalNamesDiscovery(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
		status           int
	}{
		{"401", `{"error":"invalid_token"}`, "answered 401: no metadata there", http.StatusUnauthorized},
		{"not json", `<html>hello</html>`, "answered 200: not JSON metadata", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\nissuer = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"s3cr3t-0123456789\"\n", srv.URL, srv.URL))
			r := h.run("--config", cfg, "token", "api")
			r.expect(t, 2, "token with an issuer that serves no metadata")
			r.errHas(t, "api: discovery at "+srv.URL+"/.well-known/", tc.want)
			if strings.Contains(r.errOut, "token endpoint") {
				t.Errorf("the error blames the token endpoint, which was never asked:\n%s", r.errOut)
			}
		})
	}
}
