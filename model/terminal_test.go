package model

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// checkFrame fails when a frame holds anything of the payload a terminal
// would act on. The TUI's own colours are set aside first; the payload's
// colour is looked for by its code, which the TUI never uses.
func checkFrame(t *testing.T, what, frame string) {
	t.Helper()
	if strings.Contains(frame, attack.PayloadColour) {
		t.Errorf("%s: the server's colours reach the terminal", what)
	}
	rest := attack.OwnSGR.ReplaceAllString(frame, "")
	if i, r := attack.Unsafe(rest, "\n"); i >= 0 {
		t.Errorf("%s: %U reaches the terminal: %q", what, r, rest[max(0, i-40):min(len(rest), i+40)])
	}
}

// hostileWorld is a model on a hostile server over real connections to
// 127.0.0.1, with a clock the test holds.
type hostileWorld struct {
	t      *testing.T
	m      Model
	opened []string
}

func newHostileWorld(t *testing.T, config string) *hostileWorld {
	t.Helper()
	testEnv(t)
	now := fixedNow
	clock := func() time.Time { return now }
	w := &hostileWorld{t: t}
	b := configBackend(t, "hostile.toml", config, nil, providers.SessionOptions{
		Client: &http.Client{Timeout: 5 * time.Second}, Now: clock,
		Sleep: func(ctx context.Context, d time.Duration) error { <-ctx.Done(); return ctx.Err() },
	})
	w.m = New(Options{Label: "hostile.toml", Backend: b, Redact: true, Now: clock, Location: time.UTC,
		OpenURL: func(u string) error { w.opened = append(w.opened, u); return nil }})
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 140, Height: 44})
	return w
}

// step sends msg and feeds back what its commands yield.
func (w *hostileWorld) step(msg tea.Msg) {
	w.t.Helper()
	w.m = runWait(w.t, w.m, msg, 5*time.Second)
}

// use selects the i-th provider with the keys, which fetches its token.
func (w *hostileWorld) use(i int) {
	w.t.Helper()
	w.m.setFocus(paneProviders)
	for w.m.list.Cursor() > 0 {
		w.m = update(w.t, w.m, press("up"))
	}
	for range i {
		w.m = update(w.t, w.m, press("down"))
	}
	w.step(press("enter"))
}

// screen checks the frame and returns it without colours.
func (w *hostileWorld) screen(what string, want ...string) string {
	w.t.Helper()
	frame := w.m.View().Content
	checkFrame(w.t, what, frame)
	shown := plain(w.m)
	for _, s := range want {
		if !strings.Contains(shown, s) {
			w.t.Errorf("%s: the screen lacks %q:\n%s", what, s, shown)
		}
	}
	return shown
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// terminalHostileServer is a token endpoint, a device grant and an API that all
// try to drive the terminal.
func terminalHostileServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token-refused":
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client" + attack.Payload, "error_description": attack.Payload})
		case "/token":
			writeJSON(w, http.StatusOK, map[string]any{"access_token": "tok-" + attack.Payload, "token_type": "Bearer", "expires_in": 3600, "scope": "api:read x" + attack.Payload})
		case "/token-clean":
			writeJSON(w, http.StatusOK, map[string]any{"access_token": "tok-clean", "token_type": "Bearer", "expires_in": 3600})
		case "/device":
			writeJSON(w, http.StatusOK, map[string]any{
				"device_code": "dc", "user_code": "WDJB-" + attack.Payload,
				"verification_uri":          "https://idp.example/verify" + attack.Payload,
				"verification_uri_complete": "https://idp.example/verify?code=1" + attack.Payload,
				"expires_in":                600, "interval": 5,
			})
		case "/device-token":
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "authorization_pending"})
		default:
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("X-Evil", "a\u009b2Jb\u202Ec")
			w.WriteHeader(http.StatusTeapot)
			fmt.Fprint(w, "line one\n"+attack.Payload+"\n")
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// providerTable is a [providers.NAME] table (name is a TOML key) on base
// with grant and the key = value lines given.
func providerTable(name, base, grant string, lines ...string) string {
	return fmt.Sprintf("\n[providers.%s]\nbase_url = %q\ngrant = %q\n%s\n", name, base, grant, strings.Join(lines, "\n"))
}

// hostileCC is a client-credentials provider on base called name (a TOML
// key) whose token endpoint is tokenPath there.
func hostileCC(name, base, tokenPath string) string {
	return providerTable(name, base, "client_credentials",
		`token_url = "`+base+tokenPath+`"`, `client_id = "id"`, `client_secret = "s3cr3t-value"`)
}

