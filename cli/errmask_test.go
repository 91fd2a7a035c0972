package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/faults"
)

// TestRequestErrorsMaskTheProvidersSecrets: an error that quotes the URL
// of a request — a send that fails, an address that does not parse —
// masks the provider's own client secret when the person typed it into
// the URL, as every other stderr line does; the exit code and the hint
// are the error's.
func TestRequestErrorsMaskTheProvidersSecrets(t *testing.T) {
	const clientSecret = "cli-err-client/secret-0619"
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "cli-err-token-0619", "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokens.Close()
	dead := faults.ClosedURL(t)
	// The secret as the password of dead's URL: its '/' makes it unparsable.
	unparsable := strings.Replace(dead, "//", "//me:"+clientSecret+"@", 1) + "/x"
	h := newHarness(t)
	h.vars["CS"] = clientSecret
	cfg := h.writeConfig("p.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\ntoken_url = %q\n", tokens.URL, tokens.URL+"/token"))
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		saying string
	}{
		{"failed send", []string{"call", "p", "GET", dead + "/x?mine=" + clientSecret, "--send-token"}, ExitNetwork, "connection refused"},
		{"failed send, no token", []string{"call", "p", "GET", dead + "/x?mine=" + clientSecret}, ExitNetwork, "connection refused"},
		{"unparsable URL", []string{"call", "p", "GET", unparsable}, ExitUsage, "URL"},
		{"unparsable URL, curl", []string{"curl", "p", "GET", unparsable}, ExitUsage, "URL"},
	} {
		r := h.run(append([]string{"--config", cfg}, c.args...)...)
		r.expect(t, c.code, c.name)
		if !strings.Contains(r.errOut, c.saying) {
			t.Errorf("%s: stderr does not say %q: %s", c.name, c.saying, r.errOut)
		}
		for _, form := range []string{clientSecret, "cli-err-client%2Fsecret", "secret-0619"} {
			if strings.Contains(r.errOut+r.out, form) {
				t.Errorf("%s: the client secret is shown as %q:\n%s%s", c.name, form, r.out, r.errOut)
			}
		}
	}
}

// TestURLFromAVarDoesNotQuoteASecret: a URL key whose ${VAR} names a
// secret by mistake (token_url = "${CS}", the variable client_secret
// takes) is refused with the file, line and key — without quoting the
// secret it expanded to, in keyhole providers' table or on stderr.
func TestURLFromAVarDoesNotQuoteASecret(t *testing.T) {
	const clientSecret = "url-var-client/secret+0733"
	h := newHarness(t)
	h.vars["CS"] = clientSecret
	cfg := h.writeConfig("v.toml", "[providers.v]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\ntoken_url = \"${CS}\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\n")
	for _, args := range [][]string{{"providers"}, {"providers", "--json"}, {"token", "v"}} {
		r := h.run(append([]string{"--config", cfg}, args...)...)
		all := r.out + r.errOut
		if !strings.Contains(all, "v.toml:4: providers.v.token_url: with ${CS} expanded") {
			t.Errorf("%v: the error does not name the file, line and key:\n%s", args, all)
		}
		for _, form := range []string{clientSecret, "url-var-client", "secret+0733", `url-var-client\/secret`} {
			if strings.Contains(all, form) {
				t.Errorf("%v: the client secret is quoted as %q:\n%s", args, form, all)
			}
		}
	}
}

// TestWhy401DoesNotQuoteTheProvidersSecret: the 401 doctor quotes the
// server's challenge and message; an API echoing what it was sent there
// echoes the provider's own client secret when the person typed it into
// a header: the "why:" lines mask it, as the rest of stderr does.
func TestWhy401DoesNotQuoteTheProvidersSecret(t *testing.T) {
	const clientSecret = "why-401-client-secret-0815"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			writeJSON(w, http.StatusOK, map[string]any{"access_token": "why-401-token-0815", "token_type": "Bearer", "expires_in": 3600})
			return
		}
		echo := r.Header.Get("X-Client")
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="unknown client `+echo+`"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "unknown client " + echo})
	}))
	defer srv.Close()
	h := newHarness(t)
	h.vars["CS"] = clientSecret
	cfg := h.writeConfig("p.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\ntoken_url = %q\n", srv.URL, srv.URL+"/token"))
	r := h.run("--config", cfg, "call", "p", "GET", "/x", "-H", "X-Client: "+clientSecret)
	r.expect(t, 4, "call")
	if !strings.Contains(r.errOut, "why: ") || !strings.Contains(r.errOut, "unknown client") {
		t.Fatalf("the doctor does not quote the server:\n%s", r.errOut)
	}
	if strings.Contains(r.errOut, clientSecret[:10]) {
		t.Errorf("the why lines show the client secret:\n%s", r.errOut)
	}
}
