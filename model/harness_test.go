package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// demoHost is the demo's address in tests: requests never leave the
// process, so no real port or timing reaches a golden file. It is a
// loopback name, as the real demo's address is: plain http elsewhere
// would be marked as credentials sent in clear.
const demoHost = "http://localhost"

// fixedNow is the clock of every model test.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// handlerTransport serves requests with an http.Handler in-process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	// The handler gets its own copy, as over a real connection: handlers
	// replace Body (MaxBytesReader), which the client later closes.
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = r.URL.Host
	}
	in.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// testEnv isolates a test from the machine: XDG dirs in a temp dir.
func testEnv(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir+"/config")
	t.Setenv("XDG_STATE_HOME", dir+"/state")
	t.Setenv("KEYHOLE_CONFIG", dir+"/config/keyhole/config.toml")
}

// demoBackend is the demo server behind an in-process transport.
func demoBackend(t testing.TB, opts demo.Options, now func() time.Time) (*app.Backend, *demo.Server) {
	t.Helper()
	testEnv(t)
	srv, err := demo.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("demo.toml", []byte(demo.Config(demoHost)))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: handlerTransport{srv.Handler()}}
	b := app.NewBackend(cfg, func(string) (string, bool) { return "", false }, providers.SessionOptions{Client: client, Now: now, RefreshBefore: config.DefaultRefreshBefore})
	return b, srv
}

// configBackend parses text as the config file called label and wires
// its backend; a ${NAME} in it reads vars (nil: none is set). The
// providers' idle connections are closed when the test ends, so that no
// connection's goroutine outlives it.
func configBackend(t *testing.T, label, text string, vars map[string]string, opts providers.SessionOptions) *app.Backend {
	t.Helper()
	cfg, err := config.Parse(label, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { v, ok := vars[k]; return v, ok }, opts)
	t.Cleanup(func() {
		for _, p := range b.Providers {
			if p.Client != nil {
				p.Client.CloseIdleConnections()
			}
		}
	})
	return b
}

// recorder keeps every frame the model draws, so a leak in any of them,
// however briefly shown, is caught.
type recorder struct {
	t      *testing.T
	m      Model
	frames []string
}

// record builds the model on b at w×h, with the test clock and zone
// unless opts has its own, and keeps every frame it draws from then on.
func record(t *testing.T, b *app.Backend, opts Options, w, h int) *recorder {
	t.Helper()
	opts.Backend = b
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	return &recorder{t: t, m: update(t, New(opts), tea.WindowSizeMsg{Width: w, Height: h})}
}

func (r *recorder) send(msg tea.Msg) {
	r.t.Helper()
	r.m = run(r.t, r.m, msg)
	r.frames = append(r.frames, r.m.View().Content)
}

// noLeak fails the test for every frame that holds one of secrets in one
// of its leakForms.
func (r *recorder) noLeak(secrets ...string) {
	r.t.Helper()
	for i, f := range r.frames {
		for _, s := range secrets {
			for _, form := range leakForms(s) {
				if strings.Contains(f, form) {
					r.t.Errorf("frame %d holds %q as %q:\n%s", i, s, form, ansiRE.ReplaceAllString(f, ""))
				}
			}
		}
	}
}

// leakForms are the forms a secret would show in (attack.LeakForms), and
// its first ten bytes (a secret cut by an excerpt's end or by the pane's
// edge).
func leakForms(s string) []string { return append(attack.LeakForms(s), s[:10]) }

// newTestModel builds a model on the demo with a fixed clock and zone.
func newTestModel(t *testing.T, b *app.Backend, now *time.Time) Model {
	t.Helper()
	if now == nil {
		n := fixedNow
		now = &n
	}
	m := New(Options{
		Label:    "testdata/config.toml",
		Backend:  b,
		Redact:   true,
		Now:      func() time.Time { return *now },
		Location: time.UTC,
	})
	return update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
}

// update runs one message through Update.
func update(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, _ := m.Update(msg)
	return nm.(Model)
}

// run sends msg and then runs every command it returns, feeding their
// messages back, until none is left. What it waits for is said by kind,
// never by a stopwatch (see drain): a slow machine makes a test slower,
// never a failure into a pass.
func run(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	m, _ = pump(t, m, []tea.Msg{msg}, func(tea.Msg) bool { return false })
	return m
}

// runWait is run with its own deadline for the commands msg starts: work
// a test knows to be slow (a megabyte under the race detector), or one
// that a fault makes wait (a hung server).
func runWait(t *testing.T, m Model, msg tea.Msg, deadline time.Duration) Model {
	t.Helper()
	nm, cmd := m.Update(msg)
	m = nm.(Model)
	for _, out := range drainWait(t, cmd, deadline) {
		m = run(t, m, out)
	}
	return m
}

// pump feeds the queue's messages to Update, and what their commands
// yield after them, until none is left or one that stop wants has been
// handled; that one is returned (nil when none came).
func pump(t *testing.T, m Model, queue []tea.Msg, stop func(tea.Msg) bool) (Model, tea.Msg) {
	t.Helper()
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100 {
			t.Fatal("too many messages")
		}
		next := queue[0]
		queue = queue[1:]
		nm, cmd := m.Update(next)
		m = nm.(Model)
		if stop(next) {
			return m, next
		}
		queue = append(queue, drain(t, cmd)...)
	}
	return m, nil
}

// cmdDeadline is how long the harness waits for a command that does work
// (a token request, a send, a file write, a search). One still running
// then fails the test, naming it: it is hung, or the test forgot that it
// waits for the person (a sign-in's wait, which tests run with drainWait).
const cmdDeadline = 60 * time.Second

