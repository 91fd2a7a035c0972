package ui

import (
	"strings"

	"github.com/sahilm/fuzzy"
)

// refilter makes the list for the filter's text: every item under its
// heading when it is empty, else the fuzzy matches, best first.
func (p *Picker) refilter() {
	p.query = p.filter.Value()
	p.shown, p.marks, p.lines = p.shown[:0], nil, p.lines[:0]
	if !p.filtering() {
		group := ""
		for i, it := range p.items {
			if it.Group != "" && (i == 0 || it.Group != group) {
				p.lines = append(p.lines, pickerLine{heading: it.Group, row: -1})
			}
			group = it.Group
			p.lines = append(p.lines, pickerLine{row: len(p.shown)})
			p.shown = append(p.shown, i)
		}
	} else {
		p.marks = map[int][]int{}
		for _, h := range p.ranked() {
			p.lines = append(p.lines, pickerLine{row: len(p.shown)})
			p.shown = append(p.shown, h.Index)
			p.marks[h.Index] = h.Matched
		}
	}
	p.cursor, p.offset = 0, 0
	p.scroll()
}

// filtering reports whether the filter's text ranks the rows, hiding
// the headings: spaces alone do not.
func (p *Picker) filtering() bool { return strings.TrimSpace(p.query) != "" }

// ranked are the rows that match the filter's text, best first: the
// ranker's, else fuzzy's over each row's text.
func (p *Picker) ranked() []PickerHit {
	if p.rank != nil {
		return p.rank(p.query)
	}
	// fuzzy sorts by score, stably: rows scored alike stay in the order
	// given; Tie is a ranker's to use.
	found := fuzzy.FindFrom(p.query, pickerSource(p.texts))
	hits := make([]PickerHit, len(found))
	for i, m := range found {
		hits[i] = PickerHit{Index: m.Index, Matched: m.MatchedIndexes}
	}
	return hits
}

// pickerSource lets fuzzy read the items' texts.
type pickerSource []string

func (s pickerSource) String(i int) string { return s[i] }
func (s pickerSource) Len() int            { return len(s) }
