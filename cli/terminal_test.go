package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/browser"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// checkTerminalSafe fails when out holds anything a terminal acts on: an
// escape, a control character other than a newline, a tab or the \r of
// a \r\n, a C1
// control, a byte that is not UTF-8, a bidirectional override. styled
// output was written for a terminal and may carry keyhole's own colours:
// those are set aside first, and the payload's own colour is looked for
// by its code, which keyhole never uses.
func checkTerminalSafe(t *testing.T, what, out string, styled bool) {
	t.Helper()
	if strings.Contains(out, attack.PayloadColour) {
		t.Errorf("%s: the server's colours reach the terminal: %q", what, out)
	}
	if styled {
		out = attack.OwnSGR.ReplaceAllString(out, "")
	}
	if i, r := attack.Unsafe(out, "\n\t\r"); i >= 0 {
		t.Errorf("%s: %U at byte %d reaches the terminal: %q", what, r, i, out)
	}
}

// runOn runs keyhole as h.run does; with tty set, stdout and stderr are
// taken for terminals (stdin stays /dev/null): what a person sees.
func runOn(h *harness, tty bool, args ...string) result {
	h.t.Helper()
	e, out, errOut := h.env()
	f, err := os.Open(os.DevNull)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	e.stdin = f
	if tty {
		e.terminal = func(f any) bool { return f == any(out) || f == any(errOut) }
	}
	code := run(context.Background(), args, e)
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// modes are the two ways keyhole's output is read.
var modes = []struct {
	name string
	tty  bool
}{{"piped", false}, {"terminal", true}}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// TestTokenEndpointTextCannotDriveTheTerminal: a token endpoint's error
// code, error_description and plain-text body, and the token itself, are
// shown with their escape sequences as symbols — on a terminal and piped;
// only $(keyhole token) gets the token byte for byte.
func TestTokenEndpointTextCannotDriveTheTerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant" + attack.Payload, "error_description": attack.Payload})
		case "/text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, attack.Payload)
		case "/token":
			writeJSON(w, http.StatusOK, map[string]any{"access_token": "tok-" + attack.Payload, "token_type": "Bearer", "expires_in": 3600})
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	var cfg strings.Builder
	cfg.WriteString("[settings]\ntoken_cache = \"memory\"\n")
	for _, name := range []string{"json", "text", "token"} {
		fmt.Fprintf(&cfg, "\n[providers.%s]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"id\"\nclient_secret = \"s3cr3t-value\"\n", name, srv.URL, srv.URL+"/"+name)
	}
	path := h.writeConfig("hostile.toml", cfg.String())
	for _, mode := range modes {
		for _, name := range []string{"json", "text"} {
			r := runOn(h, mode.tty, "--config", path, "token", name)
			r.expect(t, ExitToken, name)
			checkTerminalSafe(t, mode.name+" "+name+" stderr", r.errOut, mode.tty)
			if !strings.Contains(r.errOut, attack.PayloadShownWhole) {
				t.Errorf("%s %s: the server's words are not shown: %q", mode.name, name, r.errOut)
			}
		}
		r := runOn(h, mode.tty, "--config", path, "token", "token")
		r.expect(t, ExitOK, "token")
		if !mode.tty {
			if r.out != "tok-"+attack.Payload+"\n" {
				t.Errorf("piped: the token is not byte for byte: %q", r.out)
			}
			continue
		}
		checkTerminalSafe(t, "terminal token stdout", r.out, false)
		if !strings.Contains(r.out, "tok-"+attack.PayloadShownWhole) {
			t.Errorf("terminal: the token is not shown: %q", r.out)
		}
	}
}

