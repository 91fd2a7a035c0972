package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func opItem(method, path, id string, tie int) PickerItem {
	return PickerItem{Group: "ops", Source: "spec", Tie: tie, Parts: []PickerPart{
		{Text: method, Look: LookMethod, Width: 6}, {Text: path, Width: 12}, {Text: id, Look: LookMuted},
	}}
}

// TestPickerPartsAndReset: rows given in parts are drawn padded into
// columns, matched on their text joined by spaces, rows scored alike stay
// in the order given (Tie is a ranker's: model's TestRankRowsTie), and
// Reset brings more rows in keeping the filter.
func TestPickerPartsAndReset(t *testing.T) {
	st := NewStyles(true)
	items := []PickerItem{opItem("GET", "/aaaa/b", "getB", 9), opItem("GET", "/aaaa/a", "getA", 3)}
	items[0].Mark = "deprecated"
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Ops", items)
	p.SetSize(60, 10)
	if view := ansi.Strip(p.View()); !strings.Contains(view, "[spec] GET    /aaaa/b      getB deprecated") {
		t.Errorf("parts not drawn in columns:\n%s", view)
	}
	typeInto(p, "get")
	if p.Cursor() != 0 {
		t.Errorf("scored alike, the order given: cursor on %d", p.Cursor())
	}
	p.Reset(append(items, opItem("POST", "/c", "getC", 0)))
	if p.Filter() != "get" || !strings.Contains(ansi.Strip(p.View()), "POST") {
		t.Errorf("Reset lost the filter or the new row:\n%s", ansi.Strip(p.View()))
	}
}
