package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/demo/demotest"
)

var jwtRE = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

// decodeTokenJSON reads token --json's output, checking its exact keys.
func decodeTokenJSON(t *testing.T, out string) tokenJSON {
	t.Helper()
	var keys map[string]any
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	for _, k := range []string{"provider", "access_token", "token_type", "expires_at", "scopes", "source"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("--json lacks %q: %s", k, out)
		}
	}
	if len(keys) != 6 {
		t.Errorf("--json has %d keys, want 6: %s", len(keys), out)
	}
	var tj tokenJSON
	if err := json.Unmarshal([]byte(out), &tj); err != nil {
		t.Fatal(err)
	}
	return tj
}

func TestTokenClientCredentials(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	grants := func() int { return srv.Stats().Grants["client_credentials"] }

	r := h.run("token", "--config", cfg, "demo-cc")
	r.expect(t, ExitOK, "token demo-cc")
	tok := strings.TrimSuffix(r.out, "\n")
	if !jwtRE.MatchString(tok) || strings.Count(r.out, "\n") != 1 {
		t.Fatalf("stdout is not one JWT line: %q", r.out)
	}
	if strings.Contains(r.errOut, tok) {
		t.Error("the token is on stderr")
	}

	steps := []struct {
		args       []string
		source     string
		tokenCalls int
		sameToken  bool
	}{
		{[]string{"token", "demo-cc", "--json", "--config", cfg}, "cache", 1, true},
		{[]string{"--config", cfg, "token", "--json", "demo-cc"}, "cache", 1, true},
		{[]string{"token", "--config", cfg, "--json", "--force", "demo-cc"}, "fetched", 2, false},
		{[]string{"token", "--config", cfg, "--json", "demo-cc"}, "cache", 2, false},
	}
	for i, s := range steps {
		r := h.run(s.args...)
		r.expect(t, ExitOK, strings.Join(s.args, " "))
		tj := decodeTokenJSON(t, r.out)
		if tj.Source != s.source {
			t.Errorf("step %d: source %q, want %q", i, tj.Source, s.source)
		}
		if got := grants(); got != s.tokenCalls {
			t.Errorf("step %d: the demo saw %d token requests, want %d", i, got, s.tokenCalls)
		}
		if (tj.AccessToken == tok) != s.sameToken {
			t.Errorf("step %d: same token = %v, want %v", i, tj.AccessToken == tok, s.sameToken)
		}
		if tj.Provider != "demo-cc" || !strings.EqualFold(tj.TokenType, "bearer") || !jwtRE.MatchString(tj.AccessToken) {
			t.Errorf("step %d: %+v", i, tj)
		}
		if strings.Join(tj.Scopes, " ") != "api:read api:write" {
			t.Errorf("step %d: scopes %v", i, tj.Scopes)
		}
		if tj.ExpiresAt == nil {
			t.Fatalf("step %d: expires_at is null", i)
		}
		at, err := time.Parse(time.RFC3339, *tj.ExpiresAt)
		if left := time.Until(at); err != nil || left <= 0 || left > demo.DefaultTokenTTL+time.Second {
			t.Errorf("step %d: expires_at %q (%v) is not a demo expiry", i, *tj.ExpiresAt, err)
		}
	}
	// The file cache is private.
	st := h.run("token", "--config", cfg, "demo-cc")
	st.expect(t, ExitOK, "token again")
}

func TestTokenJSONExpiryUnknownIsNull(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("static.toml", staticConfig("st", "http://127.0.0.1:1", "opaque-token-1", ""))
	r := h.run("token", "--config", cfg, "--json", "st")
	r.expect(t, ExitOK, "token --json on a static opaque token")
	if !strings.Contains(r.out, `"expires_at": null`) {
		t.Errorf("expiry unknown should be null: %s", r.out)
	}
	if tj := decodeTokenJSON(t, r.out); tj.AccessToken != "opaque-token-1" || tj.Scopes == nil {
		t.Errorf("%+v", tj)
	}
}

// TestTokenBuiltinDemo is the fresh machine: no config anywhere, and
// demo-cc still answers, from a demo server inside the command.
func TestTokenBuiltinDemo(t *testing.T) {
	h := newHarness(t)
	r := h.run("token", "demo-cc")
	r.expect(t, ExitOK, "token demo-cc with no config")
	if !jwtRE.MatchString(strings.TrimSpace(r.out)) {
		t.Errorf("stdout %q", r.out)
	}
	// A config without demo-cc still leaves the built-in one reachable.
	cfg := h.writeConfig("other.toml", staticConfig("st", "http://127.0.0.1:1", "t", ""))
	h.run("token", "--config", cfg, "demo-cc").expect(t, ExitOK, "built-in demo-cc beside a config")
}

