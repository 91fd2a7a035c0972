package model

import (
	"github.com/keyhole-sh/keyhole/internal/rank"
	"github.com/keyhole-sh/keyhole/ui"
)

// rankRows is the requests picker's filter: the ranking keyhole ops uses
// (internal/rank, through spec.Match), over each row's parts — the
// method as a method, the operationId or request name as a name — so
// that typed words order operations and saved requests alike.
func rankRows(items []ui.PickerItem) func(query string) []ui.PickerHit {
	set := &rank.Set{}
	for _, it := range items {
		if it.Parts == nil {
			set.Add(it.Tie, rank.Field{Text: it.Text()})
			continue
		}
		fields := make([]rank.Field, len(it.Parts))
		for i, pt := range it.Parts {
			fields[i] = rank.Field{Text: pt.Text}
			switch {
			case pt.Look == ui.LookMethod:
				fields[i].Kind = rank.Method
			case pt.Name:
				fields[i].Kind = rank.Name
			}
		}
		set.Add(it.Tie, fields...)
	}
	return func(query string) []ui.PickerHit {
		hits := set.Rank(query)
		out := make([]ui.PickerHit, len(hits))
		for i, h := range hits {
			out[i] = ui.PickerHit{Index: h.Index, Matched: h.Matched}
		}
		return out
	}
}
