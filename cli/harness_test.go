package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// harness runs keyhole commands hermetically: temp XDG folders, an
// environment of its own, stdin from /dev/null unless a test sets one, and
// no browser unless a test injects one that plays it.
type harness struct {
	t     *testing.T
	dir   string
	vars  map[string]string
	open  func(string) error
	sleep func(context.Context, time.Duration) error
	stdin *os.File
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return harnessIn(t, t.TempDir())
}

// harnessIn is a harness whose XDG dirs and home are below dir, a
// folder someone else removes: a test's child process, which ends with
// os.Exit before any cleanup of its own could run, uses its parent's.
func harnessIn(t *testing.T, dir string) *harness {
	return &harness{t: t, dir: dir, vars: map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
		"HOME":            dir,
	}}
}

// testEnv is a hermetic environment, a harness's: temp XDG dirs, no
// real config, stdin a regular file (not a terminal).
func testEnv(t *testing.T) (env, *syncbuf.Buffer, *syncbuf.Buffer) {
	t.Helper()
	h := newHarness(t)
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	h.stdin = stdin
	return h.env()
}

// result is what one run left behind.
type result struct {
	code        int
	out, errOut string
}

// env is the harness's environment with fresh output buffers; stdin is
// the harness's, or nil.
func (h *harness) env() (env, *syncbuf.Buffer, *syncbuf.Buffer) {
	var mu sync.Mutex
	vars := func(k string) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		v, ok := h.vars[k]
		return v, ok
	}
	out, errOut := &syncbuf.Buffer{}, &syncbuf.Buffer{}
	return env{
		stdin: h.stdin, stdout: out, stderr: errOut,
		getenv:    func(k string) string { v, _ := vars(k); return v },
		lookupEnv: vars,
		open:      h.open,
		sleep:     h.sleep,
	}, out, errOut
}

// run runs keyhole with args and fresh output buffers.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	e, out, errOut := h.env()
	if e.stdin == nil {
		f, err := os.Open(os.DevNull)
		if err != nil {
			h.t.Fatal(err)
		}
		defer f.Close()
		e.stdin = f
	}
	code := run(context.Background(), args, e)
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// expect fails the test unless the run exited with code.
func (r result) expect(t *testing.T, code int, what string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", what, r.code, code, r.out, r.errOut)
	}
}

// outHas marks the test failed, and goes on, for each of wants the run's
// stdout lacks.
func (r result) outHas(t *testing.T, wants ...string) {
	t.Helper()
	for _, s := range wants {
		if !strings.Contains(r.out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.out)
		}
	}
}

// errHas marks the test failed, and goes on, for each of wants the run's
// stderr lacks.
func (r result) errHas(t *testing.T, wants ...string) {
	t.Helper()
	for _, s := range wants {
		if !strings.Contains(r.errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.errOut)
		}
	}
}

// writeConfig writes a config file, or a file a config names, with mode
// 0600 under the harness's folder, making its folders, and returns its
// path.
func (h *harness) writeConfig(name, text string) string {
	h.t.Helper()
	path := filepath.Join(h.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// startDemo starts a demo server for one test, with a config file for its
// providers whose tokens are cached in files under the harness's state
// folder, as a real user's would be.
func (h *harness) startDemo(opts demo.Options) (*demo.Server, string) {
	h.t.Helper()
	srv, err := demo.Start(opts)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { srv.Close() })
	cfg := h.writeConfig("demo.toml", "[settings]\ntoken_cache = \"file\"\n\n"+demo.Config(srv.URL()))
	return srv, cfg
}

// echoed is what the echo server saw of a request.
type echoed struct {
	Method     string              `json:"method"`
	RequestURI string              `json:"uri"`
	Header     map[string][]string `json:"header"`
	Body       string              `json:"body"`
}

// echoServer answers every request with what it received, as JSON, and
// remembers the last one.
type echoServer struct {
	*httptest.Server
	mu   sync.Mutex
	last *echoed
	n    int
}

func newEchoServer(t *testing.T) *echoServer {
	t.Helper()
	es := &echoServer{}
	es.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got := &echoed{Method: r.Method, RequestURI: r.RequestURI, Header: r.Header, Body: string(b)}
		es.mu.Lock()
		es.last, es.n = got, es.n+1
		es.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=cookie-secret-1; HttpOnly")
		status := http.StatusOK
		if strings.HasPrefix(r.URL.Path, "/status/") {
			switch r.URL.Path {
			case "/status/418":
				status = http.StatusTeapot
			case "/status/502":
				status = http.StatusBadGateway
			}
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(got)
	}))
	t.Cleanup(es.Close)
	return es
}

func (es *echoServer) lastRequest() (*echoed, int) {
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.last, es.n
}

// staticConfig is a config with one static-token provider on base.
func staticConfig(name, base, token string, extra string) string {
	return "[settings]\ntoken_cache = \"memory\"\n\n[providers." + name + "]\nbase_url = \"" + base + "\"\ngrant = \"static\"\ntoken = \"" + token + "\"\n" + extra
}

// apiAtEcho is the set-up most run tests start from: an echo server, a
// harness, and k.toml with one static-token provider, api, on the server.
func apiAtEcho(t *testing.T, token string) (*echoServer, *harness, string) {
	t.Helper()
	es := newEchoServer(t)
	h := newHarness(t)
	return es, h, h.writeConfig("k.toml", staticConfig("api", es.URL, token, ""))
}
