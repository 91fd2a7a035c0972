package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/proxychild"
)

// TestCallDoesNotFollowARedirectToAnotherOrigin: an API's 307 to another
// origin is printed, not followed, with the token in a custom header.
func TestCallDoesNotFollowARedirectToAnotherOrigin(t *testing.T) {
	h := newHarness(t)
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
	}))
	t.Cleanup(thief.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	cfg := h.writeConfig("redirect.toml", staticConfig("api", api.URL, "origin-bound-token-5150", `inject = { header = "X-Api-Key", prefix = "" }`+"\n"))
	for _, method := range []string{"GET", "POST"} {
		r := h.run("call", "--config", cfg, "-i", "api", method, "/things", "-d", `{"a":1}`)
		r.expect(t, ExitOK, method)
		if !strings.Contains(r.out, "307") || !strings.Contains(r.out, thief.URL+"/collect") {
			t.Errorf("%s: the 307 and its Location are not shown:\n%s", method, r.out)
		}
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the other origin got %d requests", n)
	}
}

// TestTokenTypesOnTheCommandLine: a token endpoint's "Bearer Bearer" is
// sent as one scheme, and a mac token is sent with its scheme and a
// warning, once, on stderr; stdout keeps only the token.
func TestTokenTypesOnTheCommandLine(t *testing.T) {
	for _, c := range []struct {
		tokenType, sent string
		warn            bool
	}{
		{"Bearer Bearer", "Bearer abc123", false},
		{"mac", "mac abc123", true},
		{"DPoP", "DPoP abc123", true},
	} {
		t.Run(c.tokenType, func(t *testing.T) {
			h := newHarness(t)
			var mu sync.Mutex
			var got []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/token" {
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"access_token":"abc123","token_type":%q,"expires_in":3600}`, c.tokenType)
					return
				}
				mu.Lock()
				got = append(got, r.Header.Get("Authorization"))
				mu.Unlock()
			}))
			t.Cleanup(srv.Close)
			cfg := h.writeConfig("types.toml", fmt.Sprintf("[providers.x]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"id\"\nclient_secret = \"s\"\n", srv.URL, srv.URL+"/token"))
			for _, args := range [][]string{{"token", "x"}, {"call", "x", "GET", "/me"}} {
				r := h.run(append([]string{"--config", cfg}, args...)...)
				r.expect(t, ExitOK, args[0])
				if n := strings.Count(r.errOut, "proof or signature"); (n == 1) != c.warn || n > 1 {
					t.Errorf("%s: warned %d times, want %v:\n%s", args[0], n, c.warn, r.errOut)
				}
				if args[0] == "token" && r.out != "abc123\n" {
					t.Errorf("token printed %q", r.out)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0] != c.sent {
				t.Errorf("Authorization %q, want %q", got, c.sent)
			}
		})
	}
}

// onExampleAPI is a [providers.NAME] table on https://api.example.test, a
// host no test reaches: base_url, grant, then the given key = value lines
// in order, from the table's fourth line on.
func onExampleAPI(name, grant string, lines ...string) string {
	return fmt.Sprintf("[providers.%s]\nbase_url = \"https://api.example.test\"\ngrant = %q\n%s\n", name, grant, strings.Join(lines, "\n"))
}

// TestProvidersMarksPlainHTTPEndpoints: no network is needed to see that
// a token endpoint is plain http to a host that is not loopback.
func TestProvidersMarksPlainHTTPEndpoints(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("clear.toml", onExampleAPI("clear", "password",
		`token_url = "http://auth.example.test/token"`, `username = "u"`, `password = "p"`, `client_id = "id"`)+`
[providers.local]
base_url = "http://127.0.0.1:1"
grant = "client_credentials"
token_url = "http://localhost:1/token"
client_id = "id"
client_secret = "s"
`)
	r := h.run("providers", "--config", cfg)
	r.expect(t, ExitOK, "providers")
	for _, line := range strings.Split(r.out, "\n") {
		switch {
		case strings.HasPrefix(line, "clear ") && !strings.Contains(line, "(plain http: token_url)"):
			t.Errorf("clear is not marked: %q", line)
		case strings.HasPrefix(line, "local ") && strings.Contains(line, "plain http"):
			t.Errorf("a loopback endpoint is marked: %q", line)
		}
	}
	r = h.run("providers", "--config", cfg, "--json")
	var list []providerInfo
	if err := json.Unmarshal([]byte(r.out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 2 || strings.Join(list[0].PlainHTTP, ",") != "token_url" || list[1].PlainHTTP != nil {
		t.Errorf("--json: %+v", list)
	}
}

// TestPlainHTTPThroughAProxy runs TestPlainHTTPChild in a child process
// whose HTTP_PROXY is a server of this test: Go reads the proxy settings
// once per process and never for a loopback host, and the child's
// providers live on names that only this proxy answers.
func TestPlainHTTPThroughAProxy(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/.well-known/openid-configuration":
			fmt.Fprint(w, `{"issuer":"http://idp.example.test","token_endpoint":"http://tokens.example.test/token"}`)
		case r.URL.Path == "/token":
			fmt.Fprint(w, `{"access_token":"abc123","token_type":"Bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(idp.Close)
	proxychild.Run(t, "TestPlainHTTPChild", "HTTP_PROXY="+idp.URL, "HTTPS_PROXY="+idp.URL)
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"GET http://idp.example.test/.well-known/openid-configuration", "POST http://tokens.example.test/token", "POST http://auth.example.test/token"} {
		if !slices.Contains(seen, want) {
			t.Errorf("the proxy saw %q, not %q", seen, want)
		}
	}
}

// TestPlainHTTPChild is TestPlainHTTPThroughAProxy's other half; on its
// own it does nothing.
func TestPlainHTTPChild(t *testing.T) {
	proxychild.Child(t)
	h := newHarness(t)
	cfg := h.writeConfig("clear.toml",
		onExampleAPI("configured", "client_credentials", `token_url = "http://auth.example.test/token"`, `client_id = "id"`, `client_secret = "s"`)+"\n"+
			onExampleAPI("discovered", "client_credentials", `issuer = "http://idp.example.test"`, `client_id = "id"`, `client_secret = "s"`))
	// From the config: said before the token request.
	r := h.run("--config", cfg, "token", "configured")
	r.expect(t, ExitOK, "token configured")
	if n := strings.Count(r.errOut, "token_url is plain http to a host that is not loopback"); n != 1 {
		t.Errorf("configured: warned %d times:\n%s", n, r.errOut)
	}
	// From discovery: the issuer is plain http (the config says so), and
	// discovery's token endpoint too, on another origin.
	r = h.run("--config", cfg, "token", "discovered")
	r.expect(t, ExitOK, "token discovered")
	for _, want := range []string{"issuer is plain http", "token_endpoint from discovery is plain http", "token endpoint http://tokens.example.test (from discovery) is not on the issuer's origin"} {
		if n := strings.Count(r.errOut, want); n != 1 {
			t.Errorf("discovered: %q said %d times:\n%s", want, n, r.errOut)
		}
	}
	if r.out != "abc123\n" {
		t.Errorf("stdout %q", r.out)
	}
}

// TestProvidersRefusesAuthParamsThatSubvertTheSignIn: the config error
// names the file, the line and the key.
func TestProvidersRefusesAuthParamsThatSubvertTheSignIn(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("auth.toml", onExampleAPI("x", "authorization_code",
		`issuer = "https://idp.example.test"`, `client_id = "id"`, `auth_params = { prompt = "consent", redirect_uri = "https://evil.example.test/cb" }`))
	r := h.run("providers", "--config", cfg)
	r.expect(t, ExitUsage, "providers")
	// auth_params is the table's sixth line, the file's too.
	if want := cfg + ":6: providers.x.auth_params.redirect_uri: keyhole sets redirect_uri itself"; !strings.Contains(r.errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
	}
}
