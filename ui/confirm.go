package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Confirm asks a yes-or-no question whose safe answer is no: y says yes;
// n and enter say no; esc closes it with neither, and nothing is done.
type Confirm struct {
	st          *Styles
	title, body string
	yes, no     key.Binding
	back        key.Binding
	w, h        int
	result      Result
	said        bool
	// othersNo makes every key but y a no (OthersSayNo).
	othersNo bool
}

var _ Popup = (*Confirm)(nil)

// NewConfirm asks body's question; title names it.
func NewConfirm(st *Styles, keys *KeyMap, title, body string) *Confirm {
	return &Confirm{
		st: st, title: title, body: body,
		yes:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		no:   key.NewBinding(key.WithKeys("n", "N", "enter"), key.WithHelp("n/enter", "no")),
		back: keys.Close,
		w:    defaultPopupW, h: defaultPopupH,
	}
}

// OthersSayNo makes every key but y a no, esc included: for a question
// whose yes does something that cannot be taken back, a slip of the
// finger must not be a yes, nor leave the question waiting.
func (c *Confirm) OthersSayNo() { c.othersNo = true }

// Title implements Popup.
func (c *Confirm) Title() string { return c.title }

// Typing implements Popup: y and n are answers, not text.
func (c *Confirm) Typing() bool { return false }

// Result implements Popup: Done once answered, Dismissed by esc.
func (c *Confirm) Result() Result { return c.result }

// Yes reports whether the answer was yes.
func (c *Confirm) Yes() bool { return c.result == Done && c.said }

// SetSize implements Component.
func (c *Confirm) SetSize(w, h int) { c.w, c.h = max(10, w), max(1, h) }

// ShortHelp implements help.KeyMap.
func (c *Confirm) ShortHelp() []key.Binding {
	if c.othersNo {
		return []key.Binding{c.yes, key.NewBinding(key.WithKeys("n"), key.WithHelp("any other key", "no"))}
	}
	return []key.Binding{c.yes, c.no, c.back}
}

// FullHelp implements help.KeyMap.
func (c *Confirm) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

// Update implements Component.
func (c *Confirm) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, c.yes):
			c.result, c.said = Done, true
		case key.Matches(msg, c.no):
			c.result, c.said = Done, false
		case c.othersNo:
			c.result, c.said = Done, false
		case key.Matches(msg, c.back):
			c.result = Dismissed
		}
	}
	return nil
}

// View implements Component: the question, and the answers with no
// first, as the default.
func (c *Confirm) View() string {
	lines := strings.Split(c.body, "\n")
	answers := c.st.Key.Render("n") + "/" + c.st.Key.Render("enter") + " no (the default)  ·  " + c.st.Key.Render("y") + " yes  ·  " + c.st.Key.Render("esc") + " neither: nothing is done"
	if c.othersNo {
		answers = c.st.Key.Render("y") + " yes  ·  any other key: no, nothing is done"
	}
	lines = append(lines, "", answers)
	for i, l := range lines {
		lines[i] = Fit(l, c.w)
	}
	if len(lines) > c.h {
		lines = lines[:c.h]
	}
	return strings.Join(lines, "\n")
}
