package model

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
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
func testEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir+"/config")
	t.Setenv("XDG_STATE_HOME", dir+"/state")
	t.Setenv("KEYHOLE_CONFIG", dir+"/config/keyhole/config.toml")
}

// demoBackend is the demo server behind an in-process transport.
func demoBackend(t *testing.T, opts demo.Options, now func() time.Time) (*app.Backend, *demo.Server) {
	t.Helper()
	testEnv(t)
	srv, err := demo.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := providers.Parse("demo.toml", []byte(demo.Config(demoHost)))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: handlerTransport{srv.Handler()}}
	b := app.NewBackend(cfg, func(string) (string, bool) { return "", false }, providers.SessionOptions{Client: client, Now: now, RefreshBefore: providers.DefaultRefreshBefore})
	return b, srv
}

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
// messages back, until none is left — except the clock and spinner ticks,
// which would never end.
func run(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100 {
			t.Fatal("too many messages")
		}
		next := queue[0]
		queue = queue[1:]
		nm, cmd := m.Update(next)
		m = nm.(Model)
		queue = append(queue, drain(t, cmd)...)
	}
	return m
}

// drainWait is how long drain waits for a command. Work (a token request,
// a send) ends well within it even under the race detector on a busy
// machine; the clock tick and the cursor blink do not, and are skipped.
const drainWait1 = 200 * time.Millisecond

// drain runs a command and returns the messages it yields, skipping ticks.
// The commands of a batch run concurrently, as Bubble Tea runs them, so a
// batch costs its slowest command, not the sum.
func drain(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(drainWait1):
		return nil // a timer (tick, blink): not part of the flow
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		results := make([][]tea.Msg, len(msg))
		var wg sync.WaitGroup
		for i, c := range msg {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = drain(t, c)
			}()
		}
		wg.Wait()
		var out []tea.Msg
		for _, r := range results {
			out = append(out, r...)
		}
		return out
	case tickMsg, nil:
		return nil
	}
	if isSpinnerTick(msg) {
		return nil
	}
	return []tea.Msg{msg}
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
