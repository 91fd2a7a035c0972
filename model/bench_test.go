package model

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/bigbody"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/share"
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
	m := New(Options{Label: "bench", Placeholder: []string{"x"}, Now: func() time.Time { return fixedNow }, Redact: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Size: int64(len(body))}}
	m.newBody(buildDocs(body, "application/json", document.ModePretty, benchRedactor()), benchRedactor())
	m.setFocus(paneResponse)
	return m
}

// benchRedactor knows what a session and an exchange usually do: a
// client secret, a JWT access token and a refresh token, none of them in
// the body, so the body is scanned and laid out once, as for most answers.
func benchRedactor() *secret.Redactor {
	var r secret.Redactor
	r.Add(secret.New("bench-client-secret-0123456789"),
		secret.New("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJiZW5jaCIsImV4cCI6MTcwMDAwMDAwMCwic2NvcGUiOiJhcGk6cmVhZCBhcGk6d3JpdGUifQ.c2lnbmF0dXJlLWJ5dGVzLWJlbmNoLTAxMjM0NTY3ODk"),
		secret.New("bench-refresh-token-abcdefghijklmnop"))
	r.AddBasic(secret.New("bench-client"), secret.New("bench-client-secret-0123456789"))
	return &r
}

// BenchmarkOpenBigResponse is what happens between a 50 MB response
// arriving and its first frame: scanning it for secrets and building the
// document (in the send command), and drawing.
func BenchmarkOpenBigResponse(b *testing.B) {
	body := bigbody.JSON(bigbody.Objects50MB)
	m := New(Options{Label: "bench", Placeholder: []string{"x"}, Now: func() time.Time { return fixedNow }, Redact: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	red := benchRedactor()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Size: int64(len(body))}}
		m.newBody(buildDocs(body, "application/json", document.ModePretty, red), red)
		_ = m.View()
	}
}

// BenchmarkMaskBigBody is the masking pass alone over the 50 MB body: the
// known secrets, credential parameters and credential JSON fields, none
// of which the body holds.
func BenchmarkMaskBigBody(b *testing.B) {
	body := bigbody.JSON(bigbody.Objects50MB)
	red := benchRedactor()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, changed := red.RedactBytes(body); changed {
			b.Fatal("the bench body holds a secret")
		}
	}
}

// BenchmarkOpenBigResponseWithASecret is BenchmarkOpenBigResponse for a
// body that echoes the access token in its last object: it is laid out
// twice, masked and not.
func BenchmarkOpenBigResponseWithASecret(b *testing.B) {
	red := benchRedactor()
	body := bytes.Replace(bigbody.JSON(bigbody.Objects50MB), []byte(bigbody.Marker), []byte("bench-refresh-token-abcdefghijklmnop"), 1)
	m := New(Options{Label: "bench", Placeholder: []string{"x"}, Now: func() time.Time { return fixedNow }, Redact: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Size: int64(len(body))}}
		docs := buildDocs(body, "application/json", document.ModePretty, red)
		if docs.masked == docs.plain {
			b.Fatal("the secret in the body was not masked")
		}
		m.newBody(docs, red)
		_ = m.View()
	}
}

// BenchmarkKeypressToFrame is one scroll key through Update and the
// whole screen's View with a 50 MB body loaded: the figure a person feels.
func BenchmarkKeypressToFrame(b *testing.B) {
	alternate(b, bigModel(b), press("j"), press("k"), nil)
}

// alternate sends one and other in turn through Update and draws the
// frame, b.Loop times; after, when set, runs after each frame.
func alternate(b *testing.B, m Model, one, other tea.KeyPressMsg, after func()) {
	i := 0
	for b.Loop() {
		key := one
		if i%2 == 1 {
			key = other
		}
		i++
		nm, _ := m.Update(key)
		m = nm.(Model)
		_ = m.View()
		if after != nil {
			after()
		}
	}
}

// BenchmarkPageDownToFrame is a page down (and back) to frame.
func BenchmarkPageDownToFrame(b *testing.B) {
	alternate(b, bigModel(b), press("pgdown"), press("pgup"), nil)
}

// BenchmarkKeypressToFrameWatched is BenchmarkKeypressToFrame while the
// session is shared and watched: Update also makes the frame viewers get
// (published into a slot, as share.Server does, never waiting).
func BenchmarkKeypressToFrameWatched(b *testing.B) {
	m := bigModel(b)
	fs := newFakeShare(10)
	m.opts.Share, m.watching = fs, 10
	alternate(b, m, press("j"), press("k"), func() { fs.published = nil })
}

// BenchmarkViewerFrame is a viewer drawing a frame of the 50 MB response
// at 80x24: its own goroutine's work for each frame it gets.
func BenchmarkViewerFrame(b *testing.B) {
	m := bigModel(b)
	f := m.frame()
	v := NewViewer(ViewerOptions{Presenter: "bench"}, f)
	v.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for b.Loop() {
		v.Update(share.SnapshotMsg{Snapshot: m.frame()})
		_ = v.View()
	}
}
