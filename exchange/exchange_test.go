package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParseHeaders(t *testing.T) {
	got, err := ParseHeaders("Accept: application/json\n\n# a comment\n  X-Empty:  \r\nX-Colon: a: b\nAuthorization: Bearer abc\r\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{{"Accept", "application/json"}, {"X-Empty", ""}, {"X-Colon", "a: b"}, {"Authorization", "Bearer abc"}}
	if !slices.Equal(got, want) {
		t.Errorf("ParseHeaders = %q, want %q", got, want)
	}
	if got, err := ParseHeaders(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
	for _, tt := range []struct {
		text string
		line int
	}{
		{"no colon here", 1},
		{"Accept: x\n\nbroken", 3},
		{"Accept: x\n: value", 2},
		{"Bad Name: v", 1},
		{"A: 1\nB: 2\nC: 3\nTab\tName: v", 4},
	} {
		_, err := ParseHeaders(tt.text)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d", tt.line)) {
			t.Errorf("ParseHeaders(%q) = %v, want an error naming line %d", tt.text, err, tt.line)
		}
	}
}

func jsonOK(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true,"items":[1,2]}`)
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestSendHeaderInjection(t *testing.T) {
	srv := exchangetest.NewRecorder(t, jsonOK)
	p := &config.Provider{Name: "p", BaseURL: srv.URL + "/api/v1"}
	ticks := []time.Time{time.Unix(100, 0), time.Unix(100, int64(143*time.Millisecond))}
	now := func() time.Time { t := ticks[0]; ticks = ticks[1:]; return t }
	ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("tok-abc123"), Request{
		Method: "get",
		Target: "/items?page=2",
		Header: []Field{{"Accept", "application/json"}, {"X-Multi", "1"}, {"X-Multi", "2"}},
	}, Options{Now: now})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	e, _ := srv.Last()
	if e.Method != "GET" || e.URI != "/api/v1/items?page=2" {
		t.Errorf("server got %s %s", e.Method, e.URI)
	}
	if got := e.Header.Get("Authorization"); got != "Bearer tok-abc123" {
		t.Errorf("Authorization = %q", got)
	}
	if got := e.Header.Values("X-Multi"); !slices.Equal(got, []string{"1", "2"}) || e.Header.Get("Accept") != "application/json" {
		t.Errorf("headers = %v", e.Header)
	}
	if e.Header.Get("Content-Type") != "" {
		t.Errorf("a GET without a body got Content-Type %q", e.Header.Get("Content-Type"))
	}
	r := ex.Response
	if r == nil || r.Status != 200 || r.StatusText != "OK" || r.Proto != "HTTP/1.1" || r.Size != int64(len(r.Body)) || r.Truncated {
		t.Fatalf("Response = %+v", r)
	}
	if r.Duration != 143*time.Millisecond {
		t.Errorf("Duration = %v, want 143ms from the injected clock", r.Duration)
	}
	s := ex.Sent
	if s.Method != "GET" || s.URL.String() != srv.URL+"/api/v1/items?page=2" || s.Header.Get("Authorization") != "Bearer tok-abc123" ||
		s.Injection != (providers.Injection{Header: "Authorization", Prefix: "Bearer "}) || s.Token.Reveal() != "tok-abc123" {
		t.Errorf("Sent = %+v", s)
	}
}

func TestSendQueryInjection(t *testing.T) {
	srv := exchangetest.NewRecorder(t, jsonOK)
	p := &config.Provider{Name: "p", BaseURL: srv.URL, Inject: &config.Inject{Query: "access_token"}}
	ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("tok/with+chars"), Request{Method: "GET", Target: "/x?b=2&a=1"}, Options{})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	e, _ := srv.Last()
	if want := "/x?b=2&a=1&access_token=" + url.QueryEscape("tok/with+chars"); e.URI != want {
		t.Errorf("server got %s, want %s", e.URI, want)
	}
	if e.Header.Get("Authorization") != "" {
		t.Errorf("query injection also sent Authorization: %q", e.Header.Get("Authorization"))
	}
}

func TestSendCustomHeaderAndRawPrefix(t *testing.T) {
	srv := exchangetest.NewRecorder(t, jsonOK)
	empty := ""
	p := &config.Provider{Name: "p", BaseURL: srv.URL, Inject: &config.Inject{Header: "Authorization", Prefix: &empty}}
	// maptable: the token already carries "Bearer ", sent as issued.
	ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("Bearer eyJ.x.y"), Request{Target: "/x"}, Options{})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	e, _ := srv.Last()
	if got := e.Header.Values("Authorization"); !slices.Equal(got, []string{"Bearer eyJ.x.y"}) {
		t.Errorf("Authorization = %q", got)
	}
	p.Inject = &config.Inject{Header: "X-Api-Key", Prefix: &empty}
	if ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("k-123"), Request{Target: "/x"}, Options{}); ex.Err != nil {
		t.Fatal(ex.Err)
	}
	e, _ = srv.Last()
	if e.Header.Get("X-Api-Key") != "k-123" || e.Header.Get("Authorization") != "" {
		t.Errorf("headers = %v", e.Header)
	}
}

func TestSendBody(t *testing.T) {
	tests := []struct {
		name, body  string
		header      []Field
		contentType string
	}{
		{"JSON object", `{"name":"Brass Hinge"}`, nil, "application/json"},
		{"JSON array with spaces", "  [1, 2]\n", nil, "application/json"},
		{"form", "a=1&b=2", nil, "application/x-www-form-urlencoded"},
		{"broken JSON is not JSON", `{"name":`, nil, "application/x-www-form-urlencoded"},
		{"explicit type wins", `{"a":1}`, []Field{{"Content-Type", "text/plain"}}, "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := exchangetest.NewRecorder(t, jsonOK)
			p := &config.Provider{Name: "p", BaseURL: srv.URL}
			ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Method: "POST", Target: "/items", Header: tt.header, Body: tt.body}, Options{})
			if ex.Err != nil {
				t.Fatal(ex.Err)
			}
			e, _ := srv.Last()
			if e.Body != tt.body || e.Method != "POST" {
				t.Errorf("server got %s %q", e.Method, e.Body)
			}
			if got := e.Header.Values("Content-Type"); !slices.Equal(got, []string{tt.contentType}) {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if string(ex.Sent.Body) != tt.body || ex.Sent.Header.Get("Content-Type") != tt.contentType {
				t.Errorf("Sent = %q %q", ex.Sent.Body, ex.Sent.Header.Get("Content-Type"))
			}
			if e.Header.Get("Authorization") != "" {
				t.Error("a nil token sent Authorization")
			}
		})
	}
}

func TestSendForeignOriginWithholdsTheToken(t *testing.T) {
	srv := exchangetest.NewRecorder(t, jsonOK)
	p := &config.Provider{Name: "p", BaseURL: "https://api.example.com"}
	ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("tok-secret-1"), Request{Target: srv.URL + "/other"}, Options{})
	if ex.Err != nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("the request to another origin did not go out without its token: %+v", ex)
	}
	if !ex.Sent.Withheld || !ex.Sent.Token.IsZero() {
		t.Errorf("Sent.Withheld = %v, token set = %v", ex.Sent.Withheld, !ex.Sent.Token.IsZero())
	}
	e, _ := srv.Last()
	auth := e.Header.Get("Authorization")
	if auth != "" {
		t.Errorf("the token went to another origin: %q", auth)
	}
	// Forced, it goes.
	ex = Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("tok-secret-1"), Request{Target: srv.URL + "/other"}, Options{ForceToken: true})
	e, _ = srv.Last()
	auth = e.Header.Get("Authorization")
	if ex.Err != nil || auth != "Bearer tok-secret-1" {
		t.Errorf("ForceToken did not send the token: %q (%v)", auth, ex.Err)
	}
}

func TestSendRenewsTheTokenOnceAfter401(t *testing.T) {
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		jsonOK(w, r)
	})
	p := &config.Provider{Name: "p", BaseURL: srv.URL}
	renewals := 0
	renew := func(context.Context) (*providers.Token, error) { renewals++; return exchangetest.Bearer("fresh"), nil }
	ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("stale"), Request{Target: "/x"}, Options{Renew: renew})
	if ex.Err != nil || ex.Response.Status != 200 || ex.Token.Access.Reveal() != "fresh" || len(ex.Notes) != 1 {
		t.Fatalf("no successful retry: status %v notes %v err %v", ex.Response, ex.Notes, ex.Err)
	}
	if _, n := srv.Last(); renewals != 1 || n != 2 {
		t.Errorf("renewals %d, requests %d; want 1 and 2", renewals, n)
	}
	// A renewal that brings the same token stops there: one request, no loop.
	ex = Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("stale"), Request{Target: "/x"}, Options{Renew: func(context.Context) (*providers.Token, error) { return exchangetest.Bearer("stale"), nil }})
	if _, n := srv.Last(); ex.Response.Status != 401 || n-2 != 1 {
		t.Errorf("same-token renewal: status %d after %d requests", ex.Response.Status, n-2)
	}
}

// TestSendDoesNotRenewForARefusedProof: a 401 that blames the DPoP proof
// (invalid_dpop_proof, use_dpop_nonce) is not answered with a new token,
// which the server would refuse the same way; one that blames the token
// still is.
func TestSendDoesNotRenewForARefusedProof(t *testing.T) {
	for _, c := range []struct {
		challenge string
		renew     bool
	}{
		{`DPoP algs="ES256", error="invalid_dpop_proof", error_description="bad htu"`, false},
		{`DPoP error="use_dpop_nonce", Bearer realm="api"`, false},
		{`DPoP error="invalid_token"`, true},
		{`Bearer error="invalid_token"`, true},
	} {
		srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", c.challenge)
			w.WriteHeader(http.StatusUnauthorized)
		})
		p := &config.Provider{Name: "p", BaseURL: srv.URL}
		renewals := 0
		renew := func(context.Context) (*providers.Token, error) { renewals++; return exchangetest.Bearer("fresh"), nil }
		ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer("held"), Request{Target: "/x"}, Options{Renew: renew})
		if got := renewals == 1; got != c.renew || ex.Response == nil || ex.Response.Status != 401 {
			t.Errorf("%s: renewed %d times (want renewal: %v), response %v", c.challenge, renewals, c.renew, ex.Response)
		}
		if !c.renew && (len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "DPoP proof")) {
			t.Errorf("%s: notes %q", c.challenge, ex.Notes)
		}
	}
}

func TestSendWaitsOutRetryAfter(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		jsonOK(w, r)
	}))
	p := &config.Provider{Name: "p", BaseURL: srv.URL}
	var slept []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Target: "/x"}, Options{Sleep: sleep})
	if ex.Err != nil || ex.Response.Status != 200 || len(slept) != 1 || slept[0] != 7*time.Second {
		t.Fatalf("status %v slept %v err %v", ex.Response, slept, ex.Err)
	}
	if len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "waited 7s") {
		t.Errorf("notes %v do not say it waited", ex.Notes)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{"12": 12 * time.Second, "0": 0, now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second} {
		if got, ok := RetryAfter(in, now); !ok || got != want {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "-3"} {
		if _, ok := RetryAfter(in, now); ok {
			t.Errorf("RetryAfter(%q) accepted", in)
		}
	}
}

func TestSendMaxBody(t *testing.T) {
	body := strings.Repeat("a", 1000)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	p := &config.Provider{Name: "p", BaseURL: srv.URL}
	for _, tt := range []struct {
		max       int64
		size      int64
		truncated bool
	}{
		{100, 100, true},
		{999, 999, true},
		{1000, 1000, false},
		{5000, 1000, false},
		{0, 1000, false}, // the default
	} {
		ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Target: "/big"}, Options{MaxBody: tt.max})
		if ex.Err != nil {
			t.Fatal(ex.Err)
		}
		r := ex.Response
		if r.Size != tt.size || int64(len(r.Body)) != tt.size || r.Truncated != tt.truncated {
			t.Errorf("MaxBody %d: Size %d (len %d), Truncated %v; want %d, %v", tt.max, r.Size, len(r.Body), r.Truncated, tt.size, tt.truncated)
		}
	}
}

func TestSendTimeout(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	p := &config.Provider{Name: "p", BaseURL: srv.URL}
	begin := time.Now()
	ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Target: "/slow"}, Options{Timeout: 50 * time.Millisecond})
	if d := time.Since(begin); d > time.Second {
		t.Errorf("a 50ms timeout took %v", d)
	}
	var ne *providers.NetworkError
	if !errors.As(ex.Err, &ne) || !errors.Is(ex.Err, context.DeadlineExceeded) || !strings.Contains(ex.Err.Error(), "deadline") {
		t.Errorf("Err = %v, want a NetworkError naming the deadline", ex.Err)
	}
	if !strings.Contains(providers.Hint(ex.Err), "timeout") {
		t.Errorf("Hint = %q", providers.Hint(ex.Err))
	}
	if ex.Response != nil {
		t.Errorf("Response = %+v", ex.Response)
	}
}

func TestSendTimeoutDuringBody(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	p := &config.Provider{Name: "p", BaseURL: srv.URL}
	ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Target: "/x"}, Options{Timeout: 50 * time.Millisecond})
	if ex.Err == nil || !strings.Contains(ex.Err.Error(), "body cut off after 7 bytes") || !errors.Is(ex.Err, context.DeadlineExceeded) {
		t.Errorf("Err = %v", ex.Err)
	}
	if ex.Response == nil || string(ex.Response.Body) != "partial" || ex.Response.Status != 200 {
		t.Errorf("Response = %+v: what arrived should be kept", ex.Response)
	}
}

func TestSendRefusedHasNoToken(t *testing.T) {
	base := faults.ClosedURL(t)
	const tok = "tok-q8w7e6r5t4"
	for _, inject := range []*config.Inject{{Query: "access_token"}, {Query: "key"}, nil} {
		p := &config.Provider{Name: "p", BaseURL: base, Inject: inject}
		ex := Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer(tok), Request{Target: "/x?client_secret=cs-123456&page=1"}, Options{})
		if ex.Err == nil {
			t.Fatal("a refused connection gave no error")
		}
		msg := ex.Err.Error()
		if strings.Contains(msg, tok) || strings.Contains(msg, "cs-123456") {
			t.Errorf("inject %+v: the error leaks a secret: %s", inject, msg)
		}
		if !strings.Contains(msg, "refused") || !strings.Contains(msg, "page=1") || !strings.HasPrefix(msg, "p: request: GET ") {
			t.Errorf("inject %+v: Error = %q: want the provider, the cause and the (redacted) URL", inject, msg)
		}
		var ne *providers.NetworkError
		if !errors.As(ex.Err, &ne) || !strings.Contains(providers.Hint(ex.Err), "nothing listens") {
			t.Errorf("inject %+v: Err = %T, hint %q: want a NetworkError with a hint", inject, ex.Err, providers.Hint(ex.Err))
		}
		var op *net.OpError
		if !errors.As(ex.Err, &op) {
			t.Errorf("the cause is not reachable: %v", ex.Err)
		}
	}
}

func TestSendBadInput(t *testing.T) {
	p := &config.Provider{Name: "p", BaseURL: "http://127.0.0.1:1"}
	if ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Method: "BAD METHOD", Target: "/x"}, Options{}); ex.Err == nil {
		t.Error("an invalid method was accepted")
	}
	if ex := Send(context.Background(), exchangetest.Client(t), &config.Provider{Name: "p"}, nil, Request{Target: "/x"}, Options{}); ex.Err == nil {
		t.Error("a path with no base_url was accepted")
	}
}

func TestSendFillsTheProvidersVars(t *testing.T) {
	srv := exchangetest.NewRecorder(t, jsonOK)
	p := &config.Provider{Name: "p", BaseURL: srv.URL, Vars: map[string]string{"owner": "acme", "id": "42"}}
	ex := Send(context.Background(), exchangetest.Client(t), p, nil, Request{Method: "POST", Target: "/owners/{{owner}}/items/{{ id }}?x={{missing}}", Header: []Field{{"X-Owner", "{{owner}}"}}, Body: `{"owner":"{{owner}}"}`}, Options{})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	e, _ := srv.Last()
	if e.URI != "/owners/acme/items/42?x=%7B%7Bmissing%7D%7D" && e.URI != "/owners/acme/items/42?x={{missing}}" {
		t.Errorf("uri %q", e.URI)
	}
	if e.Header.Get("X-Owner") != "acme" || e.Body != `{"owner":"acme"}` {
		t.Errorf("header %q body %q", e.Header.Get("X-Owner"), e.Body)
	}
}
