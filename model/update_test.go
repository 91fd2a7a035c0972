package model

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/ui"
)

// world is a model on the demo with a clock the test moves.
type world struct {
	t   *testing.T
	now time.Time
	srv *demo.Server
	m   Model
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, now: fixedNow}
	b, srv := demoBackend(t, demo.Options{}, w.clock)
	w.srv = srv
	w.m = newTestModel(t, b, &w.now)
	return w
}

func (w *world) clock() time.Time { return w.now }

func (w *world) tokenRequests() int { return w.srv.Stats().Grants["client_credentials"] }

func TestFirstViewShowsProvidersBeforeAnyCommand(t *testing.T) {
	testEnv(t)
	started := false
	m := New(Options{
		Label:       "built-in demo",
		Demo:        true,
		Placeholder: []string{"demo-cc"},
		Start: func(ctx context.Context) (*app.Backend, error) {
			started = true
			return nil, nil
		},
	})
	// No WindowSizeMsg, no Init: the very first frame.
	screen := plain(m)
	for _, want := range []string{"Providers", "demo-cc", "Token", "Request", "starting the built-in demo server"} {
		if !strings.Contains(screen, want) {
			t.Errorf("first frame lacks %q:\n%s", want, screen)
		}
	}
	if started {
		t.Error("New or View started the backend: it must wait for Init's command")
	}
}

func TestSelectFetchesTokenOnce(t *testing.T) {
	w := newWorld(t)
	m, cmd := w.m.Update(press("enter"))
	w.m = m.(Model)
	if cmd == nil {
		t.Fatal("enter on a provider with no token returned no command")
	}
	if got := w.m.state(w.m.active()); got != providers.StateFetching {
		t.Fatalf("state after enter = %s, want fetching", got)
	}
	for _, msg := range drain(t, cmd) {
		w.m = run(t, w.m, msg)
	}
	e := w.m.active()
	if e.tok == nil || w.m.state(e) != providers.StateValid {
		t.Fatalf("no valid token after the fetch: state %s, err %v", w.m.state(e), e.err)
	}
	if got := w.tokenRequests(); got != 1 {
		t.Errorf("server saw %d token requests, want 1", got)
	}
	// Selecting again uses the token held.
	w.m = run(t, w.m, press("enter"))
	if got := w.tokenRequests(); got != 1 {
		t.Errorf("server saw %d token requests after re-selecting, want 1", got)
	}
	screen := plain(w.m)
	for _, want := range []string{"● valid", "expires in 1:29", "(at 15:10:55)", "scope api:read api:write", "aud demo-api", "sub demo-cc"} {
		if !strings.Contains(screen, want) {
			t.Errorf("token pane lacks %q:\n%s", want, screen)
		}
	}
}

func TestSendShowsPrettyJSONBesideTheRequest(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "/api/items?page=2", "Accept: application/json", "")
	w.m = run(t, w.m, press("ctrl+s"))
	ex := w.m.ex
	if ex == nil || ex.Err != nil || ex.Response == nil {
		t.Fatalf("no response: %+v", ex)
	}
	if ex.Response.Status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", ex.Response.Status, ex.Response.Body)
	}
	var page struct {
		Page  int              `json:"page"`
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(ex.Response.Body, &page); err != nil || page.Page != 2 || len(page.Items) == 0 {
		t.Fatalf("unexpected body %s (%v)", ex.Response.Body, err)
	}
	screen := plain(w.m)
	for _, want := range []string{"Response · 200 OK", "\"items\": [", "GET http://localhost/api/items?page=2", "Authorization: Bearer ••••"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	// The response pane stands to the right of the request pane.
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "┌ Request") && !strings.Contains(line, "┌ Response · 200 OK") {
			t.Errorf("request and response are not side by side at 120 columns: %q", line)
		}
	}
}

