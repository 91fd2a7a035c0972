package model

import (
	"net/http"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
)

// goldenScreen drives the demo to a token and a response and returns the
// whole screen at w×h, without colours. Regenerate with
// go test ./model -run Golden -update.
func goldenScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	wo.m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	for _, k := range keys {
		wo.m = update(t, wo.m, press(k))
	}
	return plain(wo.m)
}

func TestGoldenWide(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 120, 40))
}

func TestGoldenNarrowResponse(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 80, 24))
}

func TestGoldenNarrowRequest(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 80, 24, "tab", "tab"))
}

func TestGoldenHelp(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 120, 40, "?"))
}

// inspectorScreen sends page 1 of the items, focuses the response pane and
// types keys (each rune a key press), then returns the screen at w×h.
func inspectorScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	wo.m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	wo.m.setFocus(paneResponse)
	for _, k := range keys {
		if len([]rune(k)) > 1 && k != "enter" && k != "esc" {
			wo.typeText(k)
			continue
		}
		wo.m = run(t, wo.m, press(k))
	}
	return plain(wo.m)
}

func TestGoldenSearchHitWide(t *testing.T) {
	golden.RequireEqual(t, inspectorScreen(t, 120, 40, "/", "Deadbolt", "enter"))
}

func TestGoldenSearchHitNarrow(t *testing.T) {
	golden.RequireEqual(t, inspectorScreen(t, 80, 24, "/", "Deadbolt", "enter"))
}

func TestGoldenPathFilterWide(t *testing.T) {
	golden.RequireEqual(t, inspectorScreen(t, 120, 40, "f", "items.#.name"))
}

func TestGoldenPathFilterNarrow(t *testing.T) {
	golden.RequireEqual(t, inspectorScreen(t, 80, 24, "f", "items.#.name"))
}

// binaryScreen shows a PNG-like body: a hex preview and the size, never
// the bytes themselves.
func binaryScreen(t *testing.T, w, h int) string {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	body := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 300)...)
	for i := range body[16:] {
		body[16+i] = byte(i * 7)
	}
	wo.m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"image/png"}}, Body: body, Size: int64(len(body))}}
	wo.m.newBody(buildDocs(body, "image/png", document.ModePretty, nil), nil)
	wo.m.setFocus(paneResponse)
	wo.m = update(t, wo.m, tickMsg(fixedNow))
	return plain(wo.m)
}

func TestGoldenBinaryWide(t *testing.T) {
	golden.RequireEqual(t, binaryScreen(t, 120, 40))
}

func TestGoldenBinaryNarrow(t *testing.T) {
	golden.RequireEqual(t, binaryScreen(t, 80, 24))
}

func TestGoldenHelpNarrow(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 80, 24, "?"))
}
