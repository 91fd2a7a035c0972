package model

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers"
)

// faultTimeout is the fault providers' timeout: a hang costs 200 ms.
const faultTimeout = 200 * time.Millisecond

// faultWorld is a model on the fault server, over real connections to
// 127.0.0.1 (a cut-off body needs one), with name lookups kept in the
// process and a clock the test moves. The clock is atomic: the session's
// goroutines read it while the test moves it.
type faultWorld struct {
	t   *testing.T
	s   *faults.Server
	now atomic.Int64
	m   Model
}

func newFaultWorld(t *testing.T, s *faults.Server, timeout time.Duration) *faultWorld {
	t.Helper()
	testEnv(t)
	w := &faultWorld{t: t, s: s}
	// The real time, not fixedNow: a Retry-After date is the server's.
	w.now.Store(time.Now().UnixNano())
	b := configBackend(t, "faults.toml", s.Config(timeout), nil, providers.SessionOptions{Client: faults.Client(t), Now: w.clock})
	w.m = New(Options{Label: "faults.toml", Backend: b, Redact: true, Now: w.clock, Location: time.UTC})
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	return w
}

func (w *faultWorld) clock() time.Time { return time.Unix(0, w.now.Load()) }

// step sends msg and feeds back what its commands yield, waiting for work
// (a token request, a send) as long as a fault may take.
func (w *faultWorld) step(msg tea.Msg) {
	w.t.Helper()
	w.m = runWait(w.t, w.m, msg, 3*time.Second)
}

// use selects the provider called name with the keys, as a person would,
// which fetches its token.
func (w *faultWorld) use(name string) {
	w.t.Helper()
	for i, e := range w.m.entries {
		if e.name == name {
			for range i {
				w.m = update(w.t, w.m, press("down"))
			}
			w.step(press("enter"))
			return
		}
	}
	w.t.Fatalf("no provider %s", name)
}

// send composes GET path and sends it with ctrl+s.
func (w *faultWorld) send(path string) {
	w.t.Helper()
	w.m.composer.SetRequest("GET", path, "Accept: application/json", "")
	w.step(press("ctrl+s"))
}

// onScreen fails unless the screen shows every want.
func (w *faultWorld) onScreen(what string, want ...string) {
	w.t.Helper()
	screen := plain(w.m)
	for _, s := range want {
		if !strings.Contains(screen, s) {
			w.t.Errorf("%s: the screen lacks %q:\n%s", what, s, screen)
		}
	}
	if strings.Contains(screen, faults.ClientSecret) {
		w.t.Errorf("%s: the client secret is on screen", what)
	}
}

// stillResponds checks that keys work after a fault: tab moves the focus,
// ? opens the help and esc closes it.
func (w *faultWorld) stillResponds() {
	w.t.Helper()
	before := w.m.focus
	w.m = update(w.t, w.m, press("tab"))
	if w.m.focus == before {
		w.t.Error("tab did not move the focus after the fault")
	}
	w.m = update(w.t, w.m, press("?"))
	if !hasPopup(w.m, popHelp) {
		w.t.Error("? did not open the help after the fault")
	}
	w.m = update(w.t, w.m, press("esc"))
	if hasPopup(w.m, popHelp) {
		w.t.Error("esc did not close the help after the fault")
	}
}

