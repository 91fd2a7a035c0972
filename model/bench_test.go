package model

import (
	"net/http"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/bigbody"
	"github.com/keyhole-sh/keyhole/model/exchange"
)

// BenchmarkFirstFrame is New and the first View at 120x40: what stands
// between starting keyhole and seeing its providers.
func BenchmarkFirstFrame(b *testing.B) {
	for b.Loop() {
		m := New(Options{Label: "built-in demo", Demo: true, Placeholder: []string{"demo-cc", "demo-pkce", "demo-device"}})
		nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = nm.(Model).View()
	}
}

// bigModel is a model showing a ~50 MB JSON response in its response pane,
// as the send command leaves it.
func bigModel(b *testing.B) Model {
	b.Helper()
	body := bigbody.JSON(bigbody.Objects50MB)
	m := New(Options{Label: "bench", Placeholder: []string{"x"}, Now: func() time.Time { return fixedNow }})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Size: int64(len(body))}}
	m.newBody(exchange.BuildDocument(body, "application/json", exchange.ModePretty))
	m.setFocus(paneResponse)
	return m
}

// BenchmarkOpenBigResponse is what happens between a 50 MB response
// arriving and its first frame: building the document (in the send
// command) and drawing.
func BenchmarkOpenBigResponse(b *testing.B) {
	body := bigbody.JSON(bigbody.Objects50MB)
	m := New(Options{Label: "bench", Placeholder: []string{"x"}, Now: func() time.Time { return fixedNow }})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Size: int64(len(body))}}
		m.newBody(exchange.BuildDocument(body, "application/json", exchange.ModePretty))
		_ = m.View()
	}
}

// BenchmarkKeypressToFrame is one scroll key through Update and the
// whole screen's View with a 50 MB body loaded: the figure a person feels.
func BenchmarkKeypressToFrame(b *testing.B) {
	m := bigModel(b)
	down, up := press("j"), press("k")
	i := 0
	for b.Loop() {
		key := down
		if i%2 == 1 {
			key = up
		}
		i++
		nm, _ := m.Update(key)
		m = nm.(Model)
		_ = m.View()
	}
}

// BenchmarkPageDownToFrame is a page down (and back) to frame.
func BenchmarkPageDownToFrame(b *testing.B) {
	m := bigModel(b)
	i := 0
	for b.Loop() {
		key := press("pgdown")
		if i%2 == 1 {
			key = press("pgup")
		}
		i++
		nm, _ := m.Update(key)
		m = nm.(Model)
		_ = m.View()
	}
}