func TestSendWithoutTokenFetchesFirst(t *testing.T) {
	w := newWorld(t)
	w.m.list.SetActive(0) // chosen, but no token yet
	w.m.loadComposer(w.m.active())
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex == nil || w.m.ex.Response == nil || w.m.ex.Response.Status != 200 {
		t.Fatalf("send without a token did not fetch one and succeed: %+v", w.m.ex)
	}
	if w.m.active().tok == nil {
		t.Error("the token fetched for the send was not kept")
	}
	if got := w.tokenRequests(); got != 1 {
		t.Errorf("server saw %d token requests, want 1", got)
	}
}

func TestTickMovesCountdownAndExpires(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	if !strings.Contains(plain(w.m), "expires in 1:29") {
		t.Fatalf("countdown does not start at 1:29:\n%s", plain(w.m))
	}
	w.now = w.now.Add(30 * time.Second)
	nm, cmd := w.m.Update(tickMsg(w.now))
	w.m = nm.(Model)
	if cmd == nil {
		t.Error("tick did not schedule the next tick")
	}
	if !strings.Contains(plain(w.m), "expires in 0:59") {
		t.Errorf("countdown did not move to 0:59:\n%s", plain(w.m))
	}
	w.now = w.now.Add(40 * time.Second)
	nm, cmd = w.m.Update(tickMsg(w.now))
	w.m = nm.(Model)
	if got := w.m.state(w.m.active()); got != providers.StateRefreshing {
		t.Errorf("state 19 s before expiry = %s, want refreshing (inside refresh_before)", got)
	}
	// Left to run, the refresh brings a new token.
	before := w.tokenRequests()
	for _, msg := range drainWait(t, cmd, 2*time.Second) {
		w.m = run(t, w.m, msg)
	}
	if got := w.m.state(w.m.active()); got != providers.StateValid || w.tokenRequests() != before+1 {
		t.Errorf("after the refresh window: state %s, token requests %d (was %d)", got, w.tokenRequests(), before)
	}
	// Without a session the token can only expire.
	w.m.active().Session = nil
	w.now = w.now.Add(2 * time.Minute)
	w.m = update(t, w.m, tickMsg(w.now))
	if got := w.m.state(w.m.active()); got != providers.StateExpired {
		t.Errorf("state after expiry = %s, want expired", got)
	}
	if !strings.Contains(plain(w.m), "✗ expired") {
		t.Errorf("expired token not shown as such:\n%s", plain(w.m))
	}
}

func TestRedactionToggle(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, press("ctrl+s"))
	full := w.m.active().tok.Access.Reveal()
	if full == "" {
		t.Fatal("no token")
	}
	// Its first 60 characters: past the constant "eyJhbGciOiJFUzI1NiIs"
	// they hold the key id of this test's demo server, found in no other
	// text on the screen. (The pane cuts a revealed token at its width, so
	// the signature at its end never shows.)
	tok := full[:60]
	screen := plain(w.m)
	if strings.Contains(screen, tok[20:]) {
		t.Fatal("token on screen while redaction is on")
	}
	if !strings.Contains(screen, "Authorization: Bearer ••••") || !strings.Contains(screen, "redacted") {
		t.Errorf("masked Authorization or the redacted mark missing:\n%s", screen)
	}
	w.m = update(t, w.m, press("ctrl+r"))
	screen = plain(w.m)
	if !strings.Contains(screen, "Authorization: Bearer ") || !strings.Contains(screen, tok) || !strings.Contains(screen, "SECRETS SHOWN") {
		t.Errorf("ctrl+r did not reveal the token:\n%s", screen)
	}
	w.m = update(t, w.m, press("ctrl+r"))
	if strings.Contains(plain(w.m), tok[20:]) {
		t.Error("second ctrl+r did not mask the token again")
	}
}

