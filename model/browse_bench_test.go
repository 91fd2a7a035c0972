package model

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// BenchmarkPickerFilterKeystroke is one key typed into the picker's
// filter and the frame drawn after it, with a GitHub-sized spec's 1,200
// operations listed: the budget is 16 ms a keystroke. Each iteration
// types the next key of a query and, at its end, clears the filter, so
// filters of every length are measured.
func BenchmarkPickerFilterKeystroke(b *testing.B) {
	s, err := spec.Parse("github.json", spectest.JSON(spectest.GitHub()))
	if err != nil {
		b.Fatal(err)
	}
	m := benchModel(b, CollectionOptions{})
	m.entries[0].spec = &specState{s: s}
	nm, _ := m.Update(press("o"))
	m = nm.(Model)
	if rows, _ := specRows(m.entries[0], true); len(rows) < 1000 {
		b.Fatalf("%d operations listed", len(rows))
	}
	typeQueryLoop(b, m, "repos issue comment")
}

// benchModel is the demo's model at 120×40, with the collection co, for
// the picker's benchmarks.
func benchModel(b *testing.B, co CollectionOptions) Model {
	b.Helper()
	bk, _ := demoBackend(b, demoOpts(), func() time.Time { return fixedNow })
	m := New(Options{Label: "bench", Backend: bk, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC, Collection: co})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return nm.(Model)
}

// typeQueryLoop is the picker benchmarks' loop: each iteration types the
// next key of query into m's open picker and draws the frame; the query's
// last key is esc, which clears the filter, so filters of every length
// are measured.
func typeQueryLoop(b *testing.B, m Model, query string) {
	b.Helper()
	i := 0
	for b.Loop() {
		key := press(string(query[i%len(query)]))
		if i%len(query) == len(query)-1 {
			key = press("esc")
		}
		i++
		nm, _ := m.Update(key)
		m = nm.(Model)
		_ = m.View()
	}
}
