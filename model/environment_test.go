package model

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// envServer is a token endpoint and an API on 127.0.0.1 that keep what
// they were asked: the client_id of each token request (its token is
// "tok-" and the client_id), and each API call with its Authorization.
type envServer struct{ *exchangetest.Recorder }

func newEnvServer(t *testing.T) *envServer {
	t.Helper()
	return &envServer{exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" {
			id := clientID(r.Header, r.Body)
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + id, "token_type": "Bearer", "expires_in": 3600})
			return
		}
		_, _ = w.Write([]byte(`{"ok": true}`))
	})}
}

// clientID is the client a token request names: in its Basic
// credentials, else in its form.
func clientID(h http.Header, body io.Reader) string {
	if id, _, ok := (&http.Request{Header: h}).BasicAuth(); ok {
		return id
	}
	b, _ := io.ReadAll(body)
	form, _ := url.ParseQuery(string(b))
	return form.Get("client_id")
}

func (s *envServer) tokenClients() []string {
	var ids []string
	for _, r := range s.All() {
		if r.Path == "/token" {
			ids = append(ids, clientID(r.Header, strings.NewReader(r.Body)))
		}
	}
	return ids
}

func (s *envServer) apiCalls() []string {
	var calls []string
	for _, r := range s.All() {
		if r.Path != "/token" {
			calls = append(calls, r.Method+" "+r.Path+" "+r.Header.Get("Authorization"))
		}
	}
	return calls
}

// envConfig is one provider on srv, its client_id changed by each of two
// environments; prod is dangerous by its name. Tokens are cached in a
// file, as by default: each environment's under its own key.
func envConfig(srv string) string {
	return `[settings]
token_cache = "file"

[providers.api]
grant = "client_credentials"
base_url = "` + srv + `"
token_url = "` + srv + `/token"
client_id = "live-client"
client_secret = "live-secret"

[environments.staging.providers.api]
client_id = "staging-client"

[environments.prod.providers.api]
client_id = "prod-client"
`
}

// envWiring wires a config for the environment asked for as the command
// line does: collenv.Build, then app. Every app is closed when the test
// ends.
type envWiring struct {
	cfg  *config.File
	dir  string
	mu   sync.Mutex
	apps []*app.App
}

func newEnvWiring(t *testing.T, text string) *envWiring {
	t.Helper()
	testEnv(t)
	cfg, err := config.Parse("k.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	w := &envWiring{cfg: cfg, dir: t.TempDir()}
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, a := range w.apps {
			a.Close()
		}
	})
	return w
}

func (w *envWiring) switchTo(ctx context.Context, name string) (*collenv.Layer, *app.Backend, error) {
	l, err := collenv.Build(w.cfg, name, w.dir)
	if err != nil {
		return nil, nil, err
	}
	a := app.New(l.Config, app.Options{Env: func(string) (string, bool) { return "", false }, Getenv: os.Getenv})
	w.mu.Lock()
	w.apps = append(w.apps, a)
	w.mu.Unlock()
	b, err := a.Backend(ctx)
	return l, b, err
}

// envModel starts the TUI in the environment called start, as --env
// would, at 120×40, with the real clock (the tokens come from a real
// server).
func envModel(t *testing.T, w *envWiring, start string) Model {
	t.Helper()
	l, b, err := w.switchTo(context.Background(), start)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Label: "k.toml", Backend: b, Environment: l, SwitchEnv: w.switchTo, Redact: true})
	return update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
}

// typeKeys presses each rune of s.
func typeKeys(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = run(t, m, press(string(r)))
	}
	return m
}

// enterLine types s into what has the keys and presses enter: a filter
// and its choice, a prompt and its answer.
func enterLine(t *testing.T, m Model, s string) Model {
	t.Helper()
	return run(t, typeKeys(t, m, s), press("enter"))
}

// switchEnv opens the environment picker, filters it to name and
// chooses the row.
func switchEnv(t *testing.T, m Model, name string) Model {
	t.Helper()
	m = run(t, m, press("e"))
	if !hasPopup(m, popEnvs) {
		t.Fatalf("e opened no environment picker:\n%s", plain(m))
	}
	return enterLine(t, m, name)
}

// compose puts a request in the composer, with the Request pane focused.
func compose(t *testing.T, m Model, method, path, body string) Model {
	t.Helper()
	m.composer.SetRequest(method, path, "Accept: application/json", body)
	m.setFocus(paneRequest)
	return settle(t, m)
}

