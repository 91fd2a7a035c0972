package ui

import (
	"strings"
)

// ProviderItem is one row of the provider list.
type ProviderItem struct {
	Name  string
	Glyph string // state glyph, already a spinner frame when in flight
	Tone  Tone
	// Insecure marks a provider with TLS verification off, in red.
	Insecure bool
}

// ProviderList draws the providers with a cursor and, beside the cursor's
// row, a marker for the one in use.
type ProviderList struct {
	Items  []ProviderItem
	Cursor int
	Active int // index of the provider in use; -1 for none
	offset int
}

// Offset is the first row drawn, for mapping a click onto a row.
func (l *ProviderList) Offset() int { return l.offset }

// MoveUp and MoveDown move the cursor, stopping at the ends.
func (l *ProviderList) MoveUp() { l.Cursor = max(0, l.Cursor-1) }

// MoveDown moves the cursor one row down.
func (l *ProviderList) MoveDown() { l.Cursor = min(len(l.Items)-1, l.Cursor+1) }

// View draws the list in w×h cells.
func (l *ProviderList) View(st Styles, w, h int, focused bool) string {
	if len(l.Items) == 0 {
		return st.Muted.Render("no providers")
	}
	if l.Cursor < l.offset {
		l.offset = l.Cursor
	}
	if l.Cursor >= l.offset+h {
		l.offset = l.Cursor - h + 1
	}
	var rows []string
	for i := l.offset; i < len(l.Items) && i < l.offset+h; i++ {
		it := l.Items[i]
		mark := "  "
		if i == l.Cursor {
			mark = "> "
		}
		name := it.Name
		if it.Insecure {
			name += " !"
		}
		name = Fit(name, w-4)
		switch {
		case i == l.Cursor && focused:
			mark, name = st.Selected.Render(mark), st.Selected.Render(name)
		case i == l.Active:
			name = st.Bold.Render(name)
		}
		rows = append(rows, mark+name+" "+st.Render(it.Tone, it.Glyph))
	}
	return strings.Join(rows, "\n")
}