// hostileAPI answers every request with a status line, a header and a
// body that try to drive the terminal. The response is written by hand:
// Go's server would not send such a reason phrase.
func hostileAPI(t *testing.T, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 418 Teapot\x1b]0;pwned\x07\x1b[2J\u009b2J\r\n"+
			"X-Evil: a\u009b2Jb\x9bc\u202Ed\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		buf.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCallShowsServerBytesAsSymbols: call's status line, headers and
// messages never carry the server's control bytes; the body does only
// when it goes to a pipe, where it is written byte for byte. On a terminal
// the body's control bytes are symbols, --raw included (and --raw shows a
// body that is not text, its stray bytes as \xNN).
func TestCallShowsServerBytesAsSymbols(t *testing.T) {
	for _, tc := range []struct{ flag, body, shown string }{
		{"-i", "line one\r\n" + attack.Payload + "\n", attack.PayloadShownWhole},
		{"--raw", "line one\r\n" + attack.Payload + "\n\xff\xfe binary tail", `\xFF\xFE binary tail`},
	} {
		srv := hostileAPI(t, tc.body)
		h := newHarness(t)
		path := h.writeConfig("api.toml", staticConfig("api", srv.URL, "tok", ""))
		for _, mode := range modes {
			what := mode.name + " call " + tc.flag
			r := runOn(h, mode.tty, "--config", path, "call", "api", "GET", "/x", tc.flag)
			r.expect(t, ExitClientError, what)
			checkTerminalSafe(t, what+" stderr", r.errOut, mode.tty)
			if !strings.Contains(r.errOut, "answered 418") {
				t.Errorf("%s: stderr does not give the status: %q", what, r.errOut)
			}
			if mode.tty {
				checkTerminalSafe(t, what+" stdout", r.out, false)
				if !strings.Contains(r.out, attack.PayloadShownWhole) || !strings.Contains(r.out, tc.shown) || !strings.Contains(r.out, "line one\r\n") {
					t.Errorf("%s: the body is not shown as symbols: %q", what, r.out)
				}
			}
			if tc.flag == "-i" {
				head, _, _ := strings.Cut(r.out, "\n\n")
				checkTerminalSafe(t, what+" headers", head, false)
				if !strings.Contains(head, `X-Evil: a\u009B2Jb\x9Bc\u202Ed`) {
					t.Errorf("%s: the header is not shown as symbols: %q", what, head)
				}
			}
			if !mode.tty && !strings.HasSuffix(r.out, tc.body) {
				t.Errorf("%s: the body is not byte for byte:\n got %q\nwant %q", what, r.out, tc.body)
			}
		}
	}
}

// TestDeviceGrantTextCannotDriveTheTerminal: the device grant's user
// code, verification URLs and refusal reach stderr as symbols, and an
// address with an escape in it is not handed to a browser, nor made a QR
// code.
func TestDeviceGrantTextCannotDriveTheTerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/device":
			writeJSON(w, http.StatusOK, map[string]any{
				"device_code": "dc", "user_code": "WDJB-" + attack.Payload,
				"verification_uri":          "https://idp.example/verify\x1b]8;;https://evil.test/\x1b\\",
				"verification_uri_complete": "https://idp.example/verify?code=1" + attack.Payload,
				"expires_in":                60, "interval": 1,
			})
		case "/token":
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "access_denied", "error_description": attack.Payload})
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	var opened []string
	h.open = func(u string) error { opened = append(opened, u); return nil }
	h.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	path := h.writeConfig("device.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.dev]\nbase_url = %q\ngrant = \"device_code\"\ndevice_url = %q\ntoken_url = %q\nclient_id = \"id\"\nclient_auth = \"none\"\n", srv.URL, srv.URL+"/device", srv.URL+"/token"))
	for _, mode := range modes {
		r := runOn(h, mode.tty, "--config", path, "token", "dev")
		r.expect(t, ExitToken, mode.name+" device grant")
		checkTerminalSafe(t, mode.name+" stderr", r.errOut, mode.tty)
		for _, want := range []string{"enter the code  WDJB-" + attack.PayloadShownWhole, "https://idp.example/verify␛]8;;https://evil.test/␛\\", "The server gave this address (not opened"} {
			if !strings.Contains(r.errOut, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", mode.name, want, r.errOut)
			}
		}
		if strings.Contains(r.errOut, "▀") {
			t.Errorf("%s: a QR code for an address keyhole does not open", mode.name)
		}
		if r.out != "" {
			t.Errorf("%s: stdout %q", mode.name, r.out)
		}
	}
	if len(opened) != 0 {
		t.Errorf("a browser was opened at %q", opened)
	}
}

