package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// TestTokenNotesNameTheProviderSafely: the warnings and notes a token
// request leads to — endpoints in plain http, a token endpoint discovery
// put on another origin, a token type keyhole cannot prove — name the
// provider, whose name is the config's text: its escapes are shown as
// symbols, like every other line that names it.
func TestTokenNotesNameTheProviderSafely(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "abc123", "token_type": "mac", "expires_in": 3600})
	}))
	defer tokens.Close()
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The issuer is this origin; its token endpoint is another one.
		writeJSON(w, http.StatusOK, map[string]string{"issuer": "http://" + r.Host, "token_endpoint": tokens.URL + "/token"})
	}))
	defer idp.Close()
	h := newHarness(t)
	name := "evil" + attack.Payload
	// revoke_url is never called by keyhole token: it is there to be
	// warned about, in plain http to a host that is not loopback.
	path := h.writeConfig("shared.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.%s]\nbase_url = %q\ngrant = \"client_credentials\"\nissuer = %q\nrevoke_url = \"http://revoke.example.test/revoke\"\nclient_id = \"id\"\nclient_secret = \"s3cr3t-value\"\n",
		tomltext.Quote(name), idp.URL, idp.URL))
	for _, mode := range modes {
		r := runOn(h, mode.tty, "--config", path, "token", name)
		r.expect(t, ExitOK, mode.name+" token")
		checkTerminalSafe(t, mode.name+" token stderr", r.errOut, mode.tty)
		for _, want := range []string{"revoke_url is plain http", "is not on the issuer's origin", "proof or signature"} {
			if !strings.Contains(r.errOut, want) {
				t.Errorf("%s: stderr does not say %q: %q", mode.name, want, r.errOut)
			}
		}
		if n := strings.Count(r.errOut, "evil"+attack.PayloadShownWhole); n != 3 {
			t.Errorf("%s: the provider is named, shown safely, %d times, want 3: %q", mode.name, n, r.errOut)
		}
	}
}
