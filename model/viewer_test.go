package model

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/share"
)

// fakeShare is a Sharing that keeps what the presenter publishes.
type fakeShare struct {
	mu        sync.Mutex
	published []any
	viewers   []share.Viewer
	code      string
	dropped   []string
}

func newFakeShare(watching int) *fakeShare {
	fs := &fakeShare{code: "K7QM-3VXT-9WHD"}
	for i := range watching {
		fs.viewers = append(fs.viewers, share.Viewer{ID: i + 1, Who: "join code", User: "bob", Addr: "127.0.0.1:50000", Since: fixedNow})
	}
	return fs
}

func (fs *fakeShare) Publish(f any) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.published = append(fs.published, f)
}

func (fs *fakeShare) Viewers() []share.Viewer {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]share.Viewer(nil), fs.viewers...)
}

func (fs *fakeShare) DisconnectAll(why string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.dropped = append(fs.dropped, why)
	fs.viewers = nil
}

func (fs *fakeShare) JoinCode() string           { return fs.code }
func (fs *fakeShare) RenewCode() (string, error) { fs.code = "N3WC-0DE5-AB12"; return fs.code, nil }
func (fs *fakeShare) Fingerprint() string        { return "SHA256:testfingerprint" }
func (fs *fakeShare) Addr() string               { return "127.0.0.1:2222" }
func (fs *fakeShare) frames() []any              { fs.mu.Lock(); defer fs.mu.Unlock(); return fs.published }
func (fs *fakeShare) latest() any                { f := fs.frames(); return f[len(f)-1] }
func (fs *fakeShare) count() int                 { return len(fs.frames()) }
func (fs *fakeShare) disconnected() []string     { fs.mu.Lock(); defer fs.mu.Unlock(); return fs.dropped }
func (fs *fakeShare) setViewers(vs []share.Viewer) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.viewers = vs
}

// shared makes m's session shared through fs, as keyhole share does.
func shared(t *testing.T, m Model, fs Sharing) Model {
	t.Helper()
	m.opts.Share = fs
	sharingKeys(m.keys, true)
	return update(t, m, SharingChangedMsg{})
}

// audience draws every frame the presenter published for viewers of
// every size given, as the viewers' programs would.
func audience(t *testing.T, fs *fakeShare, sizes ...[2]int) []string {
	t.Helper()
	var out []string
	for _, size := range sizes {
		v := NewViewer(ViewerOptions{Presenter: "alice@example"}, nil)
		v.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, f := range fs.frames() {
			v.Update(share.SnapshotMsg{Snapshot: f})
			out = append(out, v.View().Content)
		}
	}
	return out
}

// viewerScreen is one viewer's screen at w×h on the latest frame, after
// keys, without colours.
func viewerScreen(t *testing.T, fs *fakeShare, w, h int, keys ...string) (*Viewer, string) {
	t.Helper()
	v := NewViewer(ViewerOptions{Presenter: "alice@example"}, fs.latest())
	v.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for _, k := range keys {
		v.Update(press(k))
	}
	return v, ansiRE.ReplaceAllString(v.View().Content, "")
}

// watchedResponse is the demo shared with one viewer watching, at
// 120x40, with a token and page 1 of the items in the response pane.
func watchedResponse(t *testing.T) (*world, *fakeShare) {
	t.Helper()
	fs := newFakeShare(1)
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	wo.m = shared(t, wo.m, fs)
	wo.m = run(t, wo.m, press("enter"))
	wo.m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	return wo, fs
}

// TestGoldenViewer: a viewer at 80x24 while the presenter runs at 120x40
// with a response, following (the response, as the narrow TUI shows after
// a send) and on its own (tab to the request). Regenerate with
// go test ./model -run GoldenViewer -update.
func TestGoldenViewer(t *testing.T) {
	_, fs := watchedResponse(t)
	t.Run("Following", func(t *testing.T) {
		_, screen := viewerScreen(t, fs, 80, 24)
		golden.RequireEqual(t, screen)
	})
	t.Run("OwnCopy", func(t *testing.T) {
		_, screen := viewerScreen(t, fs, 80, 24, "tab", "tab")
		golden.RequireEqual(t, screen)
	})
	t.Run("Wide", func(t *testing.T) {
		_, screen := viewerScreen(t, fs, 120, 40)
		golden.RequireEqual(t, screen)
	})
}