// TestTokenFaultsOnScreen: whatever the token endpoint does, the token pane
// ends in the error state with the cause and a hint, within the timeout,
// and the screen still takes keys.
func TestTokenFaultsOnScreen(t *testing.T) {
	s := faults.Start(t)
	for _, tc := range []struct {
		provider string
		says     []string // short: the pane wraps long lines
		hint     string
	}{
		{faults.TokenProvider(faults.Status500JSON), []string{"answered 500", "server_error"}, "the token endpoint failed"},
		{faults.TokenProvider(faults.Status503JSON), []string{"answered 503", "server_error"}, "the token endpoint failed"},
		{faults.TokenProvider(faults.Status500HTML), []string{"answered 500", "Service"}, "the token endpoint failed"},
		{faults.TokenProvider(faults.Status503HTML), []string{"answered 503", "Service"}, "the token endpoint failed"},
		{faults.TokenProvider(faults.TooManyRequests), []string{"answered 429", "rate_limited"}, "the token endpoint is rate"},
		{faults.TokenProvider(faults.NotJSON), []string{"cannot parse"}, "the token endpoint answered"},
		{faults.TokenProvider(faults.Empty), []string{"cannot parse"}, "the token endpoint answered"},
		{faults.TokenProvider(faults.Hang), []string{"deadline"}, "no answer in time"},
		{faults.TokenProvider(faults.Slow), []string{"deadline"}, "no answer in time"},
		{faults.TokenProvider(faults.CutOff), []string{"unexpected EOF"}, "the connection broke"},
		{faults.TokenNetProvider(faults.Refused), []string{"connection refused"}, "nothing listens there"},
		{faults.TokenNetProvider(faults.DNS), []string{"no such host"}, "the host name does not"},
		{faults.TokenNetProvider(faults.TLS), []string{"certificate"}, "TLS verification failed"},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			w := newFaultWorld(t, s, faultTimeout)
			begin := time.Now()
			w.use(tc.provider)
			if d := time.Since(begin); d > 2*time.Second {
				t.Errorf("the fault took %v to show with a %v timeout", d, faultTimeout)
			}
			e := w.m.active()
			if st := w.m.state(e); st != providers.StateError || e.err == nil {
				t.Fatalf("state = %s (err %v), want error", st, e.err)
			}
			w.onScreen("token pane", append([]string{"✗ error", "hint: " + tc.hint}, tc.says...)...)
			// Sending now says why nothing went out, with the same hint.
			w.send("/ok")
			if w.m.ex == nil || w.m.ex.Err == nil || providers.Hint(w.m.ex.Err) == "" {
				t.Fatalf("send without a token: %+v", w.m.ex)
			}
			w.onScreen("response pane", "no token, request not sent", "hint: "+tc.hint)
			w.stillResponds()
		})
	}
}

// TestAPIFaultsOnScreen: with a good token, each API fault shows what the
// server sent, or the error with a hint, and the screen still takes keys.
func TestAPIFaultsOnScreen(t *testing.T) {
	s := faults.Start(t)
	for _, tc := range []struct {
		name, provider, path string
		says                 []string
	}{
		{"500 JSON", faults.APIProvider, "/500-json", []string{"Response · 500 Internal Server Error", faults.ErrorDescription, "hint: the server failed"}},
		{"503 JSON", faults.APIProvider, "/503-json", []string{"Response · 503 Service Unavailable", faults.ErrorDescription, "hint: the server failed"}},
		{"500 HTML", faults.APIProvider, "/500-html", []string{"Response · 500 Internal Server Error", "<h1>Service Unavailable</h1>", "hint: the server failed"}},
		{"503 HTML", faults.APIProvider, "/503-html", []string{"Response · 503 Service Unavailable", "<h1>Service Unavailable</h1>", "hint: the server failed"}},
		{"hang", faults.APIProvider, "/hang", []string{"error: api: request: GET", "deadline exceeded", "hint: no answer in time"}},
		{"slow past the timeout", faults.APIProvider, "/slow", []string{"deadline exceeded", "hint: no answer in time"}},
		{"200 not JSON", faults.APIProvider, "/not-json", []string{"Response · 200 OK", "Please sign in"}},
		{"200 empty", faults.APIProvider, "/empty", []string{"Response · 200 OK", "0 B"}},
		{"429 Retry-After seconds", faults.APIProvider, "/429-seconds?after=0", []string{"Response · 200 OK", "note: 429 Too Many Requests: waited 0s", `"after": "429"`}},
		{"429 Retry-After date", faults.APIProvider, "/429-date?after=0", []string{"Response · 200 OK", "note: 429 Too Many Requests: waited 0s", `"after": "429"`}},
		{"429 without Retry-After", faults.APIProvider, "/429", []string{"Response · 429 Too Many Requests", "without Retry-After: not retried", "hint: rate limited"}},
		{"429 asking too long", faults.APIProvider, "/429-seconds?after=120", []string{"Response · 429 Too Many Requests", "asks to wait 2m0s", "hint: rate limited"}},
		{"refused", faults.APINetProvider(faults.Refused), "/ok", []string{"connection refused", "hint: nothing listens there"}},
		{"DNS", faults.APINetProvider(faults.DNS), "/ok", []string{"no such host", "hint: the host name does not"}},
		{"TLS", faults.APINetProvider(faults.TLS), "/ok", []string{"certificate", "hint: TLS verification failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newFaultWorld(t, s, faultTimeout)
			w.use(tc.provider)
			if e := w.m.active(); e.tok == nil {
				t.Fatalf("no token: %v", e.err)
			}
			begin := time.Now()
			w.send(tc.path)
			if d := time.Since(begin); d > 2*time.Second {
				t.Errorf("the send took %v with a %v timeout", d, faultTimeout)
			}
			if w.m.sending || w.m.ex == nil {
				t.Fatalf("the send did not end: sending %v, ex %+v", w.m.sending, w.m.ex)
			}
			w.onScreen(tc.path, tc.says...)
			w.stillResponds()
		})
	}
}

