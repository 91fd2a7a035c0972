package model

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// keyPress is the key press a key.Binding's key name stands for ("home",
// "ctrl+u", "f5", "j"); it fails the test on a name it cannot make.
func keyPress(t *testing.T, name string) tea.KeyPressMsg {
	t.Helper()
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"space": tea.KeySpace, "esc": tea.KeyEscape, "enter": tea.KeyEnter, "tab": tea.KeyTab,
	}
	for i := 1; i <= 30; i++ {
		named[fmt.Sprintf("f%d", i)] = tea.KeyF1 + rune(i-1)
	}
	var msg tea.KeyPressMsg
	switch code, ok := named[name]; {
	case ok:
		msg = tea.KeyPressMsg{Code: code}
	case strings.HasPrefix(name, "ctrl+") && len(name) == 6:
		msg = tea.KeyPressMsg{Code: rune(name[5]), Mod: tea.ModCtrl}
	case len([]rune(name)) == 1:
		msg = tea.KeyPressMsg{Code: []rune(name)[0], Text: name}
	}
	if msg.String() != name {
		t.Fatalf("cannot press %q (made %q)", name, msg.String())
	}
	return msg
}

// hostileAPI answers every path with a JSON body of 300 lines, each
// longer than any screen and quoting a terminal escape, as a server may.
func hostileAPI(t *testing.T) *httptest.Server {
	var b strings.Builder
	b.WriteString("{\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  \"value%03d\": \"%s\\u001b]52;c;b3duZWQ=\\u0007 end %d\",\n", i, strings.Repeat("x", 300), i)
	}
	b.WriteString("  \"last\": true\n}\n")
	body := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// responseKeys points at every binding the response pane answers to: the
// help's "Response pane" group and the body viewer's moves.
func responseKeys(km *ui.KeyMap) map[string]*key.Binding {
	return map[string]*key.Binding{
		"Search": &km.Search, "NextHit": &km.NextHit, "PrevHit": &km.PrevHit, "Filter": &km.Filter,
		"Headers": &km.Headers, "AllHeaders": &km.AllHeaders, "Raw": &km.Raw, "WrapKey": &km.WrapKey, "Yank": &km.Yank,
		"Save": &km.Save, "Why": &km.Why, "Documented": &km.Documented, "Check": &km.Check, "Capture": &km.Capture,
		"Up": &km.Up, "Down": &km.Down, "PageUp": &km.PageUp, "PageDown": &km.PageDown,
		"Top": &km.Top, "Bottom": &km.Bottom, "Left": &km.Left, "Right": &km.Right,
	}
}

// bindingID names a binding by its keys and help, which is all there is
// to tell two apart.
func bindingID(b key.Binding) string { return fmt.Sprint(b.Keys(), b.Help()) }