// TestNothingIsPublishedWhileNoOneWatches: the presenter pays for frames
// only while someone watches, and a newcomer gets one at once.
func TestNothingIsPublishedWhileNoOneWatches(t *testing.T) {
	fs := newFakeShare(0)
	wo := newWorld(t)
	wo.m = shared(t, wo.m, fs)
	wo.m = run(t, wo.m, press("enter"))
	wo.m = update(t, wo.m, press("tab"))
	if n := fs.count(); n != 0 {
		t.Fatalf("%d frames published with no one watching", n)
	}
	fs.setViewers(newFakeShare(2).viewers)
	wo.m = update(t, wo.m, SharingChangedMsg{})
	if fs.count() != 1 {
		t.Fatalf("a viewer came: %d frames published, want 1 at once", fs.count())
	}
	if !strings.Contains(plain(wo.m), "2 watching") {
		t.Errorf("the header does not count the viewers:\n%s", plain(wo.m))
	}
	wo.m = update(t, wo.m, press("tab"))
	if fs.count() != 2 {
		t.Errorf("a key while watched: %d frames, want 2", fs.count())
	}
	// However narrow the terminal, the mark stays: the label is cut.
	narrow := update(t, wo.m, tea.WindowSizeMsg{Width: 60, Height: 20})
	if header := strings.Split(plain(narrow), "\n")[0]; !strings.Contains(header, "⇄ SHARED · 2 watching") {
		t.Errorf("the 60-column header lost the sharing mark: %q", header)
	}
}

// TestViewerFollowsThenGoesItsOwnWay: a following viewer mirrors the
// presenter's focus and scroll; its own keys detach it, F follows again,
// q leaves, and no other key does anything.
func TestViewerFollowsThenGoesItsOwnWay(t *testing.T) {
	wo, fs := watchedResponse(t)
	wo.m.setFocus(paneResponse)
	for range 3 {
		wo.m = update(t, wo.m, press("down"))
	}
	v, screen := viewerScreen(t, fs, 80, 24)
	if v.focus != paneResponse || !v.follow || !strings.Contains(screen, "following") {
		t.Fatalf("a new viewer does not follow the presenter (focus %d):\n%s", v.focus, screen)
	}
	if got, want := v.insp.view.TopLine(), wo.m.insp.view.TopLine(); got != want || want == 0 {
		t.Errorf("the viewer's body starts at line %d, the presenter's at %d", got, want)
	}
	before := v.View().Content
	for _, k := range []string{"r", "a", "x", "i", "c", "v", "enter", "ctrl+s", "ctrl+r", "e", "o", "H", "W", "X", "S", "C", "!", "y", "s", "h", "p", "w", "f", "esc", "1", "Z"} {
		if _, cmd := v.Update(press(k)); cmd != nil {
			t.Errorf("%s gave the viewer a command", k)
		}
	}
	if after := v.View().Content; after != before {
		t.Errorf("keys a viewer has not got changed its screen:\n%s", ansiRE.ReplaceAllString(after, ""))
	}
	v.Update(press("j"))
	screen = ansiRE.ReplaceAllString(v.View().Content, "")
	if v.follow || !strings.Contains(screen, "your own view") {
		t.Fatalf("j did not detach the viewer:\n%s", screen)
	}
	// Detached, the presenter's scroll no longer moves it.
	own := v.insp.view.TopLine()
	wo.m = update(t, wo.m, press("G"))
	v.Update(share.SnapshotMsg{Snapshot: fs.latest()})
	if v.insp.view.TopLine() != own {
		t.Errorf("a detached viewer moved with the presenter: line %d, was %d", v.insp.view.TopLine(), own)
	}
	v.Update(press("F"))
	if !v.follow || v.insp.view.TopLine() != wo.m.insp.view.TopLine() {
		t.Errorf("F did not follow the presenter again: line %d, presenter's %d", v.insp.view.TopLine(), wo.m.insp.view.TopLine())
	}
	v.Update(press("/"))
	for _, k := range "Deadbolt" {
		v.Update(press(string(k)))
	}
	_, cmd := v.Update(press("enter"))
	_ = cmd
	if v.follow || v.insp.query != "Deadbolt" {
		t.Errorf("/ did not search the viewer's own copy (query %q, following %v)", v.insp.query, v.follow)
	}
	if wo.m.insp.query != "" {
		t.Errorf("the viewer's search reached the presenter: %q", wo.m.insp.query)
	}
	v.Update(press("?"))
	if screen := ansiRE.ReplaceAllString(v.View().Content, ""); !strings.Contains(screen, "no key or click here changes") || !strings.Contains(screen, "follow the presenter") {
		t.Errorf("? does not show the viewer's help:\n%s", screen)
	}
	v.Update(press("esc"))
	if _, cmd := v.Update(press("q")); !quits(t, cmd) {
		t.Error("q does not leave")
	}
}