// TestCutOffBodyShowsWhatArrived: a body cut mid-stream shows the bytes
// that came, and an error saying it was cut, with a hint.
func TestCutOffBodyShowsWhatArrived(t *testing.T) {
	w := newFaultWorld(t, faults.Start(t), faultTimeout)
	w.use(faults.APIProvider)
	w.send("/cut-off")
	ex := w.m.ex
	if ex == nil || ex.Response == nil || string(ex.Response.Body) != faults.CutOffBody {
		t.Fatalf("what arrived is not kept: %+v", ex)
	}
	if ex.Err == nil || !strings.Contains(ex.Err.Error(), "cut off") {
		t.Fatalf("no error says the body was cut: %v", ex.Err)
	}
	w.onScreen("cut-off", "Response · 200 OK", "itm_0001", "Walnut Mailbox", "body cut off after 72 bytes", "hint: the connection broke")
	w.stillResponds()
}

// TestSlowSendShowsProgressAndEscCancels: while a slow request is in
// flight the response title turns a spinner and counts the time; esc
// cancels at once, says so, and the late answer is dropped.
func TestSlowSendShowsProgressAndEscCancels(t *testing.T) {
	s := faults.Start(t)
	w := newFaultWorld(t, s, 0) // the default 30 s: only esc ends this send
	w.use(faults.APIProvider)
	var cmd tea.Cmd
	w.m, cmd = startSend(t, w.m, "/slow?ms=20000")
	done := make(chan []tea.Msg, 1)
	go func() { done <- drainWait(t, cmd, 5*time.Second) }()
	for s.Hits(faults.Slow) == 0 {
		time.Sleep(time.Millisecond)
	}

	frame := w.m.spinner.View()
	w.onScreen("in flight", "Response · "+frame+" 0.0 ms")
	w.now.Add(int64(1500 * time.Millisecond))
	w.m = update(t, w.m, tickMsg(w.clock()))
	w.m = update(t, w.m, spinner.TickMsg{ID: w.m.spinner.ID(), Time: w.clock()})
	if next := w.m.spinner.View(); next == frame {
		t.Errorf("the spinner did not turn: %q", next)
	}
	w.onScreen("in flight after 1.5 s", "Response · "+w.m.spinner.View()+" 1.5 s")

	begin := time.Now()
	w.m = update(t, w.m, press("esc"))
	if w.m.sending || w.m.ex == nil || w.m.ex.Err == nil || w.m.ex.Err.Error() != "cancelled" {
		t.Fatalf("esc did not cancel: sending %v, ex %+v", w.m.sending, w.m.ex)
	}
	w.onScreen("cancelled", "error: cancelled")
	var late []tea.Msg
	select {
	case late = <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the cancelled send kept running")
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("the send ended %v after esc", d)
	}
	for _, msg := range late {
		w.m = update(t, w.m, msg)
	}
	if w.m.ex.Err == nil || w.m.ex.Err.Error() != "cancelled" || w.m.ex.Response != nil {
		t.Errorf("the late answer replaced the cancellation: %+v", w.m.ex)
	}
	w.stillResponds()
}
