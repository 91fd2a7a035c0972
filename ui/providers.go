package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// ProviderItem is one row of the provider list.
type ProviderItem struct {
	Name  string
	Glyph string // state glyph, already a spinner frame when in flight
	Tone  Tone
	// Insecure marks a provider with TLS verification off (insecure =
	// true) or an endpoint in plain http to a host that is not loopback:
	// InsecureMark in red after the name.
	Insecure bool
}

// InsecureMark follows the name of a provider with TLS verification off,
// or whose credentials go somewhere in plain http.
// It is one narrow ASCII cell, so the 18-column pane keeps room for the
// name, and it still reads without colour (NO_COLOR); the token pane
// spells it out as "TLS NOT VERIFIED" or "PLAIN HTTP".
const InsecureMark = "!"

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
		nameW := w - 4
		if it.Insecure {
			nameW -= len(InsecureMark) + 1
		}
		// Cut, not padded yet: the insecure mark goes right after the
		// name, and the padding after the mark.
		name := strings.TrimRight(Fit(it.Name, nameW), " ")
		pad := strings.Repeat(" ", max(0, nameW-lipgloss.Width(name)))
		switch {
		case i == l.Cursor && focused:
			mark, name = st.Selected.Render(mark), st.Selected.Render(name)
		case i == l.Active:
			name = st.Bold.Render(name)
		}
		if it.Insecure && nameW >= 0 {
			// Never cut off with the name: in a narrow pane the name
			// gives way, the mark stays.
			name += " " + st.Bad.Bold(true).Render(InsecureMark)
		}
		rows = append(rows, mark+name+pad+" "+st.Render(it.Tone, it.Glyph))
	}
	return strings.Join(rows, "\n")
}
