package app_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestMain fails the package when a test leaves a goroutine behind: a
// demo server or a connection Close did not stop.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// options is a hermetic environment: no ${VAR} set, the state folder in a
// temporary directory.
func options(t *testing.T) (app.Options, string) {
	state := t.TempDir()
	getenv := func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}
	return app.Options{Env: func(string) (string, bool) { return "", false }, Getenv: getenv}, filepath.Join(state, "keyhole")
}

// backend wires cfg (nil: the built-in demo) and readies its backend; the
// app is closed when the test ends.
func backend(t *testing.T, cfg *config.File, opts app.Options) *app.Backend {
	t.Helper()
	a := app.New(cfg, opts)
	t.Cleanup(a.Close)
	b, err := a.Backend(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parse reads text as the config file name.
func parse(t *testing.T, name, text string) *config.File {
	t.Helper()
	cfg, err := config.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// With no config, the TUI's wiring lists the demo's providers before
// anything starts, then starts the demo and makes every provider ready;
// Close stops the server.
func TestBackendOnTheBuiltInDemo(t *testing.T) {
	opts, stateDir := options(t)
	a := app.New(nil, opts)
	names, err := a.Names()
	if err != nil || !slices.Equal(names, []string{"demo-cc", "demo-pkce", "demo-device"}) {
		t.Fatalf("Names = %q, %v", names, err)
	}
	b, err := a.Backend(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Providers) != 3 || b.History == nil || b.History.Path() != filepath.Join(stateDir, "history.jsonl") {
		t.Fatalf("backend: %d providers, history %v", len(b.Providers), b.History)
	}
	cc := b.Providers[0]
	if cc.Err != nil || cc.Session == nil || strings.HasSuffix(cc.Config.BaseURL, ":1") {
		t.Fatalf("demo-cc: %+v", cc)
	}
	tok, err := cc.Session.Token(context.Background())
	if err != nil || tok.Access.IsZero() {
		t.Fatalf("no token from the demo: %v", err)
	}
	base := cc.Config.BaseURL
	a.Close()
	if resp, err := http.Get(base + "/api/me"); err == nil {
		resp.Body.Close()
		t.Errorf("the demo still answers after Close: %s", resp.Status)
	}
}

// The command line's wiring finds a name in the config, else in the
// built-in demo (started on use), and says which names there are.
func TestSessionByName(t *testing.T) {
	opts, _ := options(t)
	cfg := parse(t, "mine.toml", `
[settings]
token_cache = "memory"

[providers.st]
grant = "static"
base_url = "https://api.example"
token = "${NOT_SET}"

[providers.demo-pkce]
grant = "static"
base_url = "https://shadow.example"
token = "fixed-token"
`)
	a := app.New(cfg, opts)
	defer a.Close()

	_, err := a.Session("nope")
	if !errors.Is(err, app.ErrUnknown) || !strings.Contains(err.Error(), `no provider "nope": mine.toml defines st, demo-pkce; the built-in demo has demo-cc, demo-device`) {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := a.Session("st"); err == nil || !strings.Contains(err.Error(), "NOT_SET") {
		t.Errorf("an unset ${VAR}: %v", err)
	}
	if p, builtin, err := a.Provider("demo-pkce"); err != nil || builtin || p.BaseURL != "https://shadow.example" {
		t.Errorf("the config's demo-pkce is not the one found: %+v, %v, %v", p, builtin, err)
	}
	demo, err := a.DemoProviders()
	if err != nil || len(demo) != 2 || demo[0].Name != "demo-cc" || demo[1].Name != "demo-device" {
		t.Errorf("DemoProviders = %v, %v", demo, err)
	}

	sess, err := a.Session("demo-cc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Token(context.Background()); err != nil {
		t.Fatalf("no token from the built-in demo: %v", err)
	}
	if c := a.Client("demo-cc"); c == nil {
		t.Error("no client for demo-cc")
	}
	again, err := a.Session("demo-device")
	if err != nil || again.Provider().BaseURL != sess.Provider().BaseURL {
		t.Errorf("a second demo provider started another demo: %v", err)
	}
}

// What the token store says when it opens reaches the screen through
// Backend's Notice when no one else listens.
func TestBackendNoticeCarriesTheStoresNotes(t *testing.T) {
	opts, stateDir := options(t)
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := parse(t, "c.toml", "[providers.st]\ngrant = \"static\"\nbase_url = \"https://api.example\"\ntoken = \"t0k3n\"\n")
	b := backend(t, cfg, opts)
	if !strings.Contains(b.Notice, "changed it to 0700") {
		t.Errorf("Notice = %q, want the store's note on the folder it tightened", b.Notice)
	}
	var said []string
	opts.Say = func(s string) { said = append(said, s) }
	if err := os.Chmod(stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := app.New(cfg, opts).Store(); err != nil || len(said) != 1 {
		t.Errorf("Say heard %q, %v", said, err)
	}
}

// A demo asked for after Close is not left running.
func TestNoDemoAfterClose(t *testing.T) {
	opts, _ := options(t)
	a := app.New(nil, opts)
	a.Close()
	if _, err := a.Backend(context.Background()); err == nil {
		t.Error("the demo started after Close")
	}
}

// TestBackendLeavesTheHistoryUnread: the backend prepares the history
// but does not parse it — a history of hundreds of exchanges would be
// read while the first frame is drawn — and what is on disk is there once
// History.Load has run.
func TestBackendLeavesTheHistoryUnread(t *testing.T) {
	opts, stateDir := options(t)
	earlier, err := history.Open(stateDir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := earlier.Add(history.Entry{Time: time.Date(2026, 3, 14, 15, 9, 0, 0, time.UTC), Method: "GET", URL: "https://h.test/earlier"}); err != nil {
		t.Fatal(err)
	}
	b := backend(t, nil, opts)
	if b.History == nil {
		t.Fatal("the backend has no history")
	}
	if b.History.Loaded() || len(b.History.List()) != 0 {
		t.Fatalf("the backend read the history at start: %d entries", len(b.History.List()))
	}
	if err := b.History.Load(); err != nil {
		t.Fatal(err)
	}
	if l := b.History.List(); len(l) != 1 || l[0].URL != "https://h.test/earlier" {
		t.Errorf("after Load: %+v", l)
	}
}