func TestTokenErrorIsShownWithHintAndNoSecret(t *testing.T) {
	testEnv(t)
	srv, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const badSecret = "wrong-secret-XYZ123"
	text := strings.Replace(demo.Config(demoHost), `client_secret = "`+demo.CCClientSecret+`"`, `client_secret = "`+badSecret+`"`, 1)
	client := &http.Client{Transport: handlerTransport{srv.Handler()}}
	b := configBackend(t, "bad.toml", text, nil, providers.SessionOptions{Client: client, Now: func() time.Time { return fixedNow }})
	m := newTestModel(t, b, nil)
	m = run(t, m, press("enter"))
	e := m.active()
	if got := m.state(e); got != providers.StateError {
		t.Fatalf("state = %s, want error", got)
	}
	screen := plain(m)
	for _, want := range []string{"✗ error", "401", "invalid_client", "hint: the token endpoint refused the client"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, badSecret) {
		t.Error("client secret on screen")
	}
	// Sending now shows why nothing was sent, and still no secret.
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Err == nil || !strings.Contains(m.ex.Err.Error(), "no token") {
		t.Errorf("send with a failing token endpoint: %+v", m.ex)
	}
	if strings.Contains(plain(m), badSecret) {
		t.Error("client secret on screen after send")
	}
}

func TestTypingSendsPrintableKeysToTheInput(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m = update(t, w.m, press("tab"))
	w.m = update(t, w.m, press("tab"))
	if w.m.focus != paneRequest {
		t.Fatalf("focus = %s, want Request", paneNames[w.m.focus])
	}
	w.m = update(t, w.m, press("down")) // method → path
	nm, _ := w.m.Update(press("enter"))
	w.m = nm.(Model)
	if !w.m.composer.Typing() {
		t.Fatal("enter on the path field did not start typing")
	}
	for _, k := range []string{"q", "?", "/", "x"} {
		nm, cmd := w.m.Update(press(k))
		w.m = nm.(Model)
		if quits(t, cmd) {
			t.Fatalf("%q quit while typing", k)
		}
	}
	if hasPopup(w.m, popHelp) {
		t.Error("? opened the help while typing")
	}
	_, path, _, _ := w.m.composer.Request()
	if !strings.HasSuffix(path, "q?/x") {
		t.Errorf("typed keys did not reach the path: %q", path)
	}
	w.m = update(t, w.m, press("esc"))
	if w.m.composer.Typing() {
		t.Error("esc did not leave the input")
	}
	if _, cmd := w.m.Update(press("q")); !quits(t, cmd) {
		t.Error("q while browsing did not quit")
	}
}

func TestCtrlCQuitsWhileTyping(t *testing.T) {
	w := newWorld(t)
	w.m.focus = paneRequest
	w.m.composer.Field = ui.FieldPath
	w.m = update(t, w.m, press("enter"))
	if !w.m.typing() {
		t.Fatal("enter on the path field did not start typing")
	}
	if _, cmd := w.m.Update(press("ctrl+c")); !quits(t, cmd) {
		t.Error("ctrl+c did not quit")
	}
}

func TestEscCancelsASlowSend(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	var cmd tea.Cmd
	w.m, cmd = startSend(t, w.m, "/api/slow?ms=10000")
	if !strings.Contains(plain(w.m), "Response · ") {
		t.Errorf("no progress shown while sending:\n%s", plain(w.m))
	}
	start := time.Now()
	w.m = update(t, w.m, press("esc"))
	if w.m.sending || w.m.ex == nil || w.m.ex.Err == nil || !strings.Contains(w.m.ex.Err.Error(), "cancelled") {
		t.Fatalf("esc did not cancel the send: %+v", w.m.ex)
	}
	// The command returns promptly once cancelled, and its late answer is dropped.
	for _, msg := range drainWait(t, cmd, 2*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the cancelled request kept running")
	}
	if w.m.ex.Err == nil || !strings.Contains(w.m.ex.Err.Error(), "cancelled") {
		t.Errorf("a stale answer replaced the cancellation: %+v", w.m.ex)
	}
}

