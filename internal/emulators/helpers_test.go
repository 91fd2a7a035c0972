package emulators_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/emulators"
	"github.com/keyhole-sh/keyhole/providers/jwt"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is the injected clock shared by a test and its emulator.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// start serves the named emulator on 127.0.0.1 for the length of the test.
func start(t *testing.T, name string, opts emulators.Options) (emulators.Emulator, *httptest.Server) {
	t.Helper()
	emu, err := emulators.New(name, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	return emu, srv
}

// reply is one answered request.
type reply struct {
	status int
	header http.Header
	raw    string
	body   map[string]any // nil unless the body is a JSON object
}

// do builds and sends a request and reads the whole answer: body ""
// sends none; headers are "K: V".
func do(t *testing.T, srv *httptest.Server, method, path, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, raw := exchangetest.Do(t, req)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func basic(id, secret string) string {
	return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// wantStatus fails the test unless r has status want.
func wantStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.raw)
	}
}

// str reads a string field of a JSON body (dotted path).
func str(r reply, path string) string {
	var v any = r.body
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

func num(r reply, key string) float64 {
	f, _ := r.body[key].(float64)
	return f
}

// claims decodes a JWT's payload without verifying it. jwt.Parse forgives
// base64 padding; a JWT has none (RFC 7515 §2), so it is refused here.
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	if strings.Contains(tok, "=") {
		t.Fatalf("padded base64 in a JWT: %q", tok)
	}
	c, err := jwt.Parse(tok)
	if err != nil {
		t.Fatalf("%v: %q", err, tok)
	}
	return c.Raw
}

// wantStats compares the counts a test cares about.
func wantStats(t *testing.T, got emulators.Stats, want emulators.Stats) {
	t.Helper()
	eq := func(name string, a, b any) {
		t.Helper()
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("Stats.%s = %s, want %s", name, ja, jb)
		}
	}
	eq("TokenOK", got.TokenOK, want.TokenOK)
	eq("TokenFailed", nz(got.TokenFailed), nz(want.TokenFailed))
	eq("RefreshOK", got.RefreshOK, want.RefreshOK)
	eq("RefreshFailed", nz(got.RefreshFailed), nz(want.RefreshFailed))
	eq("APIOK", got.APIOK, want.APIOK)
	eq("APIRejected", nz(got.APIRejected), nz(want.APIRejected))
	eq("RateLimited", got.RateLimited, want.RateLimited)
	eq("Unrouted", got.Unrouted, want.Unrouted)
	if want.Requests != 0 {
		eq("Requests", got.Requests, want.Requests)
	}
}

func nz(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
