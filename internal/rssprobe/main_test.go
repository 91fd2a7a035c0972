package main

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/bigbody"
	"github.com/keyhole-sh/keyhole/ui"
	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

// The end-to-end checks and benchmarks for a 50 MB JSON response:
// an document.Document drawn by ui/bodyview, as the model will wire them.
// This is the one package that may import both (ui imports nothing of
// ours; exchange has no Bubble Tea). Generating and indenting the body
// takes 0.3 s, 5 s under -race on two cores: the test skips under -short,
// and runs in CI, which does not pass -short.

var big = sync.OnceValues(func() ([]byte, *document.Document) {
	body := bigbody.JSON(bigbody.Objects50MB)
	return body, document.Build(body, "application/json", document.ModePretty)
})

func open(doc *document.Document, w, h int) *bodyview.Model {
	st, keys := ui.NewStyles(true), ui.DefaultKeyMap()
	v := bodyview.New(&st.Body, keys.BodyKeys())
	v.SetDocument(doc, doc.Kind().String())
	v.SetSize(w, h)
	return &v
}

func TestEndToEnd50MB(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB body: 0.3 s, 5 s under -race; skipped with -short")
	}
	body, doc := big()
	v := open(doc, 120, 40)

	// The last element is reachable.
	v.Bottom()
	frame := ansi.Strip(v.View())
	if !strings.Contains(frame, `"note": "`+bigbody.Marker+`"`) || !strings.Contains(frame, "· 100%") {
		t.Fatalf("bottom:\n%s", frame)
	}

	// A search finds the hit at the very end, and n takes the view there.
	hits := doc.Search(context.Background(), strings.ToLower(bigbody.Marker), true)
	if len(hits) != 1 || hits[0].Line != doc.Len()-3 {
		t.Fatalf("hits %v", hits)
	}
	v.Top()
	uh := make([]bodyview.Hit, len(hits))
	for i, h := range hits {
		uh[i] = bodyview.Hit(h)
	}
	v.SetHits(uh, -1)
	v.GotoHit(0)
	if frame := ansi.Strip(v.View()); !strings.Contains(frame, bigbody.Marker) || !strings.Contains(frame, "hit 1/1") {
		t.Fatalf("after GotoHit:\n%s", frame)
	}

	// A path filter narrows the 50 MB to the ids, last one included.
	filtered, err := document.Filter(body, "#.id")
	if err != nil {
		t.Fatal(err)
	}
	v.SetDocument(filtered, filtered.Kind().String())
	v.Bottom()
	frame = trimRows(ansi.Strip(v.View()))
	last := strconv.Itoa(bigbody.Objects50MB)
	if !strings.Contains(frame, "\n  "+last+"\n]\n") || !strings.Contains(frame, "/"+strconv.Itoa(bigbody.Objects50MB+2)+" · 100%") {
		t.Fatalf("filtered bottom:\n%s", frame)
	}
}

// trimRows drops the padding at the end of each row.
func trimRows(frame string) string {
	rows := strings.Split(frame, "\n")
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " ")
	}
	return strings.Join(rows, "\n")
}

// BenchmarkOpen50MB is the time from a 50 MB JSON body in memory to its
// first frame on screen: BuildDocument (run in a tea.Cmd by the model) and
// the first View at 120×40. heap-B/body-B is the live heap afterwards per
// body byte, the body itself included; the process's resident set is
// what the rssprobe command measures.
func BenchmarkOpen50MB(b *testing.B) {
	body := bigbody.JSON(bigbody.Objects50MB)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var v *bodyview.Model
	for b.Loop() {
		doc := document.Build(body, "application/json", document.ModePretty)
		v = open(doc, 120, 40)
		_ = v.View()
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/float64(len(body)), "heap-B/body-B")
	runtime.KeepAlive(v)
}

// BenchmarkScroll50MB is one keypress to its frame with the 50 MB body
// loaded: a row down, a page down, the end, each followed by View. The
// target is 16 ms.
func BenchmarkScroll50MB(b *testing.B) {
	_, doc := big()
	for _, bc := range []struct {
		name string
		key  func(v *bodyview.Model)
	}{
		{"row", func(v *bodyview.Model) { v.ScrollBy(1) }},
		{"page", func(v *bodyview.Model) { v.PageBy(1) }},
		{"bottom", func(v *bodyview.Model) { v.Top(); v.Bottom() }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			v := open(doc, 120, 40)
			v.View()
			for b.Loop() {
				bc.key(v)
				_ = v.View()
			}
		})
	}
}
