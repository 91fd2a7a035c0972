package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

func TestCallDemo(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	for _, c := range []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings
		prefix   string
		stderr   []string
		notOnOut []string
	}{
		{name: "200", args: []string{"GET", "/api/me"}, code: ExitOK, stdout: []string{`"sub":"demo-cc"`}},
		{name: "lowercase method", args: []string{"get", "/api/items?page=2"}, code: ExitOK, stdout: []string{`"items"`}},
		{name: "404", args: []string{"GET", "/api/nope"}, code: ExitClientError, stdout: []string{"not_found"}, stderr: []string{"answered 404 Not Found"}},
		{name: "401", args: []string{"GET", "/api/status/401"}, code: ExitClientError, stderr: []string{"answered 401"}},
		{name: "503", args: []string{"GET", "/api/status/503"}, code: ExitServerError, stderr: []string{"answered 503 Service Unavailable"}},
		{name: "3xx is not followed", args: []string{"GET", "/api/status/302"}, code: ExitOK},
		{name: "-i", args: []string{"GET", "/api/me", "-i"}, code: ExitOK, prefix: "HTTP/1.1 200 OK\n", stdout: []string{"Content-Type: application/json\n", "\n\n{"}},
		{name: "--pretty", args: []string{"GET", "/api/me", "--pretty"}, code: ExitOK, prefix: "{\n  \"", stdout: []string{`  "sub": "demo-cc"`}},
		{name: "--raw", args: []string{"GET", "/api/me", "--raw"}, code: ExitOK, prefix: `{"`},
		{name: "POST JSON", args: []string{"POST", "/api/items", "-d", `{"name": "Cedar Latch"}`}, code: ExitOK, stdout: []string{`"Cedar Latch"`}},
		{name: "bad header", args: []string{"GET", "/api/me", "-H", "no colon"}, code: ExitUsage, stderr: []string{"want 'Name: value'"}},
		{name: "bad method", args: []string{"G T", "/api/me"}, code: ExitUsage, stderr: []string{"not an HTTP method"}},
		{name: "pretty and raw", args: []string{"GET", "/api/me", "--pretty", "--raw"}, code: ExitUsage},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.run(append([]string{"call", "--config", cfg, "demo-cc"}, c.args...)...)
			r.expect(t, c.code, c.name)
			r.outHas(t, c.stdout...)
			if !strings.HasPrefix(r.out, c.prefix) {
				t.Errorf("stdout does not start with %q:\n%s", c.prefix, r.out)
			}
			r.errHas(t, c.stderr...)
			if strings.Contains(r.out+r.errOut, "eyJ") || strings.Contains(r.out+r.errOut, demo.CCClientSecret) {
				t.Errorf("a token or secret was printed:\n%s\n%s", r.out, r.errOut)
			}
		})
	}
	// All those calls shared one cached token (the 401 retry aside).
	if n := srv.Stats().Grants["client_credentials"]; n > 2 {
		t.Errorf("the demo saw %d token requests for one cached token", n)
	}
}

func TestCallJSON(t *testing.T) {
	h := newHarness(t)
	_, cfg := h.startDemo(demo.Options{})
	r := h.run("call", "--config", cfg, "demo-cc", "GET", "/api/me", "--json")
	r.expect(t, ExitOK, "call --json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("--json printed %q: %v", r.out, err)
	}
	if got["status"] != float64(200) {
		t.Errorf("status %v", got["status"])
	}
	if body, ok := got["body"].(map[string]any); !ok || body["sub"] != "demo-cc" {
		t.Errorf("body is not the JSON value: %#v", got["body"])
	}
	if h, ok := got["headers"].(map[string]any); !ok || h["Content-Type"] != "application/json" {
		t.Errorf("headers %#v", got["headers"])
	}
	if ms, ok := got["time_ms"].(float64); !ok || ms < 0 {
		t.Errorf("time_ms %#v", got["time_ms"])
	}

	// A body that is not JSON is a string; 4xx keeps its exit code.
	es := newEchoServer(t)
	scfg := h.writeConfig("static.toml", staticConfig("st", es.URL, "static-tok-1", ""))
	r = h.run("call", "--config", scfg, "st", "GET", "/status/418", "--json")
	r.expect(t, ExitClientError, "--json on a 418")
	var teapot callJSON
	if err := json.Unmarshal([]byte(r.out), &teapot); err != nil || teapot.Status != 418 {
		t.Fatalf("%q: %v", r.out, err)
	}
	if teapot.Headers["Set-Cookie"] != "••••" {
		t.Errorf("Set-Cookie not masked: %q", teapot.Headers["Set-Cookie"])
	}
	if strings.Contains(r.out, "cookie-secret-1") {
		t.Error("a response cookie was printed")
	}
}

