package model

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/ui"
)

// TestRankRowsTie: with the requests picker's ranker, rows the typed
// words score alike go by Tie, the lower first, not by the order given.
func TestRankRowsTie(t *testing.T) {
	op := func(path, id string, tie int) ui.PickerItem {
		return ui.PickerItem{Group: "ops", Source: "spec", Tie: tie, Parts: []ui.PickerPart{
			{Text: "GET", Look: ui.LookMethod, Width: 6}, {Text: path, Width: 12}, {Text: id, Look: ui.LookMuted},
		}}
	}
	st := ui.NewStyles(true)
	p := ui.NewPicker(&st, ui.DefaultKeyMap().PickerKeys(), "Ops", []ui.PickerItem{op("/aaaa/b", "getB", 9), op("/aaaa/a", "getA", 3)})
	p.SetRanker(rankRows)
	for _, r := range "get" {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if p.Cursor() != 1 {
		t.Errorf("scored alike, the lower Tie first: cursor on %d", p.Cursor())
	}
}