// TestWatchingListAndDisconnect: W lists who watches and how to join; X
// asks, and only y disconnects everyone. Without sharing, W does nothing.
func TestWatchingListAndDisconnect(t *testing.T) {
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	wo.m = update(t, wo.m, press("W"))
	if hasPopup(wo.m, popWatching) {
		t.Fatal("W opened the list with nothing shared")
	}
	fs := newFakeShare(2)
	wo.m = shared(t, wo.m, fs)
	wo.m = update(t, wo.m, press("W"))
	screen := plain(wo.m)
	for _, want := range []string{"ssh -p 2222 127.0.0.1", "SHA256:testfingerprint", "K7QM-3VXT-9WHD", "2 watching", "bob@127.0.0.1:50000", "X disconnect"} {
		if !strings.Contains(screen, want) {
			t.Errorf("W's list lacks %q:\n%s", want, screen)
		}
	}
	wo.m = update(t, wo.m, press("R"))
	if screen := plain(wo.m); !strings.Contains(screen, "N3WC-0DE5-AB12") || strings.Contains(screen, "K7QM-3VXT-9WHD") {
		t.Fatalf("R did not show a new join code in place of the old:\n%s", screen)
	}
	wo.m = update(t, wo.m, press("X"))
	wo.m = update(t, wo.m, press("n"))
	if len(fs.disconnected()) != 0 {
		t.Fatal("n disconnected the viewers")
	}
	wo.m = update(t, wo.m, press("W"))
	wo.m = update(t, wo.m, press("X"))
	if !strings.Contains(plain(wo.m), "Disconnect every viewer?") {
		t.Fatalf("X asked nothing:\n%s", plain(wo.m))
	}
	wo.m = update(t, wo.m, press("y"))
	if got := fs.disconnected(); len(got) != 1 || !strings.Contains(got[0], "disconnected every viewer") {
		t.Errorf("y: disconnected %q", got)
	}
	wo.m = update(t, wo.m, SharingChangedMsg{})
	if !strings.Contains(plain(wo.m), "0 watching") {
		t.Errorf("the header still counts viewers:\n%s", plain(wo.m))
	}
}

// TestViewersNeverSeeASignInsAddressOrCode: while the presenter signs in
// (the device grant's user code and QR code, the authorization URL) and
// its notice shows the join code, viewers see that a sign-in is under
// way and nothing of it.
func TestViewersNeverSeeASignInsAddressOrCode(t *testing.T) {
	for _, name := range []string{"demo-device", "demo-pkce"} {
		t.Run(name, func(t *testing.T) {
			w, br := signInWorld(t, demoOptsFast())
			fs := newFakeShare(1)
			w.m = shared(t, w.m, fs)
			w.selectByName(name)
			wait := w.startSignIn()
			p := w.m.active().pending
			// A notice may quote them too: a browser that failed to open
			// the address, the share's own first notice.
			w.m.notice = "not opened: exec xdg-open " + p.URL + " · " + p.UserCode + " · join code " + fs.code
			w.m = update(t, w.m, tea.WindowSizeMsg{Width: 120, Height: 40})
			presenter := plain(w.m)
			hidden := []string{fs.code, strings.ReplaceAll(fs.code, "-", ""), p.URL}
			if p.UserCode != "" {
				hidden = append(hidden, p.UserCode, p.CompleteURL)
			}
			if p.UserCode != "" && !strings.Contains(presenter, p.UserCode) {
				t.Fatalf("the presenter does not see the user code:\n%s", presenter)
			}
			if name == "demo-pkce" {
				<-br.opened
			}
			frames := audience(t, fs, [2]int{80, 24}, [2]int{120, 40}, [2]int{200, 60})
			last := ansiRE.ReplaceAllString(frames[len(frames)-1], "")
			if !strings.Contains(last, "sign-in is in progress on the presenter's screen") {
				t.Errorf("the viewer is not told a sign-in is under way:\n%s", last)
			}
			for i, f := range frames {
				text := ansiRE.ReplaceAllString(f, "")
				for _, h := range hidden {
					if h != "" && (strings.Contains(text, h) || strings.Contains(text, h[:min(len(h), 24)])) {
						t.Errorf("viewer frame %d shows %q:\n%s", i, h, text)
					}
				}
				if strings.Contains(text, "▀") || strings.Contains(text, "▄") {
					t.Errorf("viewer frame %d shows a QR code:\n%s", i, text)
				}
			}
			// Another provider in use while the sign-in waits: its own
			// token pane, not the sign-in's line.
			w.m.list.SetActive(0)
			if e := w.m.active(); e.pending != nil || e.name == name {
				t.Fatalf("provider 0 is %s, pending %v", e.name, e.pending != nil)
			}
			if f := w.m.frame(); f.token.Expiry == signInHidden {
				t.Errorf("%s's token pane says a sign-in is in progress: it is %s's", w.m.active().name, name)
			}
			w.m.cancelSignIn(name)
			drainWait(t, wait, 5*time.Second)
		})
	}
}