// timerFuncs are the commands that only wait for the clock: Bubble Tea's
// Every (the one-second tick) and Tick (the spinner's next frame), and a
// cursor's blink. The harness never runs them: a test moves the clock by
// sending tickMsg itself. They are known by the function that made them,
// which inlining may prefix but never renames.
var timerFuncs = []string{".Every.func", ".Tick.func", "cursor.(*Model).Blink.func"}

// cmdName is the name of the function behind cmd.
func cmdName(cmd tea.Cmd) string {
	if f := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()); f != nil {
		return f.Name()
	}
	return "?"
}

// isTimer reports whether cmd is one of timerFuncs.
func isTimer(cmd tea.Cmd) bool {
	name := cmdName(cmd)
	for _, f := range timerFuncs {
		if strings.Contains(name, f) {
			return true
		}
	}
	return false
}

// drain runs cmd and returns the messages it yields. Timers are not run
// (see timerFuncs); the clock's and the spinner's ticks are dropped by
// type, since feeding them back would never end; every other command is
// waited for, up to cmdDeadline. The commands of a batch run concurrently,
// as Bubble Tea runs them, so a batch costs its slowest command, not the
// sum.
func drain(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	return drainWait(t, cmd, cmdDeadline)
}

// drainWait is drain with its own deadline, for a test that says how long
// the work it started may take (a cancelled request must end at once).
func drainWait(t *testing.T, cmd tea.Cmd, deadline time.Duration) []tea.Msg {
	t.Helper()
	if cmd == nil || isTimer(cmd) {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(deadline):
		t.Fatalf("a command (%s) has not finished after %v", cmdName(cmd), deadline)
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		results := make([][]tea.Msg, len(msg))
		failed := make([]string, len(msg))
		var wg sync.WaitGroup
		for i, c := range msg {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// t.Fatal must not be called from another goroutine: each
				// command reports back, and the test fails here.
				results[i], failed[i] = drainOne(c, deadline)
			}()
		}
		wg.Wait()
		var out []tea.Msg
		for i, r := range results {
			if failed[i] != "" {
				t.Fatal(failed[i])
			}
			for _, m := range r {
				out = append(out, drainWait(t, func() tea.Msg { return m }, deadline)...)
			}
		}
		return out
	case tickMsg, spinner.TickMsg, nil:
		return nil
	}
	return []tea.Msg{msg}
}

// drainOne runs one command of a batch and returns what it yields, or why
// it did not: drainWait unpacks a nested batch.
func drainOne(cmd tea.Cmd, deadline time.Duration) ([]tea.Msg, string) {
	if cmd == nil || isTimer(cmd) {
		return nil, ""
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		return []tea.Msg{msg}, ""
	case <-time.After(deadline):
		return nil, fmt.Sprintf("a command (%s) has not finished after %v", cmdName(cmd), deadline)
	}
}

// await runs cmd, and what the messages it yields start, until a message
// of type T arrives; it fails the test if none does. It is for work that
// ends on its own but not at once (a sign-in the test's browser
// completes): the test names what it waits for.
func await[T tea.Msg](t *testing.T, m Model, cmd tea.Cmd) (Model, T) {
	t.Helper()
	m, msg := pump(t, m, drain(t, cmd), func(msg tea.Msg) bool { _, ok := msg.(T); return ok })
	got, ok := msg.(T)
	if !ok {
		t.Fatalf("no %T arrived", got)
	}
	return m, got
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;:?]*[a-zA-Z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)

// plain is the rendered screen without colours.
func plain(m Model) string {
	return ansiRE.ReplaceAllString(m.View().Content, "")
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	if len(s) == 6 && s[:5] == "ctrl+" {
		return tea.KeyPressMsg{Code: rune(s[5]), Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func demoOpts() demo.Options { return demo.Options{} }

// settle runs Update with no news: after a test changed the model's state
// directly (SetRequest on the composer), the components get what they
// draw, as after any message.
func settle(t *testing.T, m Model) Model {
	t.Helper()
	return update(t, m, nil)
}

// startSend composes GET path and presses ctrl+s, and returns the send's
// command unrun: the test decides what happens while it is in flight.
func startSend(t *testing.T, m Model, path string) (Model, tea.Cmd) {
	t.Helper()
	m.composer.SetRequest("GET", path, "", "")
	m.focus = paneRequest
	nm, cmd := m.Update(press("ctrl+s"))
	m = nm.(Model)
	if !m.sending {
		t.Fatal("ctrl+s did not start a send")
	}
	return m, cmd
}

// hasPopup reports whether a popup of kind is open.
func hasPopup(m Model, kind popupKind) bool { return m.popups.find(kind) != nil }

// TestHarnessWaitsForSlowWork: drain waits for a command that does work,
// however long it takes within cmdDeadline, and skips only the timers,
// which it knows by name. The old helper dropped anything slower than
// 200 ms, so a send that was slow on a busy machine passed unseen.
func TestHarnessWaitsForSlowWork(t *testing.T) {
	type slowMsg struct{}
	slow := func() tea.Msg { time.Sleep(300 * time.Millisecond); return slowMsg{} }
	msgs := drain(t, tea.Batch(slow, tick(), tea.Tick(time.Hour, func(time.Time) tea.Msg { return slowMsg{} })))
	if len(msgs) != 1 {
		t.Fatalf("drain gave %d messages (%v), want the slow command's one", len(msgs), msgs)
	}
	if _, ok := msgs[0].(slowMsg); !ok {
		t.Errorf("drain gave %T, want slowMsg", msgs[0])
	}
}
