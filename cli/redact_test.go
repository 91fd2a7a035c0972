package cli

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/faults"
)

// leakForms are the forms a secret would show in.
func leakForms(s string) []string { return attack.LeakForms(s) }

// assertNoLeak fails when text holds any form of any secret, or the first
// ten bytes of one (a secret cut in half by an excerpt's end).
func assertNoLeak(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range append(leakForms(s), s[:10]) {
			if strings.Contains(text, f) {
				t.Errorf("%s holds the secret %q as %q:\n%s", where, s, f, text)
			}
		}
	}
}

// The secrets of the hostile token endpoints below. clientSecret has a '/'
// and a '+', which percent-encoding, JSON's \/ and base64 all change.
const (
	clientSecret = "cs/hostile+secret>>>?0123456789"
	appSecret    = "envapp-98765-secret-value"
	varSecret    = "envvar-24680-secret-value"
	literalApp   = "litapp-13579-secret-value"
)

// TestTokenErrorsNeverShowTheSecret drives `keyhole token` against token
// endpoints that echo the credentials they were sent in every field of
// their error answer — the RFC 6749 error code, the vendor's code field,
// error_uri, a raw body cut at the excerpt's end — and in every encoding,
// and that put a token in a failed answer. Nothing of it reaches stderr.
func TestTokenErrorsNeverShowTheSecret(t *testing.T) {
	h := newHarness(t)
	h.vars["CLIENT_SECRET"] = clientSecret
	h.vars["APP_SECRET"] = appSecret
	h.vars["VAR_SECRET"] = varSecret
	q := url.QueryEscape(clientSecret)
	// cc is a client-credentials provider that sends ${CLIENT_SECRET};
	// keys are its others (client_auth, …).
	cc := func(keys string) string {
		return "grant = \"client_credentials\"\nclient_id = \"cid\"\nclient_secret = \"${CLIENT_SECRET}\"\n" + keys + "token_url = \"URL\"\n"
	}
	cases := []struct {
		name   string
		status int
		answer string
		// provider is the TOML after [providers.p] with URL for token_url.
		provider string
		want     string // what stderr must still say
	}{
		{
			name: "RFC 6749 error code (x/oauth2)", status: 400,
			answer:   `{"error":"` + clientSecret + `","error_description":"bad","error_uri":"https://e.test/?s=` + q + `"}`,
			provider: cc(""),
			want:     "bad",
		},
		{
			name: "RFC 6749 error code (by hand)", status: 401,
			answer:   `{"error":"` + clientSecret + `"}`,
			provider: cc("client_auth = \"basic_raw\"\n"),
			want:     "401",
		},
		{
			name: "vendor code field", status: 200,
			answer:   `{"code":"` + appSecret + `","message":"login refused"}`,
			provider: "grant = \"custom\"\nlogin = { method = \"POST\", url = \"URL\", json = { appId = \"a\", appSecret = \"${APP_SECRET}\" } }\ntoken_response = { access_token = \"detail.token\", ok = \"code == 0\", error = \"message\" }\n",
			want:     "login refused",
		},
		{
			name: "lower-case percent escapes", status: 400,
			answer:   `{"error":"invalid_client","error_description":"client_secret ` + strings.ToLower(q) + ` refused"}`,
			provider: cc(""),
			want:     "invalid_client",
		},
		{
			name: `JSON with \/ in a body excerpt`, status: 502,
			answer:   `{"detail":"upstream refused ` + strings.ReplaceAll(clientSecret, "/", `\/`) + `"}`,
			provider: cc("client_auth = \"post\"\ntoken_response = { expires_in = \"ttl\" }\n"),
			want:     "upstream refused",
		},
		{
			name: "unpadded base64", status: 403,
			answer:   `{"error":"access_denied","error_description":"seen ` + base64.RawStdEncoding.EncodeToString([]byte(clientSecret)) + `"}`,
			provider: cc(""),
			want:     "access_denied",
		},
		{
			name: "secret across the excerpt's end", status: 500,
			answer:   `<html>` + strings.Repeat("x", 282) + clientSecret + `</html>`,
			provider: cc("client_auth = \"basic_raw\"\n"),
			want:     "500",
		},
		{
			name: "tokens in a failed answer", status: 500,
			answer:   `{"access_token":"leaked-access-token-abcdef","refresh_token":"leaked-refresh-token-abcdef","note":"failed"}`,
			provider: cc("client_auth = \"basic_raw\"\n"),
			want:     "failed",
		},
		{
			name: "a ${VAR} value in vars, sent in a custom login", status: 401,
			answer:   `{"message":"no such key ` + varSecret + `"}`,
			provider: "grant = \"custom\"\nvars = { key = \"${VAR_SECRET}\" }\nlogin = { method = \"POST\", url = \"URL\", json = { apiKey = \"{{key}}\" } }\ntoken_response = { access_token = \"token\", error = \"message\" }\n",
			want:     "no such key",
		},
		{
			name: "a literal secret in login", status: 200,
			answer:   `{"code":1,"message":"wrong appSecret ` + literalApp + `"}`,
			provider: "grant = \"custom\"\nlogin = { method = \"POST\", url = \"URL\", json = { appId = \"a\", appSecret = \"" + literalApp + "\" } }\ntoken_response = { access_token = \"token\", ok = \"code == 0\", error = \"message\" }\n",
			want:     "wrong appSecret",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := exchangetest.JSONServer(t, c.status, c.answer)
			cfg := h.writeConfig("hostile.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = \""+base+"\"\n"+strings.ReplaceAll(c.provider, "URL", base+"/token"))
			r := h.run("token", "--config", cfg, "p")
			r.expect(t, ExitToken, c.name)
			if !strings.Contains(r.errOut, c.want) {
				t.Errorf("stderr lacks %q: the failure did not happen as planned:\n%s", c.want, r.errOut)
			}
			assertNoLeak(t, "stderr", r.errOut, clientSecret, appSecret, varSecret, literalApp,
				"leaked-access-token-abcdef", "leaked-refresh-token-abcdef")
		})
	}
}

// TestLiteralLoginSecretWarning: a secret written into a custom login or
// token_params, not only client_secret, is what the world-readable config
// warning is about.
func TestLiteralLoginSecretWarning(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("loose.toml", "[providers.v]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"custom\"\n"+
		"login = { method = \"POST\", url = \"http://127.0.0.1:1/auth\", json = { appId = \"a\", appSecret = \""+literalApp+"\" } }\n"+
		"token_params = { api_password = \"literal-pw-2468\", Type = \"oauth2\" }\n")
	if err := os.Chmod(cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	r := h.run("providers", "--config", cfg)
	for _, key := range []string{"providers.v.login.json.appSecret", "providers.v.token_params.api_password"} {
		if !strings.Contains(r.errOut, key) {
			t.Errorf("the warning does not name %s:\n%s", key, r.errOut)
		}
	}
	for _, key := range []string{"appId", "Type"} {
		if strings.Contains(r.errOut, key) {
			t.Errorf("the warning names %s, which is no secret:\n%s", key, r.errOut)
		}
	}
	assertNoLeak(t, "stderr", r.errOut, literalApp, "literal-pw-2468")
}

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
