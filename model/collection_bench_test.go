package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/collection/httpfile"
)

// BenchmarkPickerFilterCollection is one key typed into the picker's
// filter and the frame drawn after it, with a collection of 5,000
// requests in 200 files listed: the budget is 16 ms a keystroke (issue
// 12). As BenchmarkPickerFilterKeystroke, each iteration types the next
// key of a query and, at its end, clears the filter.
func BenchmarkPickerFilterCollection(b *testing.B) {
	m := benchModel(b, CollectionOptions{WorkDir: "/collection"})
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
	nm, _ := m.Update(press("o"))
	m = nm.(Model)
	if rows, _ := collRows(m.coll, "/collection", true); len(rows) != 5000 {
		b.Fatalf("%d requests listed", len(rows))
	}
	typeQueryLoop(b, m, "delete item group 7")
}
