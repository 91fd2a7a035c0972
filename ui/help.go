package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// Help renders the footer and the full help from the key map.
type Help struct {
	m help.Model
}

// NewHelp builds the help renderer for the given styles.
func NewHelp(st Styles) Help {
	h := Help{m: help.New()}
	h.SetStyles(st)
	return h
}

// SetStyles applies light or dark help styles.
func (h *Help) SetStyles(st Styles) { h.m.Styles = help.DefaultStyles(st.IsDark) }

// Short draws one line of bindings in w columns.
func (h *Help) Short(bindings []key.Binding, w int) string {
	h.m.SetWidth(w)
	return h.m.ShortHelpView(bindings)
}

// Full draws every binding, grouped, with a note on the two modes.
func (h *Help) Full(st Styles, km KeyMap, w int) string {
	h.m.SetWidth(w)
	intro := []string{
		st.Bold.Render("Keys"),
		"",
		st.Muted.Render("Browsing: single keys act. Typing (a field has the keyboard): every printable"),
		st.Muted.Render("key goes to the field; only ctrl-keys and esc act, and esc leaves the field."),
		"",
	}
	return strings.Join(intro, "\n") + h.m.FullHelpView(km.FullHelp()) + "\n\n" + st.Muted.Render("esc or ? closes this help")
}