// demoOptsFast is the demo with a quick device grant.
func demoOptsFast() demo.Options { return demo.Options{DeviceInterval: 10 * time.Millisecond} }

// TestViewersNeverSeeWhatThePresenterReveals: the presenter works with
// secrets shown (ctrl+r) against an API that echoes every credential of
// the request — in the composer, the sent lines, the body (pretty, raw,
// filtered, as text), a header of its own, the claims popup. Every frame
// viewers draw from it, at three sizes, shows the answer and none of the
// secrets.
func TestViewersNeverSeeWhatThePresenterReveals(t *testing.T) {
	r, fs := sharedRevealed(t)
	r.m.setFocus(paneToken)
	r.send(press("v"))
	presenter := ansiRE.ReplaceAllString(strings.Join(r.frames, "\n"), "")
	for _, s := range []string{typedSecret, apiKey, accessToken[:20]} {
		if !strings.Contains(presenter, s) {
			t.Fatalf("the presenter's screen never showed %q: the secrets were not revealed as planned", s)
		}
	}
	frames := audience(t, fs, [2]int{80, 24}, [2]int{120, 40}, [2]int{200, 60})
	if len(frames) < 30 {
		t.Fatalf("only %d viewer frames", len(frames))
	}
	all := ansiRE.ReplaceAllString(strings.Join(frames, "\n"), "")
	for _, want := range []string{"client_secret", "X-Api-Key", "Claims"} {
		if !strings.Contains(all, want) {
			t.Errorf("no viewer frame shows %q: the viewers did not see the session", want)
		}
	}
	if strings.Contains(all, "esc closes") {
		t.Error("a viewer frame offers the presenter's key (esc closes)")
	}
	for i, f := range frames {
		for _, s := range []string{clientSecret, accessToken, apiKey, queryToken, typedSecret, typedPass} {
			for _, form := range leakForms(s) {
				if strings.Contains(f, form) {
					t.Errorf("viewer frame %d holds %q as %q:\n%s", i, s, form, ansiRE.ReplaceAllString(f, ""))
				}
			}
		}
	}
	// The presenter's own screen is as it was: still revealed.
	if !strings.Contains(plain(r.m), "SECRETS SHOWN") {
		t.Errorf("publishing changed the presenter's switch:\n%s", plain(r.m))
	}
}

