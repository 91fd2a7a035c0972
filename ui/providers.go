package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
// row, a marker for the one in use. It moves its own cursor (the arrows, the
// wheel, a click on a row) and keeps the cursor's row on screen there, in
// Update: View only draws.
type ProviderList struct {
	st      *Styles
	keys    *KeyMap
	items   []ProviderItem
	cursor  int
	active  int // the provider in use; -1 for none
	offset  int // the first row drawn
	focused bool
	w, h    int
}

// NewProviderList builds an empty list, nothing in use.
func NewProviderList(st *Styles, keys *KeyMap) ProviderList {
	return ProviderList{st: st, keys: keys, active: -1, w: 16, h: 6}
}

// SetStyles applies light or dark styles.
func (l *ProviderList) SetStyles(st *Styles) { l.st = st }

// SetItems replaces the rows, keeping the cursor on the list.
func (l *ProviderList) SetItems(items []ProviderItem) {
	l.items = items
	l.cursor = max(0, min(l.cursor, len(items)-1))
	l.scroll()
}

// Cursor is the row under the cursor.
func (l *ProviderList) Cursor() int { return l.cursor }

// SetCursor puts the cursor on row i.
func (l *ProviderList) SetCursor(i int) {
	l.cursor = max(0, min(i, len(l.items)-1))
	l.scroll()
}

// Active is the provider in use, or -1.
func (l *ProviderList) Active() int { return l.active }

// SetActive marks provider i as the one in use (-1 for none).
func (l *ProviderList) SetActive(i int) { l.active = i }

// SetFocused draws the cursor's row highlighted.
func (l *ProviderList) SetFocused(f bool) { l.focused = f }

// Offset is the first row drawn.
func (l *ProviderList) Offset() int { return l.offset }

// More reports whether providers lie above and below the rows drawn.
func (l *ProviderList) More() (above, below bool) {
	return l.offset > 0, l.offset+l.h < len(l.items)
}

// Click puts the cursor on the row drawn at line y of the list, if there
// is one there.
func (l *ProviderList) Click(y int) {
	if row := y + l.offset; y >= 0 && y < l.h && row < len(l.items) {
		l.cursor = row
	}
}

// SetSize implements Component.
func (l *ProviderList) SetSize(w, h int) {
	l.w, l.h = w, max(1, h)
	l.scroll()
}

// ShortHelp implements help.KeyMap.
func (l *ProviderList) ShortHelp() []key.Binding {
	return []key.Binding{l.keys.Up, l.keys.Down}
}

// FullHelp implements help.KeyMap.
func (l *ProviderList) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// Update implements Component: the arrows and the wheel move the cursor.
func (l *ProviderList) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, l.keys.Up):
			l.SetCursor(l.cursor - 1)
		case key.Matches(msg, l.keys.Down):
			l.SetCursor(l.cursor + 1)
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.SetCursor(l.cursor - 1)
		case tea.MouseWheelDown:
			l.SetCursor(l.cursor + 1)
		}
	}
	return nil
}

// scroll keeps the cursor's row on screen.
func (l *ProviderList) scroll() {
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.h {
		l.offset = l.cursor - l.h + 1
	}
	l.offset = max(0, min(l.offset, len(l.items)-l.h))
}

// View implements Component.
func (l *ProviderList) View() string {
	st, w := l.st, l.w
	if len(l.items) == 0 {
		return st.Muted.Render("no providers")
	}
	var rows []string
	for i := l.offset; i < len(l.items) && i < l.offset+l.h; i++ {
		it := l.items[i]
		mark := "  "
		if i == l.cursor {
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
		case i == l.cursor && l.focused:
			mark, name = st.Selected.Render(mark), st.Selected.Render(name)
		case i == l.active:
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
