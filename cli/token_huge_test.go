package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTokenAnswerTooBig: a token endpoint whose answer is larger than
// keyhole reads (1 MiB: a 2 MiB token, or a page that is no token
// endpoint) is exit 2 saying so, for the grants x/oauth2 asks and for
// those keyhole asks itself. It said "cannot parse json: unexpected end of
// JSON input" and that the answer held no access_token.
func TestTokenAnswerTooBig(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": strings.Repeat("A", 2<<20), "token_type": "Bearer", "expires_in": 3600})
	}))
	defer srv.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", `[providers.cc]
base_url = "`+srv.URL+`"
grant = "client_credentials"
token_url = "`+srv.URL+`/token"
client_id = "c"
client_secret = "s"

[providers.custom]
base_url = "`+srv.URL+`"
grant = "custom"
  [providers.custom.login]
  method = "POST"
  url = "`+srv.URL+`/login"
`)
	for _, name := range []string{"cc", "custom"} {
		r := h.run("--config", cfg, "token", name)
		r.expect(t, ExitToken, name)
		r.errHas(t, "larger than 1 MiB")
		if strings.Contains(r.errOut, "unexpected end of JSON") || strings.Contains(r.errOut, "without an access_token") {
			t.Errorf("%s: the error blames the answer's form:\n%s", name, r.errOut)
		}
	}
}
