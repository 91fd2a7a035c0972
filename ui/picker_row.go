package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// row draws shown[i]: its source mark, its title and detail with the
// filter's matches underlined, the cursor's row marked.
func (p *Picker) row(i int) string {
	st := p.st
	idx := p.shown[i]
	it := p.items[idx]
	mark := "  "
	if i == p.cursor {
		mark = st.Selected.Render("> ")
	}
	src := ""
	if it.Source != "" {
		// Padded to the widest, so that [saved] and [spec] rows line up.
		src = st.Muted.Render("["+it.Source+"]") + strings.Repeat(" ", p.srcW-lipgloss.Width(it.Source)-2) + " "
	} else if p.srcW > 0 {
		// A row without a source keeps the column: the environment
		// picker marks only the one in force.
		src = strings.Repeat(" ", p.srcW+1)
	}
	text := p.texts[idx]
	marked := map[int]bool{}
	for _, b := range p.marks[idx] {
		marked[b] = true
	}
	// Runs of one look are styled at once: a row is drawn with a few
	// styles, not one per character.
	base := lipgloss.NewStyle()
	if i == p.cursor {
		base = st.Selected
	}
	looks := []lipgloss.Style{base, st.Muted, st.Key.Underline(true)}
	class := func(j int) int {
		switch {
		case marked[j]:
			return 2
		case j >= len(it.Title):
			return 1
		}
		return 0
	}
	if it.Parts != nil {
		return mark + p.fitRow(src+p.partsRow(it, text, marked, base)+p.markOf(it), it)
	}
	var b strings.Builder
	start := 0
	for j := range text {
		if j > start && class(j) != class(start) {
			b.WriteString(looks[class(start)].Render(text[start:j]))
			start = j
		}
	}
	if start < len(text) {
		b.WriteString(looks[class(start)].Render(text[start:]))
	}
	return mark + p.fitRow(src+b.String()+p.markOf(it), it)
}

// fitRow fits a row's drawing into the list's width. While a filter hides
// the headings, the row's group is said at its right end, muted: two rows
// that read alike ("POST /api/items Create an item") from two providers
// or two files are told apart. The group never costs the row its text:
// where both do not fit, the group is left out.
func (p *Picker) fitRow(text string, it PickerItem) string {
	w := p.w - 2
	group := "  " + it.Group
	if !p.filtering() || it.Group == "" || lipgloss.Width(text)+lipgloss.Width(group) > w {
		return Fit(text, w)
	}
	return Fit(text, w-lipgloss.Width(group)) + p.st.Muted.Render(group)
}

// markOf draws an item's Mark.
func (p *Picker) markOf(it PickerItem) string {
	if it.Mark == "" {
		return ""
	}
	return " " + p.st.Warn.Render(it.Mark)
}
