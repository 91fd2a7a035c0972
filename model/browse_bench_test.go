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
	bk, _ := demoBackend(b, demoOpts(), func() time.Time { return fixedNow })
	m := New(Options{Label: "bench", Backend: bk, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	m.entries[0].spec = &specState{s: s}
	nm, _ = m.Update(press("o"))
	m = nm.(Model)
	if rows, _ := specRows(m.entries[0], true); len(rows) < 1000 {
		b.Fatalf("%d operations listed", len(rows))
	}
	const query = "repos issue comment"
	i := 0
	for b.Loop() {
		key := press(string(query[i%len(query)]))
		if i%len(query) == len(query)-1 {
			key = press("esc")
		}
		i++
		nm, _ = m.Update(key)
		m = nm.(Model)
		_ = m.View()
	}
}
