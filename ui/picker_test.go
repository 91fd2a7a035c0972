package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func pickerItems() []PickerItem {
	return []PickerItem{
		{Group: "Saved · a", Source: "saved", Title: "Who am I", Detail: "GET /api/me"},
		{Group: "Saved · a", Source: "saved", Title: "List items", Detail: "GET /api/items?page=1"},
		{Group: "Saved · b", Source: "saved", Title: "Create an item", Detail: "POST /api/items"},
	}
}

func typeInto(p *Picker, s string) {
	for _, r := range s {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// TestPickerGroupNeverCostsTheText: a filtered row says its group only
// where the row's own text still fits whole beside it.
func TestPickerGroupNeverCostsTheText(t *testing.T) {
	st := NewStyles(true)
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Requests", pickerItems())
	typeInto(p, "itms pg")
	for _, tc := range []struct {
		w         int
		withGroup bool
	}{{60, true}, {48, false}} {
		p.SetSize(tc.w, 12)
		row := strings.TrimSpace(strings.Split(ansi.Strip(p.View()), "\n")[1])
		if !strings.Contains(row, "List items  GET /api/items?page=1") || strings.Contains(row, "…") {
			t.Errorf("width %d: the row's text is cut: %q", tc.w, row)
		}
		if strings.HasSuffix(row, "Saved · a") != tc.withGroup {
			t.Errorf("width %d: group shown %v, want %v: %q", tc.w, !tc.withGroup, tc.withGroup, row)
		}
	}
}

// TestPickerSaysAGroupOnce: a row names its group at its end only while
// the headings are hidden, never under its heading too; a filter of
// spaces only keeps the headings (it matches nothing to rank), so the
// rows under them name no group. They did, each row under its heading.
func TestPickerSaysAGroupOnce(t *testing.T) {
	st := NewStyles(true)
	for _, typed := range []string{"", " ", "  ", "item"} {
		p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Requests", pickerItems())
		p.SetSize(70, 12)
		typeInto(p, typed)
		view := ansi.Strip(p.View())
		headings := strings.Contains(view, "\nSaved · a")
		if headings != (strings.TrimSpace(typed) == "") {
			t.Errorf("filter %q: headings shown %v:\n%s", typed, headings, view)
		}
		grouped := 0
		for _, line := range strings.Split(view, "\n") {
			line = strings.TrimSpace(line)
			if strings.Contains(line, "[saved]") && strings.HasSuffix(line, "Saved · b") {
				grouped++
			}
		}
		if want := !headings; (grouped > 0) != want {
			t.Errorf("filter %q: %d rows name their group, want some: %v:\n%s", typed, grouped, want, view)
		}
	}
}

func TestPickerFiltersFuzzilyBestFirst(t *testing.T) {
	st := NewStyles(true)
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Requests", pickerItems())
	p.SetSize(60, 12)
	view := ansi.Strip(p.View())
	for _, h := range []string{"Saved · a", "Saved · b"} {
		if !strings.Contains(view, h) {
			t.Errorf("with the filter empty, no heading %q:\n%s", h, view)
		}
	}
	typeInto(p, "itms pg")
	view = ansi.Strip(p.View())
	if !strings.Contains(view, "> [saved] List items") || strings.Contains(view, "Who am I") || strings.Contains(view, "\nSaved · a") {
		t.Errorf("itms pg: want List items first, no heading, no Who am I:\n%s", view)
	}
	// Without its heading, a row says its group at its end.
	if row := strings.Split(view, "\n")[1]; !strings.HasSuffix(strings.TrimSpace(row), "Saved · a") {
		t.Errorf("a filtered row without its group: %q", row)
	}
	p.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if i, ok := p.Chosen(); !ok || i != 1 || p.Result() != Done {
		t.Errorf("enter chose %d %v", i, ok)
	}
}

func TestPickerScrollsWithTheCursor(t *testing.T) {
	var items []PickerItem
	for i := range 50 {
		items = append(items, PickerItem{Group: fmt.Sprintf("group %d", i/10), Title: fmt.Sprintf("row %02d", i)})
	}
	st := NewStyles(false)
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Rows", items)
	p.SetSize(40, 10)
	for i := 1; i < 50; i++ {
		p.Update(tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
		view := ansi.Strip(p.View())
		if !strings.Contains(view, fmt.Sprintf("> row %02d", i)) {
			t.Fatalf("row %d is not on screen:\n%s", i, view)
		}
		if n := strings.Count(view, "\n") + 1; n > 10 {
			t.Fatalf("the picker draws %d lines in 10", n)
		}
		// The count names the rows on screen, as "N of M" counts rows;
		// it named lines, headings included.
		first, last := -1, -1
		for _, l := range strings.Split(view, "\n") {
			var r int
			if _, err := fmt.Sscanf(strings.TrimLeft(l, "> "), "row %d", &r); err == nil {
				if first < 0 {
					first = r
				}
				last = r
			}
		}
		if want := fmt.Sprintf("50 of 50 · %d–%d shown", first+1, last+1); !strings.Contains(view, want) {
			t.Fatalf("after %d moves the count does not say %q:\n%s", i, want, view)
		}
	}
	p.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if p.Result() != Dismissed {
		t.Error("esc with an empty filter did not close the picker")
	}
}

// TestPickerSetItemsKeepsTheRow: rows drawn another way (masked, then
// shown) keep the filter and the row the cursor is on.
func TestPickerSetItemsKeepsTheRow(t *testing.T) {
	st := NewStyles(true)
	p := NewPicker(&st, DefaultKeyMap().PickerKeys(), "Requests", pickerItems())
	p.SetSize(60, 12)
	typeInto(p, "item")
	p.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	before := p.shown[p.cursor]
	masked := pickerItems()
	for i := range masked {
		masked[i].Detail = strings.ReplaceAll(masked[i].Detail, "page=1", "page=••••")
	}
	p.SetItems(masked)
	if p.Filter() != "item" || p.shown[p.cursor] != before {
		t.Errorf("SetItems lost the filter or the row: filter %q, row %d, want %d", p.Filter(), p.shown[p.cursor], before)
	}
	if view := ansi.Strip(p.View()); !strings.Contains(view, "page=••••") || strings.Contains(view, "page=1") {
		t.Errorf("SetItems does not draw the new rows:\n%s", view)
	}
}