func TestTokenErrors(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	wrong := h.writeConfig("wrong.toml", strings.Replace(demo.Config(srv.URL()), `client_secret = "demo-cc-secret"`, `client_secret = "not-the-secret"`, 1))
	unset := h.writeConfig("unset.toml", staticConfig("st", "http://127.0.0.1:1", "${ST_TOKEN}", ""))
	refused := h.writeConfig("refused.toml", strings.ReplaceAll(demo.Config(srv.URL()), srv.URL(), "http://"+closedAddr(t)))
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"bad credentials", []string{"token", "--config", wrong, "demo-cc"}, ExitToken, []string{"invalid_client", "hint: "}},
		{"unset variable", []string{"token", "--config", unset, "st"}, ExitUsage, []string{"${ST_TOKEN}"}},
		{"connection refused", []string{"token", "--config", refused, "demo-cc"}, ExitNetwork, []string{"hint: nothing listens there"}},
		{"unknown provider", []string{"token", "--config", unset, "nope"}, ExitUsage, []string{`no provider "nope"`, "st", "demo-cc"}},
		{"missing config", []string{"token", "--config", "/nonexistent/k.toml", "demo-cc"}, ExitUsage, []string{"--config"}},
		{"no name", []string{"token"}, ExitUsage, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.run(c.args...)
			r.expect(t, c.code, c.name)
			if r.out != "" {
				t.Errorf("stdout %q, want nothing", r.out)
			}
			r.errHas(t, c.stderr...)
			if strings.Contains(r.errOut, "not-the-secret") {
				t.Error("stderr holds the client secret")
			}
		})
	}
}

// noRedirects is a browser that shows each redirect instead of following.
var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// pkceBrowser plays the person's browser for the authorization code grant:
// it loads the authorization URL, which the demo approves at once, and
// follows the redirect to keyhole's loopback listener.
func pkceBrowser(t *testing.T, opened *[]string) func(string) error {
	return func(authURL string) error {
		*opened = append(*opened, authURL)
		loc, err := demotest.SignIn(noRedirects, authURL)
		if err != nil {
			return err
		}
		if loc.Hostname() != "127.0.0.1" || loc.Path != "/callback" {
			t.Errorf("redirect to %s, want the loopback listener", loc)
		}
		back, err := noRedirects.Get(loc.String())
		if err != nil {
			return err
		}
		defer back.Body.Close()
		page, _ := io.ReadAll(back.Body)
		if !strings.Contains(string(page), "keyhole received the answer") {
			t.Errorf("callback page: %s", page)
		}
		return nil
	}
}

// deviceBrowser plays the person approving a device at the verification
// page.
func deviceBrowser(t *testing.T, opened *[]string) func(string) error {
	return func(complete string) error {
		*opened = append(*opened, complete)
		return demotest.DecideDevice(noRedirects, complete, "", "approve")
	}
}