func TestCallBodyAndHeaders(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	cfg := h.writeConfig("static.toml", staticConfig("st", es.URL+"/base", "static-tok-1", ""))
	file := filepath.Join(h.dir, "body.json")
	if err := os.WriteFile(file, []byte("{\"from\": \"file\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdinFile := filepath.Join(h.dir, "stdin.txt")
	if err := os.WriteFile(stdinFile, []byte("a=1&b=from+stdin"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		args        []string
		stdin       string
		method, uri string
		body        string
		contentType string
		header      map[string]string
	}{
		{name: "JSON", args: []string{"POST", "/items", "-d", `{"a": 1}`}, method: "POST", uri: "/base/items", body: `{"a": 1}`, contentType: "application/json"},
		{name: "JSON array", args: []string{"PUT", "/items/1", "-d", `[1, 2]`}, method: "PUT", uri: "/base/items/1", body: `[1, 2]`, contentType: "application/json"},
		{name: "form", args: []string{"POST", "/login", "-d", "user=a&pass=b"}, method: "POST", uri: "/base/login", body: "user=a&pass=b", contentType: "application/x-www-form-urlencoded"},
		{name: "not JSON after all", args: []string{"POST", "/x", "-d", `{broken`}, method: "POST", uri: "/base/x", body: `{broken`, contentType: "application/x-www-form-urlencoded"},
		{name: "-H wins", args: []string{"POST", "/x", "-d", `{"a":1}`, "-H", "Content-Type: text/plain"}, method: "POST", uri: "/base/x", body: `{"a":1}`, contentType: "text/plain"},
		{name: "@file", args: []string{"PATCH", "/x", "-d", "@" + file}, method: "PATCH", uri: "/base/x", body: "{\"from\": \"file\"}\n", contentType: "application/json"},
		{name: "@-", args: []string{"POST", "/x", "-d", "@-"}, stdin: stdinFile, method: "POST", uri: "/base/x", body: "a=1&b=from+stdin", contentType: "application/x-www-form-urlencoded"},
		{name: "headers and query", args: []string{"GET", "/q?x=1&y=two", "-H", "X-One: 1", "-H", "Accept: text/plain"}, method: "GET", uri: "/base/q?x=1&y=two",
			header: map[string]string{"X-One": "1", "Accept": "text/plain", "Authorization": "Bearer static-tok-1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.stdin = nil
			if c.stdin != "" {
				f, err := os.Open(c.stdin)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				h.stdin = f
			}
			r := h.run(append([]string{"call", "--config", cfg, "st"}, c.args...)...)
			r.expect(t, ExitOK, c.name)
			got, _ := es.lastRequest()
			if got.Method != c.method || got.RequestURI != c.uri || got.Body != c.body {
				t.Errorf("server saw %s %s %q; want %s %s %q", got.Method, got.RequestURI, got.Body, c.method, c.uri, c.body)
			}
			if ct := strings.Join(got.Header["Content-Type"], ","); ct != c.contentType {
				t.Errorf("Content-Type %q, want %q", ct, c.contentType)
			}
			for k, v := range c.header {
				if g := strings.Join(got.Header[k], ","); g != v {
					t.Errorf("%s: %q, want %q", k, g, v)
				}
			}
		})
	}
	h.stdin = nil
	r := h.run("call", "--config", cfg, "st", "POST", "/x", "-d", "@"+filepath.Join(h.dir, "missing"))
	r.expect(t, ExitUsage, "-d @missing")
}

func TestCallForeignOrigin(t *testing.T) {
	h := newHarness(t)
	home, other := newEchoServer(t), newEchoServer(t)
	cfg := h.writeConfig("static.toml", staticConfig("st", home.URL, "static-tok-1", ""))
	for _, c := range []struct {
		name      string
		args      []string
		wantToken bool
		stderr    string
	}{
		{"same origin, full URL", []string{home.URL + "/a"}, true, ""},
		{"other origin", []string{other.URL + "/a"}, false, "the token is not sent there"},
		{"other origin, --send-token", []string{other.URL + "/a", "--send-token"}, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.run(append([]string{"call", "--config", cfg, "st", "GET"}, c.args...)...)
			r.expect(t, ExitOK, c.name)
			srv := home
			if strings.HasPrefix(c.args[0], other.URL) {
				srv = other
			}
			got, _ := srv.lastRequest()
			if has := len(got.Header["Authorization"]) > 0; has != c.wantToken {
				t.Errorf("token sent = %v, want %v (%v)", has, c.wantToken, got.Header["Authorization"])
			}
			if !strings.Contains(r.errOut, c.stderr) {
				t.Errorf("stderr lacks %q: %s", c.stderr, r.errOut)
			}
		})
	}
}

func TestCallFailures(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	dead := closedAddr(t)
	refused := h.writeConfig("refused.toml", staticConfig("st", "http://"+dead, "static-tok-1", ""))
	wrong := h.writeConfig("wrong.toml", strings.Replace(demo.Config(srv.URL()), `client_secret = "demo-cc-secret"`, `client_secret = "not-the-secret"`, 1))
	broken := h.writeConfig("broken.toml", "[providers.x]\ngrant = \"static\"\nbase_url = \"http://127.0.0.1:1\"\ntokne = \"t\"\n")
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"connection refused", []string{"--config", refused, "st", "GET", "/x"}, ExitNetwork, []string{"hint: nothing listens there"}},
		{"bad credentials", []string{"--config", wrong, "demo-cc", "GET", "/api/me"}, ExitToken, []string{"invalid_client", "hint: "}},
		{"broken config", []string{"--config", broken, "x", "GET", "/x"}, ExitUsage, []string{broken + ":4", "did you mean token?"}},
		{"path without base_url", []string{"--config", refused, "st", "GET", "ftp://x/y"}, ExitUsage, []string{"only http and https"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.run(append([]string{"call"}, c.args...)...)
			r.expect(t, c.code, c.name)
			r.errHas(t, c.stderr...)
			for _, s := range []string{"static-tok-1", "not-the-secret"} {
				if strings.Contains(r.out+r.errOut, s) {
					t.Errorf("a secret was printed: %q", s)
				}
			}
		})
	}
}