// TestViewerTakesTheMouse: the wheel scrolls the viewer's own copy of the
// response and a click focuses a pane or a provider row, as on the
// presenter's screen; either makes the view the viewer's own, and none
// reaches the presenter.
func TestViewerTakesTheMouse(t *testing.T) {
	wo, fs := watchedResponse(t)
	v, _ := viewerScreen(t, fs, 120, 40)
	if mode := v.View().MouseMode; mode != tea.MouseModeCellMotion {
		t.Fatalf("the viewer's mouse mode is %v; want cell motion", mode)
	}
	top := v.insp.view.TopLine()
	for range 3 {
		if _, cmd := v.Update(tea.MouseWheelMsg{X: 100, Y: 20, Button: tea.MouseWheelDown}); cmd != nil {
			t.Error("the wheel gave the viewer a command")
		}
	}
	if v.follow || v.focus != paneResponse || v.insp.view.TopLine() <= top {
		t.Errorf("the wheel over the response: following %v, focus %d, line %d (was %d)", v.follow, v.focus, v.insp.view.TopLine(), top)
	}
	if wo.m.insp.view.TopLine() != 0 {
		t.Errorf("the viewer's wheel scrolled the presenter to line %d", wo.m.insp.view.TopLine())
	}
	v.Update(tea.MouseClickMsg{X: 10, Y: 20, Button: tea.MouseLeft})
	if v.focus != paneRequest {
		t.Errorf("a click on the request focuses pane %d", v.focus)
	}
	v.Update(press("F"))
	v.Update(tea.MouseClickMsg{X: 5, Y: 4, Button: tea.MouseLeft})
	if v.follow || v.focus != paneProviders || v.list.Cursor() != 2 {
		t.Errorf("a click on the third provider: following %v, focus %d, cursor %d", v.follow, v.focus, v.list.Cursor())
	}
	if wo.m.list.Cursor() != 0 {
		t.Errorf("the viewer's click moved the presenter's cursor to %d", wo.m.list.Cursor())
	}
	// With the help open the wheel scrolls it and a click changes nothing.
	v.Update(press("?"))
	v.Update(tea.MouseClickMsg{X: 100, Y: 20, Button: tea.MouseLeft})
	if v.ownHelp == nil || v.focus != paneProviders {
		t.Errorf("a click with the help open closed it or moved the focus (%d)", v.focus)
	}
}

// TestNarrowViewerWrapsThePresentersText: a text popup the presenter reads
// at 120 columns (claims, the doctor's why) reaches an 80-column viewer
// wrapped, its lines' ends kept.
func TestNarrowViewerWrapsThePresentersText(t *testing.T) {
	wo, fs := watchedResponse(t)
	long := "The server refused the token because its audience is demo-api while this endpoint wants billing-api; ask for that audience at the end"
	wo.m.openText("Why", long)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	_, screen := viewerScreen(t, fs, 80, 24)
	if !strings.Contains(screen, "billing-api") || !strings.Contains(screen, "audience at the end") {
		t.Errorf("the narrow viewer lost the end of the presenter's line:\n%s", screen)
	}
	if got := fold("one two three four five six", 9, 2); got != "one two\nthree" {
		t.Errorf("fold = %q", got)
	}
}

// TestNarrowViewerGetsThePickerLaidOut: the presenter's picker, scrolled
// far down a 40-row screen, reached a 24-row viewer cut to its first
// lines: the cursor's row and the count were below the cut. The viewer
// lays the picker out again for its own size.
func TestNarrowViewerGetsThePickerLaidOut(t *testing.T) {
	fs := newFakeShare(1)
	m := manyWorld(t, 1, 30, 120, 40)
	m = shared(t, m, fs)
	m = run(t, m, press("enter"))
	m = run(t, m, press("o"))
	for range 26 {
		m = update(t, m, press("down"))
	}
	if got := pickerCursorRow(plain(m)); !strings.Contains(got, "request 26") {
		t.Fatalf("the presenter's cursor is not on request 26: %q", got)
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		_, screen := viewerScreen(t, fs, size[0], size[1])
		if got := pickerCursorRow(screen); !strings.Contains(got, "request 26") {
			t.Errorf("%dx%d: the viewer does not show the presenter's cursor on request 26 (%q):\n%s", size[0], size[1], got, screen)
		}
		if !strings.Contains(screen, "of 30 · ") || !strings.Contains(screen, "shown") {
			t.Errorf("%dx%d: the picker's count line is missing:\n%s", size[0], size[1], screen)
		}
	}
	// Viewers lay the picker out on their own goroutines while the
	// presenter goes on moving and filtering it (go test -race).
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 30 {
				viewerScreen(t, fs, 80, 24)
			}
		})
	}
	for _, k := range []string{"up", "r", "e", "q", "backspace", "down", "esc"} {
		m = update(t, m, press(k))
	}
	wg.Wait()
}

// sharedRevealed is the echo API's session (leak_test.go) shared with one
// viewer watching, the presenter at 120x40 with every secret shown.
func sharedRevealed(t *testing.T) (*recorder, *fakeShare) {
	t.Helper()
	fs := newFakeShare(1)
	r := record(t, echoBackend(t), Options{Label: "echo.toml", Redact: false}, 120, 40)
	r.m = shared(t, r.m, fs)
	r.send(press("enter"))
	echoSession(r, 120, 40)
	return r, fs
}