func TestNarrowTerminalReachesEveryPane(t *testing.T) {
	w := newWorld(t)
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 80, Height: 24})
	w.m = run(t, w.m, press("enter"))
	seen := map[string]bool{}
	for i := 0; i < int(paneCount); i++ {
		screen := plain(w.m)
		for _, title := range paneNames {
			if strings.Contains(screen, "┌ "+title) {
				seen[title] = true
			}
		}
		for _, line := range strings.Split(screen, "\n") {
			if n := len([]rune(line)); n > 80 {
				t.Fatalf("line wider than 80 columns (%d): %q", n, line)
			}
		}
		if n := strings.Count(screen, "\n") + 1; n > 24 {
			t.Fatalf("screen taller than 24 rows: %d", n)
		}
		w.m = update(t, w.m, press("tab"))
	}
	for _, title := range paneNames {
		if !seen[title] {
			t.Errorf("pane %s never shown at 80x24", title)
		}
	}
}

// designKeys is DESIGN.md's key table.
var designKeys = []string{"tab", "shift+tab", "enter", "ctrl+s", "ctrl+c", "ctrl+r", "esc", "q", "?", "/", "n", "N", "r", "a", "x", "i", "c", "v", "f", "h", "p", "w", "y", "s", "H", "o", "!"}

func TestEveryDesignKeyIsBoundAndInTheHelp(t *testing.T) {
	w := newWorld(t)
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 80, Height: 24})
	w.m = update(t, w.m, press("?"))
	// Scroll through the help, collecting every screen.
	var screens strings.Builder
	for i := 0; i < 40; i++ {
		screens.WriteString(plain(w.m))
		w.m = update(t, w.m, press("down"))
	}
	help := screens.String()
	bound := map[string]bool{}
	for _, group := range w.m.keys.HelpGroups() {
		for _, b := range group.Bindings {
			for _, k := range b.Keys() {
				bound[k] = true
			}
		}
	}
	for _, k := range designKeys {
		if !bound[k] {
			t.Errorf("DESIGN.md's key %q has no binding in the help's key map", k)
		}
	}
	for _, group := range w.m.keys.HelpGroups() {
		for _, b := range group.Bindings {
			if !b.Enabled() {
				// W, only while sharing: TestSharingKeysInHelp.
				if strings.Contains(help, b.Help().Desc) {
					t.Errorf("the help shows %q (%s), switched off here", b.Help().Key, b.Help().Desc)
				}
				continue
			}
			if !strings.Contains(help, b.Help().Desc) {
				t.Errorf("the help at 80x24 never shows %q (%s), even scrolled", b.Help().Key, b.Help().Desc)
			}
		}
	}
	w.m = update(t, w.m, press("esc"))
	if hasPopup(w.m, popHelp) {
		t.Error("esc did not close the help")
	}
}

// quits reports whether cmd yields tea.QuitMsg, without waiting on timers
// such as the cursor's blink.
func quits(t *testing.T, cmd tea.Cmd) bool {
	t.Helper()
	for _, msg := range drain(t, cmd) {
		if _, ok := msg.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestMouseClickFocusesAndWheelScrolls(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "/api/items?page=1", "", "")
	w.m = run(t, w.m, press("ctrl+s"))
	// A click in the response pane (right half of the bottom row) focuses it.
	w.m = update(t, w.m, tea.MouseClickMsg{X: 100, Y: 20, Button: tea.MouseLeft})
	if w.m.focus != paneResponse {
		t.Fatalf("click on the response pane: focus %s", paneNames[w.m.focus])
	}
	before := w.m.insp.view.TopLine()
	w.m = update(t, w.m, tea.MouseWheelMsg{X: 100, Y: 20, Button: tea.MouseWheelDown})
	if w.m.insp.view.TopLine() <= before {
		t.Errorf("the wheel did not scroll the response: offset %d → %d", before, w.m.insp.view.TopLine())
	}
	// A click on the providers pane picks the row under the pointer.
	w.m = update(t, w.m, tea.MouseClickMsg{X: 5, Y: 3, Button: tea.MouseLeft})
	if w.m.focus != paneProviders || w.m.list.Cursor() != 1 {
		t.Errorf("click on the second provider row: focus %s cursor %d", paneNames[w.m.focus], w.m.list.Cursor())
	}
	if w.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("the view does not ask for mouse events")
	}
}

