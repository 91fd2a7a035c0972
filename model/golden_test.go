package model

import (
	"net/http"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// demoResponse is the demo at w×h with a token and page 1 of the items
// in the response pane.
func demoResponse(t *testing.T, w, h int) *world {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	wo.m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	return wo
}

// goldenScreen drives the demo to a token and a response and returns the
// whole screen at w×h, without colours.
func goldenScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := demoResponse(t, w, h)
	for _, k := range keys {
		wo.m = update(t, wo.m, press(k))
	}
	return plain(wo.m)
}

// inspectorScreen sends page 1 of the items, focuses the response pane and
// types keys (each rune a key press), then returns the screen at w×h.
func inspectorScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := demoResponse(t, w, h)
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

// TestGolden: the main screens without colours, wide (120×40) and narrow
// (80×24): the demo's token and response, the request pane, the help, a
// search hit, the path filter and a binary body. Each is
// testdata/TestGolden/NAME.golden; regenerate with
// go test ./model -run Golden -update.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		screen func(t *testing.T) string
	}{
		{"Wide", func(t *testing.T) string { return goldenScreen(t, 120, 40) }},
		{"NarrowResponse", func(t *testing.T) string { return goldenScreen(t, 80, 24) }},
		{"NarrowRequest", func(t *testing.T) string { return goldenScreen(t, 80, 24, "tab", "tab") }},
		{"Help", func(t *testing.T) string { return goldenScreen(t, 120, 40, "?") }},
		{"HelpNarrow", func(t *testing.T) string { return goldenScreen(t, 80, 24, "?") }},
		{"SearchHitWide", func(t *testing.T) string { return inspectorScreen(t, 120, 40, "/", "Deadbolt", "enter") }},
		{"SearchHitNarrow", func(t *testing.T) string { return inspectorScreen(t, 80, 24, "/", "Deadbolt", "enter") }},
		{"PathFilterWide", func(t *testing.T) string { return inspectorScreen(t, 120, 40, "f", "items.#.name") }},
		{"PathFilterNarrow", func(t *testing.T) string { return inspectorScreen(t, 80, 24, "f", "items.#.name") }},
		{"BinaryWide", func(t *testing.T) string { return binaryScreen(t, 120, 40) }},
		{"BinaryNarrow", func(t *testing.T) string { return binaryScreen(t, 80, 24) }},
		{"BrowserWide", func(t *testing.T) string { return browserScreen(t, 120, 40) }},
		{"BrowserNarrow", func(t *testing.T) string { return browserScreen(t, 80, 24, "item") }},
		{"OperationWide", func(t *testing.T) string { return browserScreen(t, 120, 40, "getItem", "down", "enter") }},
		{"OperationNarrow", func(t *testing.T) string { return browserScreen(t, 80, 24, "createItem", "enter", "tab") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.RequireEqual(t, tc.screen(t))
		})
	}
}

// styledScreen is a main screen as drawn, colours and all, in the dark or
// the light styles: the demo at w×h with a token and a response, then
// keys.
func styledScreen(t *testing.T, theme string, w, h int, keys ...string) string {
	t.Helper()
	now := fixedNow
	b, _ := demoBackend(t, demo.Options{}, func() time.Time { return now })
	m := New(Options{Label: "testdata/config.toml", Backend: b, Redact: true, Theme: theme,
		Now: func() time.Time { return now }, Location: time.UTC})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = run(t, m, press("enter"))
	m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	m = run(t, m, press("ctrl+s"))
	for _, k := range keys {
		m = run(t, m, press(k))
	}
	return m.View().Content
}

// TestGoldenStyles: the main screens in both styles — the request and
// response side by side, the response alone on a narrow terminal, the
// picker, the help — with their colours. Regenerate with
// go test ./model -run GoldenStyles -update.
func TestGoldenStyles(t *testing.T) {
	screens := []struct {
		name string
		w, h int
		keys []string
	}{
		{"wide", 120, 40, nil},
		{"narrow", 80, 24, nil},
		{"picker", 120, 40, []string{"o"}},
		{"picker_narrow", 80, 24, []string{"o", "i", "t", "e", "m"}},
		{"help", 120, 40, []string{"?"}},
	}
	for _, theme := range []string{"dark", "light"} {
		for _, s := range screens {
			t.Run(theme+"_"+s.name, func(t *testing.T) {
				golden.RequireEqual(t, styledScreen(t, theme, s.w, s.h, s.keys...))
			})
		}
	}
}