// TestSignInCallbackTextCannotDriveTheTerminal: the error_description a
// sign-in's redirect carries reaches stderr as symbols.
func TestSignInCallbackTextCannotDriveTheTerminal(t *testing.T) {
	h := newHarness(t)
	h.open = func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		back := q.Get("redirect_uri") + "?" + url.Values{"error": {"access_denied"}, "error_description": {attack.Payload}, "state": {q.Get("state")}}.Encode()
		resp, err := http.Get(back)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	path := h.writeConfig("pkce.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers.pkce]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"authorization_code\"\nauth_url = \"http://127.0.0.1:1/auth\"\ntoken_url = \"http://127.0.0.1:1/token\"\nclient_id = \"id\"\nclient_auth = \"none\"\n")
	for _, mode := range modes {
		r := runOn(h, mode.tty, "--config", path, "token", "pkce")
		r.expect(t, ExitToken, mode.name+" refused sign-in")
		checkTerminalSafe(t, mode.name+" stderr", r.errOut, mode.tty)
		if !strings.Contains(r.errOut, "access_denied") || !strings.Contains(r.errOut, attack.PayloadShownWhole) {
			t.Errorf("%s: the refusal is not shown: %q", mode.name, r.errOut)
		}
	}
}

// TestConfigTextCannotDriveTheTerminal: a config someone else wrote (a
// team's shared file) is outside text too: the providers table and the
// insecure warning show its escapes as symbols.
func TestConfigTextCannotDriveTheTerminal(t *testing.T) {
	h := newHarness(t)
	name := "evil" + attack.Payload
	path := h.writeConfig("shared.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers."+tomltext.Quote(name)+"]\ntitle = "+tomltext.Quote("Title "+attack.Payload)+
		"\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"static\"\ntoken = \"tok\"\ninsecure = true\n")
	for _, mode := range modes {
		r := runOn(h, mode.tty, "--config", path, "providers")
		r.expect(t, ExitOK, mode.name+" providers")
		checkTerminalSafe(t, mode.name+" providers stdout", r.out, mode.tty)
		checkTerminalSafe(t, mode.name+" providers stderr", r.errOut, mode.tty)
		if !strings.Contains(r.out, "evil"+attack.PayloadShownWhole) || !strings.Contains(r.out, "Title "+attack.PayloadShownWhole) {
			t.Errorf("%s: the table does not show the name and title: %q", mode.name, r.out)
		}
		r = runOn(h, mode.tty, "--config", path, "token", name)
		r.expect(t, ExitOK, mode.name+" token")
		checkTerminalSafe(t, mode.name+" token stderr", r.errOut, mode.tty)
		if !strings.Contains(r.errOut, "warning: evil"+attack.PayloadShownWhole) {
			t.Errorf("%s: no insecure warning naming the provider: %q", mode.name, r.errOut)
		}
	}
}