func TestTokenInteractive(t *testing.T) {
	for _, c := range []struct {
		name, provider, grant string
		browser               func(*testing.T, *[]string) func(string) error
		stderr                []string
	}{
		{"authorization code", "demo-pkce", "authorization_code", pkceBrowser,
			[]string{"needs you to sign in", "Opened your browser at:", "/oauth2/auth?", "client demo-pkce", "scopes api:read offline_access", "http://127.0.0.1:", "/callback", "signed in"}},
		{"device code", "demo-device", "device_code", deviceBrowser,
			[]string{"approve this device", "Opened your browser at:", "shows the code", "client demo-device", "/device?user_code=", "The code expires in", "▀", "signed in"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			var opened []string
			h.open = c.browser(t, &opened)
			// Device polls are paced by the demo's interval, made short
			// here; the session then waits a little, not 1 s, per poll.
			h.sleep = func(ctx context.Context, d time.Duration) error {
				select {
				case <-time.After(20 * time.Millisecond):
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			srv, cfg := h.startDemo(demo.Options{DeviceInterval: 10 * time.Millisecond})

			r := h.run("token", "--config", cfg, c.provider)
			r.expect(t, ExitOK, "token "+c.provider)
			if !jwtRE.MatchString(strings.TrimSuffix(r.out, "\n")) || strings.Count(r.out, "\n") != 1 {
				t.Fatalf("stdout holds more than the token: %q", r.out)
			}
			if len(opened) != 1 {
				t.Fatalf("the browser was opened %d times", len(opened))
			}
			r.errHas(t, c.stderr...)
			if u, err := url.Parse(opened[0]); err == nil && c.grant == "device_code" {
				if code := u.Query().Get("user_code"); code == "" || !strings.Contains(r.errOut, code) {
					t.Errorf("stderr does not show the user code %q", code)
				}
			}
			if n := srv.Stats().Grants[c.grant]; n < 1 {
				t.Errorf("the demo saw no %s token request", c.grant)
			}

			// Cached now: no browser, no prompt.
			r = h.run("token", "--config", cfg, "--json", c.provider)
			r.expect(t, ExitOK, "token again")
			if tj := decodeTokenJSON(t, r.out); tj.Source != "cache" {
				t.Errorf("second run: source %q, want cache", tj.Source)
			}
			if len(opened) != 1 || r.errOut != "" {
				t.Errorf("second run opened a browser or talked: %d opens, stderr %q", len(opened), r.errOut)
			}

			// --force goes straight to the person again.
			r = h.run("token", "--config", cfg, "--force", c.provider)
			r.expect(t, ExitOK, "token --force")
			if len(opened) != 2 {
				t.Errorf("--force opened the browser %d times in all, want 2", len(opened))
			}
		})
	}
}

func TestTokenNoBrowser(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		vars map[string]string
		why  string
	}{
		{"flag", []string{"--no-browser"}, nil, "(--no-browser)"},
		{"ssh", nil, map[string]string{"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "SSH session without a display"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			for k, v := range c.vars {
				h.vars[k] = v
			}
			h.open = func(string) error {
				t.Error("a browser was opened")
				return nil
			}
			_, cfg := h.startDemo(demo.Options{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// Nobody signs in: the person reads the URL, and the test
			// ends the wait as Ctrl+C would.
			out, errOut := &syncbuf.Buffer{}, &syncbuf.Buffer{}
			e := env{stdout: out, stderr: errOut, getenv: func(k string) string { return h.vars[k] },
				lookupEnv: func(k string) (string, bool) { v, ok := h.vars[k]; return v, ok }, open: h.open}
			done := make(chan int, 1)
			go func() { done <- run(ctx, append([]string{"token", "--config", cfg, "demo-pkce"}, c.args...), e) }()
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(errOut.String(), "/oauth2/auth?") {
				if time.Now().After(deadline) {
					t.Fatalf("no URL printed: %s", errOut.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			if code := <-done; code != ExitInterrupted {
				t.Errorf("interrupted sign-in: exit %d, want %d", code, ExitInterrupted)
			}
			if !strings.Contains(errOut.String(), c.why) || !strings.Contains(errOut.String(), "Open this address in a browser") {
				t.Errorf("stderr does not say why no browser opened (%q):\n%s", c.why, errOut.String())
			}
			if out.String() != "" {
				t.Errorf("stdout %q", out.String())
			}
		})
	}
}

func TestSSHSession(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"SSH_CONNECTION": "a b c d"}, true},
		{map[string]string{"SSH_TTY": "/dev/pts/1"}, true},
		{map[string]string{"SSH_TTY": "/dev/pts/1", "DISPLAY": ":0"}, false},
		{map[string]string{"SSH_CONNECTION": "a b c d", "WAYLAND_DISPLAY": "wayland-0"}, false},
		{map[string]string{"DISPLAY": ":0"}, false},
	} {
		if got := sshSession(func(k string) string { return c.vars[k] }); got != c.want {
			t.Errorf("sshSession(%v) = %v, want %v", c.vars, got, c.want)
		}
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	srv := newEchoServer(t)
	addr := srv.Listener.Addr().String()
	srv.Close()
	return addr
}

// TestTUISharesTheTokenCache: a token keyhole token fetched is the TUI's
// cached token, with no request of its own.
func TestTUISharesTheTokenCache(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	r := h.run("token", "--config", cfg, "demo-cc")
	r.expect(t, ExitOK, "token demo-cc")
	e, _, _ := h.env()
	opts, cleanup, err := tuiOptions(e, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if opts.Backend != nil || opts.Start == nil {
		t.Fatal("the TUI opens its token store before the first frame")
	}
	b, err := opts.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Providers {
		if p.Config.Name != "demo-cc" {
			continue
		}
		held, err := p.Session.Peek()
		if err != nil || held == nil || held.Access.Reveal() != strings.TrimSpace(r.out) {
			t.Fatalf("the TUI's demo-cc session does not hold the CLI's token: %v, %v", held, err)
		}
		if n := srv.Stats().Grants["client_credentials"]; n != 1 {
			t.Errorf("the demo saw %d token requests, want 1", n)
		}
		return
	}
	t.Fatal("no demo-cc in the TUI backend")
}

// TestPasteFallback: the redirect URL typed (pasted) on stdin completes
// an authorization code grant whose browser could not reach the loopback
// listener.
func TestPasteFallback(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	cfg, err := config.Parse("demo", []byte(demo.Config(srv.URL())))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Provider("demo-pkce")
	sess, err := providers.NewSession(p, providers.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pend, err := sess.Authorize(context.Background(), providers.AuthorizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The browser, elsewhere, ends on the redirect but never reaches it.
	loc, err := demotest.SignIn(noRedirects, pend.URL)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	e, _, errOut := h.env()
	e.stdin = r
	stop := readPastes(e, pend)
	fmt.Fprintf(w, "\n  %s  \n", loc)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := pend.Wait(ctx)
	stop()
	if err != nil || tok == nil || !jwtRE.MatchString(tok.Access.Reveal()) {
		t.Fatalf("pasted redirect: %v, %v", tok, err)
	}
	if !strings.Contains(errOut.String(), "checking the pasted address") {
		t.Errorf("stderr: %q", errOut.String())
	}

	// Nothing pasted: stopping does not wait for a line that never comes.
	pend2, err := sess.Authorize(context.Background(), providers.AuthorizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer pend2.Cancel()
	stopped := make(chan struct{})
	stop2 := readPastes(e, pend2)
	go func() { stop2(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("stopping the paste reader hangs")
	}
}
