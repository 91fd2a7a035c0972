package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestPickerRanker: a ranker given to the picker orders its rows in place
// of fuzzy, is made again for the rows Reset gives, and the padding of
// the source marks lines the rows up.
func TestPickerRanker(t *testing.T) {
	st := NewStyles(true)
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Requests", pickerItems())
	p.SetSize(60, 12)
	prepared := 0
	p.SetRanker(func(items []PickerItem) func(string) []PickerHit {
		prepared++
		return func(q string) []PickerHit {
			// The rows whose text holds q, last first.
			var hits []PickerHit
			for i := len(items) - 1; i >= 0; i-- {
				if at := strings.Index(items[i].Text(), q); at >= 0 {
					hits = append(hits, PickerHit{Index: i, Matched: []int{at}})
				}
			}
			return hits
		}
	})
	typeInto(p, "items")
	view := ansi.Strip(p.View())
	create, list := strings.Index(view, "> [saved] Create an item"), strings.Index(view, "  [saved] List items")
	if create < 0 || list < 0 || create > list || strings.Contains(view, "Who am I") {
		t.Errorf("items: want the ranker's order, Create an item before List items:\n%s", view)
	}
	items := append(pickerItems(), PickerItem{Source: "spec", Title: "getItems", Detail: "GET /api/items"})
	p.Reset(items)
	if prepared != 2 {
		t.Errorf("the ranker was made %d times, want once for each set of rows", prepared)
	}
	view = ansi.Strip(p.View())
	if at := strings.Index(view, "  [spec]  getItems"); at < 0 || at > strings.Index(view, "[saved] Create an item") {
		t.Errorf("after Reset: want the new row first, its source mark padded to [saved]'s width:\n%s", view)
	}
}