// TestResponsePaneAnswersTheKeysItsHelpShows: the response pane and its
// body viewer match the bindings the help lists, and nothing else. Every
// one of them is bound to a new key (F1…); the old keys then do nothing,
// and each new key acts, on a long body from a server of the test's own.
func TestResponsePaneAnswersTheKeysItsHelpShows(t *testing.T) {
	srv := hostileAPI(t)
	testEnv(t)
	b := configBackend(t, "hostile.toml", fmt.Sprintf("[providers.hostile]\nbase_url = %q\ngrant = \"static\"\ntoken = \"static-token-4242\"\n", srv.URL),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	m := newTestModel(t, b, nil)

	// The model is built with the new key map: its components keep it.
	km := *m.keys
	old := map[string][]string{}
	i := 0
	for name, b := range responseKeys(&km) {
		i++
		old[name] = b.Keys()
		*b = key.NewBinding(key.WithKeys(fmt.Sprintf("f%d", i)), key.WithHelp(fmt.Sprintf("f%d", i), b.Help().Desc))
	}
	*m.keys = km
	m.insp = newInspector(m.styles, m.keys)

	// The test covers every key the pane's help shows.
	covered := map[string]bool{}
	for _, b := range responseKeys(m.keys) {
		covered[bindingID(*b)] = true
	}
	var shown []key.Binding
	for _, g := range m.keys.HelpGroups() {
		if g.Title == "Response pane" {
			shown = append(shown, g.Bindings...)
		}
	}
	for _, g := range m.insp.FullHelp() {
		shown = append(shown, g...)
	}
	for _, b := range shown {
		if !covered[bindingID(b)] {
			t.Errorf("the response pane's help shows %s, which this test does not try", bindingID(b))
		}
	}

	m = run(t, m, press("enter"))
	m.composer.SetRequest("GET", "/items", "", "")
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Response == nil || m.ex.Response.Status != 200 {
		t.Fatalf("no answer: %+v", m.ex)
	}
	m.setFocus(paneResponse)
	nk := responseKeys(m.keys)
	at := func(name string) tea.KeyPressMsg { return keyPress(t, nk[name].Keys()[0]) }
	// A place every key can act from: two hits and more, wrapping off,
	// scrolled down and sideways.
	m = run(t, m, at("Search"))
	for _, r := range "end 1" {
		m = run(t, m, press(string(r)))
	}
	m = run(t, m, press("enter"))
	for _, name := range []string{"WrapKey", "PageDown", "PageDown", "Right", "Right"} {
		m = run(t, m, at(name))
	}
	if len(m.insp.hits) < 2 || m.insp.view.TopLine() == 0 || m.insp.view.Wrap() {
		t.Fatalf("the place to start from: %d hits, top line %d, wrap %v\n%s", len(m.insp.hits), m.insp.view.TopLine(), m.insp.view.Wrap(), plain(m))
	}
	m.notice = ""
	base := settle(t, m)
	before := plain(base)

	for name, keys := range old {
		for _, k := range keys {
			next, cmd := base.Update(keyPress(t, k))
			if nm := next.(Model); plain(nm) != before || len(nm.popups) != len(base.popups) || cmd != nil {
				t.Errorf("%s: the old key %q still acts, although the help now shows %q", name, k, nk[name].Keys()[0])
			}
		}
		next, cmd := base.Update(at(name))
		if nm := next.(Model); plain(nm) == before && len(nm.popups) == len(base.popups) && cmd == nil {
			t.Errorf("%s: its key %q, as the help shows it, does nothing", name, nk[name].Keys()[0])
		}
	}
}

// deviceIdP is a device authorization server that never approves: every
// poll answers authorization_pending. Its verification address is
// complete, which b opens, and chosen by the test — a hostile one too.
type deviceIdP struct {
	complete string
	verify   string // the verification address's path; /activate if empty
}

func (d *deviceIdP) handler(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		switch {
		case r.URL.Path == "/device":
			verify := cmp.Or(d.verify, "/activate")
			fmt.Fprintf(w, `{"device_code":"dc-1","user_code":"WDJB-MJHT","verification_uri":"http://%s%s","verification_uri_complete":%q,"expires_in":600,"interval":5}`, r.Host, verify, d.complete)
		case r.URL.Path == "/token" && r.Form.Get("grant_type") == "client_credentials":
			fmt.Fprint(w, `{"access_token":"cc-token-1","token_type":"Bearer","expires_in":3600}`)
		case r.URL.Path == "/token":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"authorization_pending"}`)
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	})
}

// opener records the addresses handed to the browser.
type opener struct {
	mu     sync.Mutex
	opened []string
}

func (o *opener) open(u string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.opened = append(o.opened, u)
	return nil
}

func (o *opener) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.opened...)
}

// signInOpen is a model whose first provider's device sign-in waits, its
// popup open, against d on 127.0.0.1.
func signInOpen(t *testing.T, d *deviceIdP, br *opener) Model {
	t.Helper()
	srv := httptest.NewServer(d.handler(t))
	t.Cleanup(srv.Close)
	testEnv(t)
	cfgText := deviceTable("dev", srv.URL, "/token") + hostileCC("cc", srv.URL, "/token") + `
  [[providers.cc.requests]]
  name = "List"
  path = "/items"
`
	// The poller waits for the test's end instead of the clock.
	sleep := func(ctx context.Context, _ time.Duration) error { <-ctx.Done(); return ctx.Err() }
	b := configBackend(t, "device.toml", cfgText, nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }, Sleep: sleep})
	m := New(Options{Label: "test", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC, OpenURL: br.open})
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, m, press("enter"))
	m.setFocus(paneToken)
	next, cmd := m.Update(press("a"))
	m = next.(Model)
	for _, msg := range drainWait(t, cmd, 5*time.Second) {
		next, _ := m.Update(msg) // the wait for the person is not run
		m = next.(Model)
	}
	e := m.active()
	if e == nil || e.pending == nil || !hasPopup(m, popSignIn) {
		t.Fatalf("no sign-in open:\n%s", plain(m))
	}
	t.Cleanup(e.pending.Cancel)
	return m
}

// TestSignInLeavesTheKeysItDoesNotAnswer: with a device sign-in open, the
// sign-in's own keys act (b opens the address again, esc cancels), and
// the keys it does not answer are not swallowed: tab moves between the
// panes in view, their keys act, o opens the picker, ? the help, q quits.
func TestSignInLeavesTheKeysItDoesNotAnswer(t *testing.T) {
	br := &opener{}
	const complete = "http://127.0.0.1:1/activate?user_code=WDJB-MJHT"
	m := signInOpen(t, &deviceIdP{complete: complete}, br)

	if got := br.list(); len(got) != 1 || got[0] != complete {
		t.Fatalf("the sign-in opened %q, want the complete address once", got)
	}
	if m.focus != paneToken {
		t.Fatalf("focus %v after the sign-in opened, want the token pane", m.focus)
	}

	m = run(t, m, press("tab"))
	if m.focus != paneProviders {
		t.Errorf("tab beside the sign-in: focus %v, want the providers pane", m.focus)
	}
	m = run(t, m, press("j"))
	if m.list.Cursor() != 1 {
		t.Errorf("j in the providers pane beside the sign-in: cursor %d, want 1", m.list.Cursor())
	}
	m = run(t, m, press("tab"))
	if m.focus != paneToken {
		t.Errorf("tab again: focus %v, want the token pane (the request and response are hidden)", m.focus)
	}
	m = run(t, m, press("tab"))
	m = run(t, m, press("shift+tab"))
	if m.focus != paneToken {
		t.Errorf("tab, shift+tab: focus %v, want the token pane back", m.focus)
	}

	m = run(t, m, press("o"))
	if top := m.popups.top(); top == nil || top.kind != popRequests {
		t.Fatalf("o beside the sign-in did not open the picker:\n%s", plain(m))
	}
	m = run(t, m, press("esc"))
	if top := m.popups.top(); top == nil || top.kind != popSignIn {
		t.Fatalf("esc on the picker did not go back to the sign-in:\n%s", plain(m))
	}

	m = run(t, m, press("b"))
	if got := br.list(); len(got) != 2 || got[1] != complete {
		t.Errorf("b opened %q, want the complete address again", got)
	}
	if !strings.Contains(plain(m), "b opens it") {
		t.Errorf("the sign-in does not say what b does:\n%s", plain(m))
	}

	m = run(t, m, press("?"))
	if !hasPopup(m, popHelp) {
		t.Error("? beside the sign-in did not open the help")
	}
	m = run(t, m, press("esc"))
	if top := m.popups.top(); top == nil || top.kind != popSignIn {
		t.Fatal("esc on the help did not go back to the sign-in")
	}
	if _, cmd := m.Update(press("q")); !quits(t, cmd) {
		t.Error("q beside the sign-in did not quit")
	}
	if _, cmd := m.Update(press("ctrl+c")); !quits(t, cmd) {
		t.Error("ctrl+c beside the sign-in did not quit")
	}

	m = run(t, m, press("esc"))
	if hasPopup(m, popSignIn) || m.state(m.entries.named("dev")) == providers.StateAwaitingUser {
		t.Errorf("esc did not cancel the sign-in:\n%s", plain(m))
	}
}

// TestSignInRefusesToOpenAHostileAddress: b opens only a web address; the
// server's javascript: address is not handed to the browser, and the
// person is told why.
func TestSignInRefusesToOpenAHostileAddress(t *testing.T) {
	br := &opener{}
	m := signInOpen(t, &deviceIdP{complete: "javascript:alert(document.cookie)"}, br)
	m = run(t, m, press("b"))
	for _, u := range br.list() {
		if strings.HasPrefix(u, "javascript:") {
			t.Fatalf("the browser was handed %q", u)
		}
	}
	if !strings.Contains(plain(m), "not opened") {
		t.Errorf("b on a hostile address says nothing:\n%s", plain(m))
	}
}

// TestPickerFilterLineFits: the picker's filter line fits its frame at
// 120×40 and 80×24, so no stray "…" ends it, and the end of a long filter
// (what was just typed, and the cursor) stays in view.
func TestPickerFilterLineFits(t *testing.T) {
	for _, size := range []tea.WindowSizeMsg{{Width: 120, Height: 40}, {Width: 80, Height: 24}} {
		w := newWorld(t)
		w.m = update(t, w.m, size)
		w.m = run(t, w.m, press("o"))
		for _, filter := range []string{"", "ite", strings.Repeat("e", 130) + "Z"} {
			if filter != "" {
				w.m = run(t, w.m, tea.PasteMsg{Content: filter})
			}
			var line string
			for _, l := range strings.Split(plain(w.m), "\n") {
				if strings.Contains(l, "filter: ") {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("%dx%d: no filter line:\n%s", size.Width, size.Height, plain(w.m))
			}
			if strings.Contains(line, "…") {
				t.Errorf("%dx%d, filter %q: the filter line is cut: %q", size.Width, size.Height, filter, line)
			}
			if filter == "" {
				continue
			}
			if end := filter[len(filter)-2:]; !strings.Contains(line, end) {
				t.Errorf("%dx%d: the end of the filter just typed (%q) is out of view: %q", size.Width, size.Height, end, line)
			}
			w.m = run(t, w.m, press("esc")) // clears the filter
		}
	}
}

// TestSignInCopiesTheCodeTheAddressLacks: a device grant whose server
// gives no address with the code in it has c copy the code, and says so;
// with one, c copies that address.
func TestSignInCopiesTheCodeTheAddressLacks(t *testing.T) {
	for _, c := range []struct {
		complete, copies, says string
	}{
		{"", "WDJB-MJHT", "c copies the code"},
		{"http://127.0.0.1:1/activate?user_code=WDJB-MJHT", "http://127.0.0.1:1/activate?user_code=WDJB-MJHT", "c copies the address"},
	} {
		m := signInOpen(t, &deviceIdP{complete: c.complete}, &opener{})
		if screen := plain(m); !strings.Contains(screen, c.says) {
			t.Errorf("complete %q: the sign-in does not say %q:\n%s", c.complete, c.says, screen)
		}
		_, cmd := m.Update(press("c"))
		msgs := drain(t, cmd)
		if len(msgs) != 1 || fmt.Sprint(msgs[0]) != c.copies {
			t.Errorf("complete %q: c copied %v, want %q", c.complete, msgs, c.copies)
		}
	}
}

// TestRefreshBesideASignInEndsIt: r in the token pane beside a sign-in
// reaches the token pane (the sign-in does not answer it): it abandons
// the sign-in, whose popup closes, and the provider says it needs one.
func TestRefreshBesideASignInEndsIt(t *testing.T) {
	m := signInOpen(t, &deviceIdP{}, &opener{})
	m = run(t, m, press("r"))
	e := m.entries.named("dev")
	if hasPopup(m, popSignIn) || e.pending != nil {
		t.Errorf("r left a sign-in open that nothing waits for:\n%s", plain(m))
	}
	if got := m.state(e); got != providers.StateNeedsLogin {
		t.Errorf("state after r: %s, want needs_login", got)
	}
}

// TestEveryHeaderInAPopup: the pane shows as many headers as a third of
// it holds, and an API's answer often carries twenty: there was no way to
// read the rest. enter lists every one, masked as the pane shows them;
// ctrl+r reveals them there.
func TestEveryHeaderInAPopup(t *testing.T) {
	const token = "static-token-4242"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 30 {
			w.Header().Set(fmt.Sprintf("X-Header-%02d", i), fmt.Sprintf("value %02d", i))
		}
		w.Header().Set("X-Echo", "Bearer "+r.Header.Get("Authorization")[len("Bearer "):])
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	testEnv(t)
	b := configBackend(t, "headers.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"static\"\ntoken = %q\n", srv.URL, token),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	m := newTestModel(t, b, nil)
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = run(t, m, press("enter"))
	m.composer.SetRequest("GET", "/items", "", "")
	m = run(t, m, press("ctrl+s"))
	m.setFocus(paneResponse)
	if screen := plain(m); !strings.Contains(screen, "more headers: enter lists them all") {
		t.Fatalf("the cut header list does not say how to read the rest:\n%s", screen)
	}
	m = update(t, m, press("enter"))
	p := m.popups.top()
	if p == nil || p.kind != popText || !strings.HasPrefix(p.Title(), "Response headers · 34") {
		t.Fatalf("enter did not list the headers:\n%s", plain(m))
	}
	read := func(m Model) string {
		for range 40 {
			m = update(t, m, press("up"))
		}
		var all strings.Builder
		for range 40 {
			all.WriteString(plain(m))
			m = update(t, m, press("down"))
		}
		return all.String()
	}
	text := read(m)
	for i := range 30 {
		if h := fmt.Sprintf("X-Header-%02d: value %02d", i, i); !strings.Contains(text, h) {
			t.Errorf("the list lacks %q", h)
		}
	}
	if strings.Contains(text, token) || !strings.Contains(text, "X-Echo: ••••") {
		t.Errorf("the masked list shows the token, or not its mask")
	}
	m = update(t, m, press("ctrl+r"))
	if text := read(m); !strings.Contains(text, "X-Echo: Bearer "+token) {
		t.Errorf("revealed, the list lacks the token")
	}
}