// TestBrowserOpensOnlyWebAddresses: an authorization endpoint from
// discovery is handed to the browser only when it is an absolute http(s)
// URL, as one argument; anything else is printed, with why, for the
// person to judge. The test plays the person: it reads the address on
// stderr and ends the sign-in with a refusal at the loopback listener.
func TestBrowserOpensOnlyWebAddresses(t *testing.T) {
	for _, tc := range []struct {
		name, endpoint string
		open           bool
	}{
		{"javascript", "javascript:alert(1)", false},
		{"local file", "file:///etc/passwd?x", false},
		{"option", "--help", false},
		{"space", "https://idp.example/authorize now", false},
		{"newline", "https://idp.example/authorize\nnow", false},
		{"no host", "https:///authorize", false},
		{"upper-case scheme", "HTTP://EXAMPLE.COM/authorize", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(nil)
			defer srv.Close()
			srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/.well-known/") {
					writeJSON(w, http.StatusOK, map[string]any{"issuer": srv.URL, "authorization_endpoint": tc.endpoint, "token_endpoint": srv.URL + "/token"})
					return
				}
				http.NotFound(w, r)
			})
			h := newHarness(t)
			var mu sync.Mutex
			var opened []string
			// refuse is the person saying no at the authorization page.
			refuse := func(redirect, state string) {
				if resp, err := http.Get(redirect + "?" + url.Values{"error": {"access_denied"}, "state": {state}}.Encode()); err == nil {
					resp.Body.Close()
				}
			}
			h.open = func(authURL string) error {
				mu.Lock()
				opened = append(opened, authURL)
				mu.Unlock()
				u, err := url.Parse(authURL)
				if err != nil {
					return err
				}
				refuse(u.Query().Get("redirect_uri"), u.Query().Get("state"))
				return nil
			}
			path := h.writeConfig("oidc.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.oidc]\nbase_url = %q\ngrant = \"authorization_code\"\nissuer = %q\nclient_id = \"id\"\nclient_auth = \"none\"\n", srv.URL, srv.URL))
			e, _, errOut := h.env()
			done := make(chan int, 1)
			go func() { done <- run(context.Background(), []string{"--config", path, "token", "oidc"}, e) }()
			stateRE := regexp.MustCompile(`[?&]state=([A-Za-z0-9_-]+)`)
			backRE := regexp.MustCompile(`come back to (http://127\.0\.0\.1:[0-9]+/callback)`)
			var code int
			deadline := time.After(10 * time.Second)
		wait:
			for {
				select {
				case code = <-done:
					break wait
				case <-deadline:
					t.Fatalf("the sign-in did not end:\n%s", errOut.String())
				case <-time.After(10 * time.Millisecond):
				}
				s := errOut.String()
				if st, back := stateRE.FindStringSubmatch(s), backRE.FindStringSubmatch(s); !tc.open && st != nil && back != nil {
					refuse(back[1], st[1])
					code = <-done
					break wait
				}
			}
			mu.Lock()
			defer mu.Unlock()
			stderr := errOut.String()
			checkTerminalSafe(t, "stderr", stderr, false)
			if !tc.open {
				if len(opened) != 0 {
					t.Fatalf("%q was handed to the browser", opened)
				}
				if code != ExitToken || !strings.Contains(stderr, "The server gave this address (not opened: keyhole opens only http and https addresses") {
					t.Errorf("exit %d; stderr does not say why the address was not opened:\n%s", code, stderr)
				}
				if !strings.Contains(stderr, "\n  "+strings.ReplaceAll(tc.endpoint, "\n", "␊")) {
					t.Errorf("stderr does not show the address:\n%s", stderr)
				}
				return
			}
			if len(opened) != 1 || !strings.HasPrefix(opened[0], tc.endpoint+"?") {
				t.Fatalf("opened %q, want the authorization URL once", opened)
			}
			if code != ExitToken || !strings.Contains(stderr, "Opened your browser at:") {
				t.Errorf("exit %d, stderr:\n%s", code, stderr)
			}
		})
	}
}

// TestOpenBrowserRefusesNonWebAddresses: the opener itself refuses what
// is not an absolute http(s) URL, before any helper starts.
func TestOpenBrowserRefusesNonWebAddresses(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "file:///etc/passwd?x", "--help", "-a", "", "https://idp.example/a b", "mailto:x@y"} {
		if err := browser.Open(u); err == nil || !strings.Contains(err.Error(), "only http and https") {
			t.Errorf("browser.Open(%q) = %v, want a refusal", u, err)
		}
	}
}

// TestJSONOnATerminalCannotDriveIt: encoding/json escapes C0 controls but
// writes C1 controls and bidirectional overrides raw inside strings. On a
// terminal, call --json and token --json show them as \u escapes — the
// same characters to a JSON reader, so the output still parses to what
// the server sent; piped, the JSON is written as encoding/json made it.
func TestJSONOnATerminalCannotDriveIt(t *testing.T) {
	const c1 = "a\u009b2Jb\u202Ec"
	api := hostileAPI(t, "body "+c1)
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "tok-" + c1, "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokens.Close()
	h := newHarness(t)
	path := h.writeConfig("api.toml", staticConfig("api", api.URL, "tok", "")+
		fmt.Sprintf("\n[providers.cc]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"id\"\nclient_secret = \"s3cr3t-value\"\n", tokens.URL, tokens.URL))
	for _, mode := range modes {
		for _, args := range [][]string{{"call", "api", "GET", "/x", "--json"}, {"token", "cc", "--json"}} {
			what := mode.name + " " + strings.Join(args, " ")
			r := runOn(h, mode.tty, append([]string{"--config", path}, args...)...)
			if mode.tty {
				checkTerminalSafe(t, what+" stdout", r.out, false)
			} else if !strings.Contains(r.out, c1) {
				t.Errorf("%s: piped JSON is not as encoding/json wrote it: %q", what, r.out)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(r.out), &v); err != nil {
				t.Fatalf("%s: not JSON (%v): %q", what, err, r.out)
			}
			if s := fmt.Sprint(v); !strings.Contains(s, c1) {
				t.Errorf("%s: the JSON does not read back to what the server sent: %q", what, s)
			}
		}
	}
}

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
