package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/collection/httpfile"
)

// BenchmarkPickerFilterCollection is one key typed into the picker's
// filter and the frame drawn after it, with a collection of 5,000
// requests in 200 files listed: the budget is 16 ms a keystroke (issue
// 12). As BenchmarkPickerFilterKeystroke, each iteration types the next
// key of a query and, at its end, clears the filter.
func BenchmarkPickerFilterCollection(b *testing.B) {
	bk, _ := demoBackend(b, demoOpts(), func() time.Time { return fixedNow })
	m := New(Options{Label: "bench", Backend: bk, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC,
		Collection: CollectionOptions{WorkDir: "/collection"}})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	var files []*httpfile.File
	for f := range 200 {
		var src strings.Builder
		fmt.Fprintf(&src, "@host = https://api%d.example.test\n\n", f)
		for r := range 25 {
			fmt.Fprintf(&src, "### %s item %d of group %d\n%s {{host}}/groups/%d/items/%d?page={{page}}\nAccept: application/json\n\n",
				[]string{"get", "update", "delete", "list", "create"}[r%5], r, f, []string{"GET", "PUT", "DELETE", "GET", "POST"}[r%5], f, r)
		}
		files = append(files, httpfile.Parse(fmt.Sprintf("/collection/group%03d.http", f), []byte(src.String())))
	}
	m.coll.files = files
	nm, _ = m.Update(press("o"))
	m = nm.(Model)
	if rows, _ := collRows(m.coll, "/collection", true); len(rows) != 5000 {
		b.Fatalf("%d requests listed", len(rows))
	}
	const query = "delete item group 7"
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