// deviceTable is a public device-code provider on base called name whose
// device endpoint is /device there and token endpoint tokenPath.
func deviceTable(name, base, tokenPath string) string {
	return providerTable(name, base, "device_code",
		`device_url = "`+base+`/device"`, `token_url = "`+base+tokenPath+`"`, `client_id = "id"`, `client_auth = "none"`)
}

// evilProvider is a provider whose name (from a config someone else
// wrote) and token endpoint try to drive the terminal.
func evilProvider(base string) string {
	return hostileCC(`"evil\u001b]52;c;eA==\u0007\u009b2J"`, base, "/token-refused")
}

// hostileConfig is the providers on the hostile server: ok gets a token
// full of escapes, dev a device code full of them, api a clean token.
func hostileConfig(base string) string {
	return "[settings]\ntoken_cache = \"memory\"\n" + hostileCC("ok", base, "/token") + deviceTable("dev", base, "/device-token") + hostileCC("api", base, "/token-clean")
}

// TestTokenPaneShowsServerTextAsSymbols: a refused token request's error
// code and description, a token's scopes and the token itself, revealed,
// are drawn with their escape sequences as symbols; so are a provider's
// name in the list and the heading.
func TestTokenPaneShowsServerTextAsSymbols(t *testing.T) {
	base := terminalHostileServer(t).URL
	w := newHostileWorld(t, hostileConfig(base)+evilProvider(base))
	w.screen("first frame", "evil␛]52;c;")

	// The pane by itself, then the whole frame.
	pane := func(what string) {
		t.Helper()
		tp := ui.NewTokenPane(w.m.styles, w.m.keys)
		tp.SetSize(100, 6)
		tp.SetView(w.m.tokenView())
		checkFrame(t, what+": token pane", tp.View())
	}
	w.use(3)
	if e := w.m.active(); e.err == nil {
		t.Fatal("the refused token request left no error")
	}
	pane("refused token")
	w.screen("refused token", "invalid_client"+attack.PayloadShown, "evil␛]52;c;eA==␇\\u009B2J")

	w.use(0)
	if e := w.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	pane("token")
	w.screen("token", "scope api:read x"+attack.PayloadShown)
	w.m.setFocus(paneToken)
	w.m = update(t, w.m, press("ctrl+r"))
	pane("token revealed")
	w.screen("token revealed", "token tok-"+attack.PayloadShown)
}

// TestDeviceCodePopupShowsServerTextAsSymbols: the device grant's user
// code and verification address are drawn as symbols; an address with an
// escape in it is neither opened nor made a QR code.
func TestDeviceCodePopupShowsServerTextAsSymbols(t *testing.T) {
	w := newHostileWorld(t, hostileConfig(terminalHostileServer(t).URL))
	w.use(1)
	w.m.setFocus(paneToken)
	nm, cmd := w.m.Update(press("a"))
	w.m = nm.(Model)
	var wait tea.Cmd
	for _, msg := range drainWait(t, cmd, 5*time.Second) {
		nm, c := w.m.Update(msg)
		w.m, wait = nm.(Model), c
	}
	_ = wait // the wait for the approval that never comes is not run
	e := w.m.active()
	if e.pending == nil {
		t.Fatalf("no pending device grant: %v", e.err)
	}
	defer e.pending.Cancel()
	shown := w.screen("device code", "WDJB-"+attack.PayloadShown, "https://idp.example/verify"+attack.PayloadShown, "Not opened:")
	if strings.Contains(shown, "▀") || strings.Contains(shown, "enlarge the terminal to see a QR code") {
		t.Error("a QR code for an address keyhole does not open")
	}
	if len(w.opened) != 0 {
		t.Errorf("a browser was opened at %q", w.opened)
	}
}

// TestResponsePaneShowsServerTextAsSymbols: the response's headers, the
// body and the notes above it are drawn with their escapes as symbols.
func TestResponsePaneShowsServerTextAsSymbols(t *testing.T) {
	w := newHostileWorld(t, hostileConfig(terminalHostileServer(t).URL))
	w.use(2)
	w.m.composer.SetRequest("GET", "/api", "", "")
	w.step(press("ctrl+s"))
	if w.m.ex == nil || w.m.ex.Response == nil {
		t.Fatalf("no response: %q, %v\n%s", w.m.notice, w.m.ex, plain(w.m))
	}
	w.screen("response", "418", `X-Evil: a\u009B2Jb\u202Ec`, attack.PayloadShown)
}