func TestComposerMasksCredentialsWhileNotTyping(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	const key = "k3y-VALUE-123456"
	w.m.composer.SetRequest("POST", "/api/items?access_token="+key, "X-Api-Key: "+key+"\nAuthorization: Basic "+key, "client_secret="+key)
	w.m = settle(t, w.m)
	screen := plain(w.m)
	if strings.Contains(screen, key) {
		t.Fatalf("a credential shows in the composer while redaction is on:\n%s", screen)
	}
	for _, want := range []string{"access_token=••••", "X-Api-Key: ••••", "Authorization: Basic ••••", "client_secret=••••"} {
		if !strings.Contains(screen, want) {
			t.Errorf("composer lacks %q", want)
		}
	}
	// Typing in a field shows what is typed; ctrl+r shows everything.
	w.m.focus, w.m.composer.Field = paneRequest, ui.FieldHeaders
	w.m = update(t, w.m, press("enter"))
	if !strings.Contains(plain(w.m), "X-Api-Key: "+key) {
		t.Error("the headers being edited are masked")
	}
	w.m = update(t, w.m, press("esc"))
	w.m = update(t, w.m, press("ctrl+r"))
	if !strings.Contains(plain(w.m), "access_token="+key) {
		t.Error("ctrl+r did not reveal the composer")
	}
}

// TestTokenErrorNeverShowsTheSecretEvenWhenEchoed: a token endpoint that
// echoes the credentials it was sent, in its error and its body, must not
// put them on the screen.
func TestTokenErrorNeverShowsTheSecretEvenWhenEchoed(t *testing.T) {
	testEnv(t)
	const id, sec = "echo-client", "echo-secret-VALUE-42"
	basic := base64.StdEncoding.EncodeToString([]byte(id + ":" + sec))
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad secret %s (auth %s, form %s)"}`, sec, r.Header.Get("Authorization"), r.Form.Encode())
	})
	for _, auth := range []string{"basic_raw", "post"} {
		client := &http.Client{Transport: handlerTransport{echo}}
		b := configBackend(t, "echo.toml", `[providers.echo]
base_url = "`+demoHost+`"
grant = "client_credentials"
token_url = "`+demoHost+`/token"
client_auth = "`+auth+`"
client_id = "`+id+`"
client_secret = "`+sec+`"
`, nil, providers.SessionOptions{Client: client, Now: func() time.Time { return fixedNow }})
		m := newTestModel(t, b, nil)
		m = run(t, m, press("enter"))
		m = run(t, m, press("ctrl+s"))
		screen := plain(m)
		if !strings.Contains(screen, "invalid_client") {
			t.Fatalf("%s: the error is not shown:\n%s", auth, screen)
		}
		for _, leak := range []string{sec, basic, url.QueryEscape(sec)} {
			if strings.Contains(screen, leak) {
				t.Errorf("%s: the screen shows %q:\n%s", auth, leak, screen)
			}
		}
	}
}

func TestThemeSettingWinsOverTheTerminal(t *testing.T) {
	testEnv(t)
	m := New(Options{Theme: "light", Placeholder: []string{"x"}})
	m = update(t, m, tea.BackgroundColorMsg{Color: color.Black})
	if m.styles.IsDark {
		t.Error("theme = light, but a dark background switched to dark styles")
	}
	m = New(Options{Placeholder: []string{"x"}})
	m = update(t, m, tea.BackgroundColorMsg{Color: color.White})
	if m.styles.IsDark {
		t.Error("theme auto did not follow a light background")
	}
}