// TestEnvPickerSwitchesAndKeepsTheWork: e lists no environment, then the
// config's, the one in force and the dangerous one marked; choosing one
// wires the config again with it applied: the provider in use stays in
// use by name, the composer keeps its text and the response stays on
// screen, and the next token is the new environment's (its client_id is
// seen at the token endpoint), never the old one's. Switching back finds
// the first environment's token in the cache, under its own key.
func TestEnvPickerSwitchesAndKeepsTheWork(t *testing.T) {
	srv := newEnvServer(t)
	w := newEnvWiring(t, envConfig(srv.URL))
	m := envModel(t, w, "staging")
	if got := firstLine(plain(m)); !strings.Contains(got, "env staging") {
		t.Errorf("header without the environment: %q", got)
	}
	m = run(t, m, press("enter")) // api, in use
	m = compose(t, m, "GET", "/items", "")
	m = run(t, m, press("ctrl+s"))
	if got := srv.apiCalls(); len(got) != 1 || got[0] != "GET /items Bearer tok-staging-client" {
		t.Fatalf("staging's calls: %q", got)
	}
	shown := m.ex

	// The picker, focus on any pane.
	m.setFocus(paneResponse)
	m = run(t, m, press("e"))
	screen := plain(m)
	for _, want := range []string{"no environment", "[in force] staging", "prod", "⚠ dangerous"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the environment picker lacks %q:\n%s", want, screen)
		}
	}
	if i, j := strings.Index(screen, "no environment"), strings.Index(screen, "[in force] staging"); i < 0 || i > j {
		t.Errorf("no environment is not first:\n%s", screen)
	}
	m = run(t, m, press("esc"))
	m = run(t, m, press("esc"))
	if hasPopup(m, popEnvs) {
		t.Fatal("esc did not close the picker")
	}

	m = compose(t, m, "GET", "/kept?q=1", "")
	m = switchEnv(t, m, "prod")
	if l := m.environment(); l == nil || l.Name != "prod" || !l.Danger {
		t.Fatalf("environment after the switch: %+v", l)
	}
	if got := srv.tokenClients(); !slices.Equal(got, []string{"staging-client", "prod-client"}) {
		t.Errorf("token requests: %q, want staging's then prod's", got)
	}
	if e := m.active(); e == nil || e.name != "api" || e.tok == nil || e.tok.Access.Reveal() != "tok-prod-client" {
		t.Fatalf("the provider in use after the switch: %+v", e)
	}
	if method, path, _, _ := m.composer.Request(); method != "GET" || path != "/kept?q=1" {
		t.Errorf("the composer lost its text: %s %s", method, path)
	}
	if m.ex != shown {
		t.Error("the response on screen was dropped")
	}
	screen = plain(m)
	if !strings.Contains(firstLine(screen), "⚠ PROD") || !strings.Contains(screen, "now in environment prod") {
		t.Errorf("the switch is not said:\n%s", screen)
	}
	m = run(t, m, press("ctrl+s"))
	if got := srv.apiCalls(); len(got) != 2 || got[1] != "GET /kept Bearer tok-prod-client" {
		t.Fatalf("calls after the switch: %q", got)
	}

	// Back to staging: its token is cached under staging's key.
	m = switchEnv(t, m, "staging")
	if got := srv.tokenClients(); len(got) != 2 {
		t.Errorf("token requests after switching back: %q, want none more", got)
	}
	if e := m.active(); e == nil || e.tok == nil || e.tok.Access.Reveal() != "tok-staging-client" {
		t.Errorf("staging's token after switching back: %+v", e)
	}
	m = switchEnv(t, m, "no environment")
	if l := m.environment(); l == nil || l.Name != "" {
		t.Errorf("no environment chosen: %+v", l)
	}
	if got := srv.tokenClients(); got[len(got)-1] != "live-client" {
		t.Errorf("token requests with no environment: %q", got)
	}
	if strings.Contains(firstLine(plain(m)), "env ") {
		t.Errorf("header still names an environment: %q", firstLine(plain(m)))
	}
}

// TestEnvSwitchDropsTheOldAnswers: a token request of the environment
// left, still in flight when the switch lands, never puts its token (or
// its cancellation) on the new environment's provider.
func TestEnvSwitchDropsTheOldAnswers(t *testing.T) {
	srv := newEnvServer(t)
	w := newEnvWiring(t, envConfig(srv.URL))
	m := envModel(t, w, "staging")
	nm, oldFetch := m.Update(press("enter")) // staging's token: in flight
	m = nm.(Model)
	m = switchEnv(t, m, "prod")
	for _, msg := range drain(t, oldFetch) {
		m = run(t, m, msg)
	}
	e := m.active()
	if e == nil || e.tok == nil || e.tok.Access.Reveal() != "tok-prod-client" || e.err != nil {
		t.Fatalf("prod's provider after staging's answer came: %+v", e)
	}

	// A look into the cache of the environment left, answered after the
	// switch: staging's cached token is not shown as prod's (which has
	// none cached: a new token folder).
	m = envModel(t, newEnvWiring(t, envConfig(srv.URL)), "staging")
	if _, err := m.entries[0].Session.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	oldPeek := m.peekAll()
	m = switchEnv(t, m, "prod")
	for _, msg := range drain(t, oldPeek) {
		m = run(t, m, msg)
	}
	if tok := m.entries[0].tok; tok != nil && tok.Access.Reveal() != "tok-prod-client" {
		t.Errorf("prod's provider shows %s", tok.Access.Reveal())
	}
}

