package model

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/demo/demotest"
)

// browser plays the person's browser: it reaches the demo through the
// in-process transport and the loopback listener over the real network.
type browser struct {
	t      *testing.T
	demo   *http.Client
	opened chan string
}

func newBrowser(t *testing.T, srv *demo.Server) *browser {
	return &browser{t: t, demo: &http.Client{
		Transport:     handlerTransport{srv.Handler()},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, opened: make(chan string, 1)}
}

// open is the model's OpenURL: it records the URL, as a real opener
// hands it to the browser and returns at once.
func (b *browser) open(u string) error {
	b.opened <- u
	return nil
}

// signIn follows the authorization URL to the loopback redirect and
// returns the redirect address, without visiting it.
func (b *browser) signIn(authURL string) string {
	b.t.Helper()
	back, err := demotest.SignIn(b.demo, authURL)
	if err != nil {
		b.t.Fatal(err)
	}
	loc := back.String()
	if !strings.HasPrefix(loc, "http://127.0.0.1:") {
		b.t.Fatalf("authorization sent the browser to %q", loc)
	}
	return loc
}

// approveDevice approves a user code at the demo's verification page.
func (b *browser) approveDevice(pageURL, userCode string) {
	b.t.Helper()
	if err := demotest.DecideDevice(b.demo, pageURL, userCode, "approve"); err != nil {
		b.t.Fatal(err)
	}
}

// signInWorld is a model on the demo whose OpenURL is a test browser.
func signInWorld(t *testing.T, opts demo.Options) (*world, *browser) {
	w := &world{t: t, now: fixedNow}
	b, srv := demoBackend(t, opts, w.clock)
	w.srv = srv
	br := newBrowser(t, srv)
	m := New(Options{Label: "test", Backend: b, Redact: true, Now: w.clock, Location: time.UTC, OpenURL: br.open})
	w.m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	return w, br
}

// pkceSignIn starts a sign-in on the demo's demo-pkce as a person would
// (select it, press a in the token pane) and waits for the browser to be
// opened: it returns the world, the browser, the sign-in's wait and the
// address the browser was given.
func pkceSignIn(t *testing.T) (w *world, br *browser, wait tea.Cmd, authURL string) {
	t.Helper()
	w, br = signInWorld(t, demo.Options{})
	w.selectByName("demo-pkce")
	wait = w.startSignIn()
	return w, br, wait, <-br.opened
}

func (w *world) selectByName(name string) {
	w.t.Helper()
	for i, e := range w.m.entries {
		if e.name == name {
			w.m.list.SetCursor(i)
			w.m = run(w.t, w.m, press("enter"))
			return
		}
	}
	w.t.Fatalf("no provider %s", name)
}

// press a in the token pane and return the sign-in's messages as they come.
func (w *world) startSignIn() tea.Cmd {
	w.t.Helper()
	w.m.focus = paneToken
	nm, cmd := w.m.Update(press("a"))
	w.m = nm.(Model)
	if e := w.m.active(); w.m.state(e) != providers.StateAwaitingUser {
		w.t.Fatalf("state after a = %s, want awaiting_user", w.m.state(e))
	}
	// The authorize command answers with the pending grant; Update turns
	// that into the wait command.
	var wait tea.Cmd
	for _, msg := range drainWait(w.t, cmd, 5*time.Second) {
		nm, c := w.m.Update(msg)
		w.m = nm.(Model)
		wait = c
	}
	if w.m.active().pending == nil {
		w.t.Fatalf("no pending sign-in; err %v", w.m.active().err)
	}
	return wait
}

func TestSignInWithAuthorizationCodeAndPKCE(t *testing.T) {
	w, br := signInWorld(t, demo.Options{})
	w.selectByName("demo-pkce")
	if got := w.m.state(w.m.active()); got != providers.StateNeedsLogin {
		t.Fatalf("interactive provider without a token: state %s, want needs_login", got)
	}
	if !strings.Contains(plain(w.m), "press a to sign in") {
		t.Errorf("no sign-in hint:\n%s", plain(w.m))
	}
	wait := w.startSignIn()
	authURL := <-br.opened
	screen := plain(w.m)
	for _, want := range []string{"Sign in · demo-pkce", "Open this address in a browser", "A browser was opened", "approving client demo-pkce", "paste here the address it ends on"} {
		if !strings.Contains(screen, want) {
			t.Errorf("sign-in view lacks %q:\n%s", want, screen)
		}
	}
	redirect := br.signIn(authURL)
	go func() {
		if resp, err := http.Get(redirect); err == nil {
			resp.Body.Close()
		}
	}()
	for _, msg := range drainWait(t, wait, 5*time.Second) {
		w.m = update(t, w.m, msg)
	}
	e := w.m.active()
	if e.tok == nil || w.m.state(e) != providers.StateValid || e.tok.Refresh.IsZero() {
		t.Fatalf("no valid token with a refresh token after sign-in: state %s err %v", w.m.state(e), e.err)
	}
	if e.pending != nil || strings.Contains(plain(w.m), "Sign in ·") {
		t.Error("the sign-in view stayed after the token came")
	}
	// r now refreshes with the refresh token, never a browser.
	w.m = run(t, w.m, press("r"))
	if e.tok.Source != providers.SourceRefreshed {
		t.Errorf("r after sign-in: source %s, want refreshed", e.tok.Source)
	}
	select {
	case u := <-br.opened:
		t.Errorf("r opened a browser at %s", u)
	default:
	}
}

// TestSignInByPastingTheRedirect: the person pastes the address instead
// of the browser reaching it. Text that is no redirect at all (the wrong
// clipboard) is refused first, and the sign-in waits on: it ended the
// sign-in, to be started over.
func TestSignInByPastingTheRedirect(t *testing.T) {
	w, br, wait, authURL := pkceSignIn(t)
	redirect := br.signIn(authURL)
	w.m = update(t, w.m, press("enter"))
	if !w.m.typing() || !hasPopup(w.m, popSignIn) {
		t.Fatal("enter in the token pane did not open the paste box")
	}
	if quits(t, func() tea.Cmd { _, c := w.m.Update(press("q")); return c }()) {
		t.Fatal("q quit while pasting")
	}
	w.m = update(t, w.m, tea.PasteMsg{Content: "https://example.com/some/other/page"})
	w.m = update(t, w.m, press("enter"))
	if e := w.m.active(); e.pending == nil || !hasPopup(w.m, popSignIn) || !strings.Contains(w.m.notice, "paste the whole address the browser ended on") {
		t.Fatalf("a paste that is no redirect ended the sign-in (%v), or the notice does not say what to paste: %q", e.err, w.m.notice)
	}
	w.m = update(t, w.m, press("enter"))
	w.m = update(t, w.m, tea.PasteMsg{Content: redirect})
	w.m = update(t, w.m, press("enter"))
	for _, msg := range drainWait(t, wait, 5*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if e := w.m.active(); e.tok == nil {
		t.Fatalf("pasted redirect gave no token: %v", e.err)
	}
}

func TestSignInWithDeviceCode(t *testing.T) {
	w, br := signInWorld(t, demo.Options{DeviceInterval: 10 * time.Millisecond})
	w.selectByName("demo-device")
	wait := w.startSignIn()
	e := w.m.active()
	p := e.pending
	if p.UserCode == "" || !strings.Contains(plain(w.m), p.UserCode) || !strings.Contains(plain(w.m), "▀") {
		t.Fatalf("device sign-in does not show the user code and a QR code:\n%s", plain(w.m))
	}
	br.approveDevice(p.CompleteURL, p.UserCode)
	for _, msg := range drainWait(t, wait, 10*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if e.tok == nil || w.m.state(e) != providers.StateValid {
		t.Fatalf("no token after approval: %v", e.err)
	}
}

func TestEscCancelsASignIn(t *testing.T) {
	w, _, wait, _ := pkceSignIn(t)
	w.m = update(t, w.m, press("esc"))
	e := w.m.active()
	if e.pending != nil || w.m.state(e) == providers.StateAwaitingUser {
		t.Fatalf("esc did not cancel the sign-in: state %s", w.m.state(e))
	}
	// The wait ends promptly and its answer is dropped.
	for _, msg := range drainWait(t, wait, 5*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if e.tok != nil {
		t.Error("a cancelled sign-in produced a token")
	}
}

func TestRevokeIntrospectClaimsCopy(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.focus = paneToken
	w.m = run(t, w.m, press("v"))
	if !hasPopup(w.m, popText) || !strings.Contains(plain(w.m), "NOT verified") || !strings.Contains(plain(w.m), `"sub": "demo-cc"`) {
		t.Errorf("claims view:\n%s", plain(w.m))
	}
	w.m = update(t, w.m, press("esc"))
	w.m = run(t, w.m, press("i"))
	if !hasPopup(w.m, popText) || !strings.Contains(plain(w.m), `"active": true`) {
		t.Errorf("introspection view:\n%s", plain(w.m))
	}
	w.m = update(t, w.m, press("esc"))
	_, cmd := w.m.Update(press("c"))
	if cmd == nil {
		t.Error("c returned no clipboard command")
	}
	tok := w.m.active().tok.Access.Reveal()
	w.m = run(t, w.m, press("x"))
	if w.m.active().tok != nil {
		t.Error("the token is still held after revoke")
	}
	// The revoked token no longer works at the API.
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, demoHost+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := (&http.Client{Transport: handlerTransport{w.srv.Handler()}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token answered %d, want 401", resp.StatusCode)
	}
}

// TestEscOnASecondSignInKeepsTheToken: a person signed in, starts another
// sign-in on the same provider and thinks better of it. The cancelled
// attempt leaves the token and its state as they were: valid, not
// "✗ error · cancelled".
func TestEscOnASecondSignInKeepsTheToken(t *testing.T) {
	w, br, wait, authURL := pkceSignIn(t)
	redirect := br.signIn(authURL)
	go func() {
		if resp, err := http.Get(redirect); err == nil {
			resp.Body.Close()
		}
	}()
	w.m, _ = await[tokenMsg](t, w.m, wait)
	e := w.m.active()
	tok := e.tok
	if tok == nil || w.m.state(e) != providers.StateValid {
		t.Fatalf("no valid token after the first sign-in: state %s err %v", w.m.state(e), e.err)
	}
	wait = w.startSignIn()
	<-br.opened
	w.m = update(t, w.m, press("esc"))
	if got := w.m.state(e); got != providers.StateValid || e.tok != tok || e.err != nil {
		t.Errorf("after esc on the second sign-in: state %s, err %v, same token %v; want valid and the token kept", got, e.err, e.tok == tok)
	}
	screen := plain(w.m)
	if strings.Contains(screen, "cancelled") && strings.Contains(screen, "✗ error") {
		t.Errorf("the token pane shows the cancelled attempt as an error:\n%s", screen)
	}
	// The wait ends and its late answer changes nothing.
	for _, msg := range drainWait(t, wait, 5*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if got := w.m.state(e); got != providers.StateValid || e.tok != tok {
		t.Errorf("after the cancelled wait ended: state %s", got)
	}
}

// TestRevokeWithoutAnEndpointLeavesTheToken: x on a provider with no
// revocation endpoint sends nothing and forgets nothing: the token stays
// valid (it was turned into "✗ error" before), and the notice says why.
func TestRevokeWithoutAnEndpointLeavesTheToken(t *testing.T) {
	testEnv(t)
	b := configBackend(t, "static.toml", staticProvider("api", "http://127.0.0.1:9", "static-token-0001", ""), nil, providers.SessionOptions{})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	e := r.m.active()
	if e.tok == nil || r.m.state(e) != providers.StateValid {
		t.Fatalf("no valid static token: %v", e.err)
	}
	r.m.setFocus(paneToken)
	r.send(press("x"))
	if got := r.m.state(e); got != providers.StateValid || e.tok == nil || e.err != nil {
		t.Errorf("x without a revocation endpoint: state %s, err %v", got, e.err)
	}
	if screen := plain(r.m); !strings.Contains(screen, "set revoke_url") || strings.Contains(screen, "✗ error") {
		t.Errorf("the screen does not say why nothing was revoked, or shows an error state:\n%s", screen)
	}
}

// TestALongSignInAddressLeavesThePasteLine: at 80x24 an authorization
// address of forty scopes would fill the sign-in pane and push the paste
// line and the keys out of it (seen with Entra ID's addresses); it is cut,
// saying c copies it whole, and the person still sees where to paste.
func TestALongSignInAddressLeavesThePasteLine(t *testing.T) {
	w, wait := longSignIn(t, 40)
	screen := plain(w.m)
	for _, want := range []string{"Open this address", "c copies it whole", "paste here the address it ends on", "esc cancels"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the 80x24 sign-in lacks %q:\n%s", want, screen)
		}
	}
	w.m = update(t, w.m, press("esc"))
	drainWait(t, wait, 5*time.Second)
}

// TestASignInAddressIsWholeWhereItCanBe: at 80x24 an address of five
// lines was cut ("c copies it whole") to keep blank lines and the client
// and scopes line; without a clipboard the person could not read it. They
// give way first now.
func TestASignInAddressIsWholeWhereItCanBe(t *testing.T) {
	w, wait := longSignIn(t, 3)
	screen := plain(w.m)
	if strings.Contains(screen, "c copies it whole") || !strings.Contains(screen, "paste here the address it ends on") {
		t.Errorf("the 80x24 sign-in cut an address it had the room for, or lost the paste line:\n%s", screen)
	}
	var joined strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		joined.WriteString(strings.TrimSpace(strings.Trim(l, "│")))
	}
	if !strings.Contains(joined.String(), "Scope.02.ReadWrite.All") {
		t.Errorf("the address's end is not on screen:\n%s", screen)
	}
	// The address the browser ends on, which the person pastes, is said
	// whole (it was cut with "…" at 80 columns).
	if e := w.m.active(); e == nil || e.pending == nil || !strings.Contains(joined.String(), e.pending.Redirect) {
		t.Errorf("the redirect address is not said whole:\n%s", screen)
	}
	w.m = update(t, w.m, press("esc"))
	drainWait(t, wait, 5*time.Second)
}

// longSignIn is an authorization-code sign-in at 80x24 whose address
// asks for n long scopes.
func longSignIn(t *testing.T, n int) (*world, tea.Cmd) {
	t.Helper()
	testEnv(t)
	var scopes []string
	for i := range n {
		scopes = append(scopes, fmt.Sprintf("%q", fmt.Sprintf("https://graph.example.com/Scope.%02d.ReadWrite.All", i)))
	}
	cfg := fmt.Sprintf("[providers.long]\nbase_url = \"http://127.0.0.1:9\"\ngrant = \"authorization_code\"\nauth_url = \"http://127.0.0.1:9/authorize\"\ntoken_url = \"http://127.0.0.1:9/token\"\nclient_id = \"c\"\nscopes = [%s]\n", strings.Join(scopes, ", "))
	b := configBackend(t, "long.toml", cfg, nil, providers.SessionOptions{})
	w := &world{t: t, now: fixedNow}
	m := New(Options{Label: "long.toml", Backend: b, Redact: true, Now: w.clock, Location: time.UTC, OpenURL: func(string) error { return nil }})
	w.m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	w.selectByName("long")
	wait := w.startSignIn()
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 80, Height: 24})
	return w, wait
}