// TestCallBuiltinDemo is the README's promise: on a fresh machine, with no
// config at all, keyhole call demo-cc GET /api/me answers.
func TestCallBuiltinDemo(t *testing.T) {
	h := newHarness(t)
	r := h.run("call", "demo-cc", "GET", "/api/me")
	r.expect(t, ExitOK, "call demo-cc with no config")
	if !strings.Contains(r.out, `"sub":"demo-cc"`) {
		t.Errorf("stdout %q", r.out)
	}
	if entries, _ := os.ReadDir(filepath.Join(h.dir, "state")); len(entries) != 0 {
		t.Errorf("the built-in demo wrote to the state folder: %v", entries)
	}
}

// TestCallHeaderOfTheTokenIsReplaced pins what call --help and the README
// say of a -H for the token's header: on the provider's origin the token
// replaces it; another origin, which gets no token, gets it as written.
func TestCallHeaderOfTheTokenIsReplaced(t *testing.T) {
	api, other := newEchoServer(t), newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", api.URL, "tok-1", ""))
	mine := "Basic dXNlcjpwYXNz"
	for _, c := range []struct {
		name, url, want string
		es              *echoServer
	}{
		{"its origin", "/me", "Bearer tok-1", api},
		{"another origin", other.URL + "/me", mine, other},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.run("--config", cfg, "call", "api", "GET", c.url, "-H", "Authorization: "+mine).expect(t, ExitOK, c.name)
			got, _ := c.es.lastRequest()
			if got == nil || len(got.Header["Authorization"]) != 1 || got.Header["Authorization"][0] != c.want {
				t.Errorf("Authorization sent: %v, want only %q", got, c.want)
			}
		})
	}
}

// TestCallNetworkErrorKeepsItsColon: a URL whose query ends with a
// credential parameter is masked in a network error, and the ": " between
// it and the cause stays: the mask took the colon for part of the value
// ("api_key=•••• EOF").
func TestCallNetworkErrorKeepsItsColon(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // hangs up without an answer
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", srv.URL, "tok-1", ""))
	r := h.run("--config", cfg, "call", "api", "GET", "/x?api_key=key-SECRET-1")
	r.expect(t, ExitNetwork, "a server that hangs up")
	r.errHas(t, "/x?api_key=••••: ")
	if strings.Contains(r.errOut, "SECRET") {
		t.Errorf("the key leaked:\n%s", r.errOut)
	}
}

// TestCallHeadersMaskAnEchoedToken: a server that echoes the token in a
// header of its own put it on the terminal with -i and in --json, where
// the TUI masks it. The body goes as it came (it is the answer).
func TestCallHeadersMaskAnEchoedToken(t *testing.T) {
	const token = "tok-echoed-4711"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-Authorization", r.Header.Get("Authorization"))
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", token="`+token+`"`)
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", srv.URL, token, ""))
	for _, flag := range []string{"-i", "--json"} {
		r := h.run("--config", cfg, "call", "api", "GET", "/me", flag)
		r.expect(t, ExitOK, flag)
		if strings.Contains(r.out, token) {
			t.Errorf("%s: the echoed token is printed:\n%s", flag, r.out)
		}
		if !strings.Contains(r.out, "X-Seen-Authorization") || !strings.Contains(r.out, "••••") {
			t.Errorf("%s: the headers are not there, masked:\n%s", flag, r.out)
		}
	}
}