// TestEnvSwitchWithoutTheProvider: a provider in use that the new
// environment does not have is said on the status line; nothing else is
// lost.
func TestEnvSwitchWithoutTheProvider(t *testing.T) {
	testEnv(t)
	b := configBackend(t, "one.toml", staticConfig("api", "https://api.example.com"), nil, providers.SessionOptions{})
	other := configBackend(t, "two.toml", staticConfig("other", "https://other.example.com"), nil, providers.SessionOptions{})
	cfg, err := config.Parse("one.toml", []byte(staticConfig("api", "https://api.example.com")+"\n[environments.dev]\n"))
	if err != nil {
		t.Fatal(err)
	}
	start, err := collenv.Build(cfg, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dev, err := collenv.Build(cfg, "dev", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	switchTo := func(context.Context, string) (*collenv.Layer, *app.Backend, error) { return dev, other, nil }
	m := New(Options{Label: "one.toml", Backend: b, Environment: start, SwitchEnv: switchTo, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, m, press("enter"))
	m = compose(t, m, "PUT", "/things/1", `{"a": 1}`)
	m = switchEnv(t, m, "dev")
	if !strings.Contains(m.notice, "environment dev has no provider api") {
		t.Errorf("notice = %q", m.notice)
	}
	if m.active() != nil {
		t.Errorf("a provider is in use: %+v", m.active())
	}
	if method, path, _, body := m.composer.Request(); method != "PUT" || path != "/things/1" || body != `{"a": 1}` {
		t.Errorf("composer: %s %s %s", method, path, body)
	}
	m = run(t, m, press("ctrl+s"))
	if !strings.Contains(m.notice, "select a provider first") {
		t.Errorf("a send with no provider: notice %q", m.notice)
	}
}

// TestEnvSaysWhatTheEnvFilesSay: an env file's environment is listed
// after the config's, marked as the env file's; what it has to say (a
// Security.Auth entry the config's provider shadows, a setting keyhole
// does not use) is on the status line, at start and after a switch.
func TestEnvSaysWhatTheEnvFilesSay(t *testing.T) {
	srv := newEnvServer(t)
	w := newEnvWiring(t, envConfig(srv.URL))
	file := `{"qa": {"host": "x", "SSLConfiguration": {"verifyHostCertificate": false}, "Security": {"Auth": {"api": {"Type": "OAuth2", "Grant Type": "Client Credentials", "Client ID": "qa", "Token URL": "` + srv.URL + `/token"}}}}}`
	if err := os.WriteFile(filepath.Join(w.dir, collenv.PublicFile), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	m := envModel(t, w, "qa")
	if !strings.Contains(m.notice, "Security.Auth.api not used") {
		t.Errorf("at start, notice = %q", m.notice)
	}
	m = switchEnv(t, m, "staging")
	m = run(t, m, press("e"))
	screen := plain(m)
	if i, j := regexpIndex(`prod +config`, screen), regexpIndex(`qa +env file`, screen); i < 0 || j < i {
		t.Errorf("the env file's environment is not listed after the config's:\n%s", screen)
	}
	m = enterLine(t, m, "qa")
	for _, want := range []string{"now in environment qa", "Security.Auth.api not used", "SSLConfiguration"} {
		if !strings.Contains(m.notice, want) {
			t.Errorf("after the switch, notice lacks %q: %q", want, m.notice)
		}
	}
}

// regexpIndex is where expr first matches s, or -1.
func regexpIndex(expr, s string) int {
	if at := regexp.MustCompile(expr).FindStringIndex(s); at != nil {
		return at[0]
	}
	return -1
}

// staticConfig is one static-token provider at base.
func staticConfig(name, base string) string {
	return "[providers." + name + "]\ngrant = \"static\"\nbase_url = \"" + base + "\"\ntoken = \"t\"\n"
}

// TestEnvDangerConfirmsWrites: in a dangerous environment a send other
// than GET, HEAD or OPTIONS asks first, naming the environment and the
// method: y sends it; n, esc or any other key send nothing. A GET is not
// asked, nor a write elsewhere; a request reopened from history asks
// again.
func TestEnvDangerConfirmsWrites(t *testing.T) {
	srv := newEnvServer(t)
	w := newEnvWiring(t, envConfig(srv.URL))
	m := envModel(t, w, "prod")
	m = run(t, m, press("enter"))
	m = compose(t, m, "POST", "/items", `{"name": "x"}`)
	for _, no := range []string{"n", "esc", "x", "enter"} {
		m = run(t, m, press("ctrl+s"))
		if !hasPopup(m, popDanger) {
			t.Fatalf("POST in prod sent without asking; calls %q", srv.apiCalls())
		}
		screen := plain(m)
		if !strings.Contains(screen, "Send POST to prod?") || !strings.Contains(screen, "POST /items with api") || !strings.Contains(screen, "any other key no") {
			t.Errorf("the question does not name the environment and the method:\n%s", screen)
		}
		m = run(t, m, press(no))
		if hasPopup(m, popDanger) || len(srv.apiCalls()) != 0 {
			t.Fatalf("%s: popup still open %v, calls %q", no, hasPopup(m, popDanger), srv.apiCalls())
		}
	}
	m = run(t, m, press("ctrl+s"))
	m = run(t, m, press("y"))
	if got := srv.apiCalls(); len(got) != 1 || got[0] != "POST /items Bearer tok-prod-client" {
		t.Fatalf("y: calls %q", got)
	}
	// The yes was for that send only.
	m = run(t, m, press("ctrl+s"))
	if !hasPopup(m, popDanger) {
		t.Fatal("a second POST was sent on the first one's yes")
	}
	m = run(t, m, press("n"))
	for _, method := range []string{"GET", "HEAD", "OPTIONS"} {
		m = compose(t, m, method, "/items", "")
		m = run(t, m, press("ctrl+s"))
		if hasPopup(m, popDanger) {
			t.Fatalf("%s asked", method)
		}
	}
	if got := srv.apiCalls(); len(got) != 4 {
		t.Fatalf("calls: %q", got)
	}

	// Sent again from history: the POST asks again.
	m = run(t, m, press("H"))
	m = enterLine(t, m, "POST")
	if method, _, _, _ := m.composer.Request(); method != "POST" {
		t.Fatalf("history reopened %s", method)
	}
	m = run(t, m, press("ctrl+s"))
	if !hasPopup(m, popDanger) {
		t.Fatal("a POST from history was sent without asking")
	}
	m = run(t, m, press("y"))
	if got := srv.apiCalls(); len(got) != 5 || !strings.HasPrefix(got[4], "POST /items") {
		t.Fatalf("calls: %q", got)
	}

	// Elsewhere a write is not asked.
	m = switchEnv(t, m, "staging")
	m = compose(t, m, "DELETE", "/items/1", "")
	m = run(t, m, press("ctrl+s"))
	if hasPopup(m, popDanger) || len(srv.apiCalls()) != 6 {
		t.Fatalf("DELETE in staging: asked %v, calls %q", hasPopup(m, popDanger), srv.apiCalls())
	}
}

// firstLine is the header.
func firstLine(screen string) string {
	line, _, _ := strings.Cut(screen, "\n")
	return line
}

// envScreen is the demo with a token and a response at w×h, in the
// environment called name of a config that has staging and prod.
func envScreen(t *testing.T, theme, name string, w, h int) Model {
	t.Helper()
	b, _ := demoBackend(t, demo.Options{}, func() time.Time { return fixedNow })
	cfg, err := config.Parse("testdata/config.toml", []byte(demo.Config(demoHost)+"\n[environments.staging]\n\n[environments.prod]\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := collenv.Build(cfg, name, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Label: "testdata/config.toml", Backend: b, Environment: l, Redact: true, Theme: theme,
		Now: func() time.Time { return fixedNow }, Location: time.UTC})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = run(t, m, press("enter"))
	m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	return run(t, m, press("ctrl+s"))
}

// TestGoldenEnvironment: the header names the environment in force, and
// draws a dangerous one as a badge, wide and narrow; in both styles the
// badge is white on red. Regenerate with
// go test ./model -run GoldenEnvironment -update.
func TestGoldenEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		w, h      int
	}{
		{"StagingWide", "staging", 120, 40},
		{"StagingNarrow", "staging", 80, 24},
		{"ProdWide", "prod", 120, 40},
		{"ProdNarrow", "prod", 80, 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := envScreen(t, "dark", tc.env, tc.w, tc.h)
			screen := plain(m)
			for i, line := range strings.Split(screen, "\n") {
				if got := len([]rune(line)); got > tc.w {
					t.Errorf("line %d is %d wide, more than %d: %q", i, got, tc.w, line)
				}
			}
			golden.RequireEqual(t, screen)
		})
	}
	for _, theme := range []string{"dark", "light"} {
		t.Run("ProdHeader_"+theme, func(t *testing.T) {
			golden.RequireEqual(t, firstLine(envScreen(t, theme, "prod", 80, 24).View().Content))
		})
	}
}
