package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TextPopup shows a titled text that scrolls: the help, decoded claims,
// an introspection answer, the doctor's why. It keeps the keyboard while
// open; its close keys (esc, and ? for the help) take it away.
type TextPopup struct {
	title string
	// content makes the text for a width; the help flows into columns.
	content func(w int) string
	lines   []string
	offset  int
	w, h    int
	keys    *KeyMap
	close   []key.Binding
	// acts are keys that close the popup with Done: what they do is the
	// root's (X and R on the list of viewers); acted is the one pressed.
	acts   []key.Binding
	acted  int
	result Result
}

// NewTextPopup shows body, its long lines folded to the popup's width;
// esc closes it.
func NewTextPopup(keys *KeyMap, title, body string) *TextPopup {
	return newTextPopup(keys, title, func(w int) string { return fold(body, w) }, keys.Close)
}

// fold wraps each line of text longer than w at its spaces (a word longer
// than w is cut where it must be), each following part under the line's
// own indent and two more: a doctor's fix or a long claim is read whole
// instead of cut off with a "…".
func fold(text string, w int) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if ansi.StringWidth(line) <= w {
			out = append(out, line)
			continue
		}
		rest := strings.TrimLeft(line, " ")
		indent := line[:len(line)-len(rest)]
		if len(indent)+2 >= w {
			indent = ""
		}
		for i, part := range strings.Split(ansi.Wrap(rest, w-len(indent)-2, ""), "\n") {
			if i == 0 {
				out = append(out, indent+part)
			} else {
				out = append(out, indent+"  "+part)
			}
		}
	}
	return strings.Join(out, "\n")
}

// NewHelpPopup shows the full help generated from the key map; esc and ?
// close it.
func NewHelpPopup(st *Styles, keys *KeyMap) *TextPopup {
	h := NewHelp(*st)
	help := func(w int) string { return h.Full(*st, *keys, w) }
	// Over the help, ? closes it: the footer says so, not "? help".
	again := key.NewBinding(key.WithKeys(keys.Help.Keys()...), key.WithHelp(keys.Help.Help().Key, "close"))
	return newTextPopup(keys, "Help", help, keys.Close, again)
}

// NewActionTextPopup shows body as NewTextPopup does; each of acts closes
// it with Done, for the root to act on (Acted says which), and is listed
// in its help.
func NewActionTextPopup(keys *KeyMap, title, body string, acts ...key.Binding) *TextPopup {
	p := NewTextPopup(keys, title, body)
	p.acts = acts
	return p
}

// Acted is the index in acts of the key that closed the popup with Done.
func (p *TextPopup) Acted() int { return p.acted }

// NewViewerHelpPopup shows a viewer's help; esc and ? close it.
func NewViewerHelpPopup(st *Styles, vk ViewerKeyMap) *TextPopup {
	h := NewHelp(*st)
	keys := vk.Scroll()
	help := func(w int) string {
		return h.Groups(*st, vk.HelpGroups(), "You are watching someone else's keyhole: no key or click here changes their session. A key, a click or the wheel makes the view your own; F follows again.", w)
	}
	return newTextPopup(&keys, "Help", help, keys.Close, keys.Help)
}

func newTextPopup(keys *KeyMap, title string, content func(int) string, close ...key.Binding) *TextPopup {
	p := &TextPopup{title: title, content: content, keys: keys, close: close}
	p.SetSize(defaultPopupW, defaultPopupH)
	return p
}

// The size a popup lays out for until the root gives it one.
const defaultPopupW, defaultPopupH = 78, 14

// Title implements Popup: a text longer than the popup says it scrolls;
// one closed by esc alone says so (the help lists its own keys).
func (p *TextPopup) Title() string {
	t := p.title
	if len(p.lines) > p.h {
		t += " · ↑/↓ scroll"
	}
	if len(p.close) == 1 {
		t += " · esc closes"
	}
	return t
}

// Typing implements Popup: a text takes no typing.
func (p *TextPopup) Typing() bool { return false }

// Result implements Popup.
func (p *TextPopup) Result() Result { return p.result }

// SetSize implements Component.
func (p *TextPopup) SetSize(w, h int) {
	p.w, p.h = max(1, w), max(1, h)
	p.lines = strings.Split(p.content(p.w), "\n")
	p.scrollBy(0)
}

// ShortHelp implements help.KeyMap.
func (p *TextPopup) ShortHelp() []key.Binding {
	out := append([]key.Binding{p.keys.Up, p.keys.Down}, p.acts...)
	return append(out, p.close...)
}

// FullHelp implements help.KeyMap.
func (p *TextPopup) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.ShortHelp(), {p.keys.PageUp, p.keys.PageDown, p.keys.Top, p.keys.Bottom}}
}

// Update implements Component.
func (p *TextPopup) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		k := p.keys
		for i, act := range p.acts {
			if key.Matches(msg, act) {
				p.result, p.acted = Done, i
				return nil
			}
		}
		switch {
		case key.Matches(msg, p.close...):
			p.result = Dismissed
		case key.Matches(msg, k.Up):
			p.scrollBy(-1)
		case key.Matches(msg, k.Down):
			p.scrollBy(1)
		case key.Matches(msg, k.PageUp):
			p.scrollBy(-max(1, p.h-1))
		case key.Matches(msg, k.PageDown):
			p.scrollBy(max(1, p.h-1))
		case key.Matches(msg, k.Top):
			p.offset = 0
		case key.Matches(msg, k.Bottom):
			p.scrollBy(len(p.lines))
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.scrollBy(-3)
		case tea.MouseWheelDown:
			p.scrollBy(3)
		}
	}
	return nil
}

// SetBody puts another body in place of the one shown — the same text
// masked or not — keeping the place scrolled to.
func (p *TextPopup) SetBody(body string) {
	p.content = func(w int) string { return fold(body, w) }
	p.lines = strings.Split(p.content(p.w), "\n")
	p.scrollBy(0)
}

func (p *TextPopup) scrollBy(n int) {
	p.offset = max(0, min(p.offset+n, len(p.lines)-p.h))
}

// View implements Component.
func (p *TextPopup) View() string {
	end := min(len(p.lines), p.offset+p.h)
	return strings.Join(p.lines[p.offset:end], "\n")
}

// Prompt is a one-line input the response pane opens (search, path
// filter, save to): enter keeps what is typed, esc drops it. The root
// reads Value after every key, to search or filter as the text changes.
type Prompt struct {
	st     *Styles
	keys   *KeyMap
	label  string
	input  textinput.Model
	note   string
	w      int
	result Result
	// suggested: the value is keyhole's suggestion (a file name, a
	// variable's name), drawn selected: the first character typed
	// replaces it, as in a save dialog; a key that edits keeps it.
	suggested bool
	plain     textinput.Styles
}

// NewPrompt opens a prompt holding value, and the command that starts its
// cursor.
func NewPrompt(st *Styles, keys *KeyMap, label, placeholder, value string) (*Prompt, tea.Cmd) {
	in := newInput(st, "", placeholder)
	in.SetValue(value)
	in.CursorEnd()
	p := &Prompt{st: st, keys: keys, label: label, input: in}
	p.SetSize(defaultPopupW, 1)
	return p, p.input.Focus()
}

// Suggest marks the value as a suggestion: drawn selected, it goes as
// soon as a character is typed or pasted (typing after it made
// "response.jsonout.json"); an arrow, backspace or ctrl-key keeps it to
// edit, and enter takes it as it is.
func (p *Prompt) Suggest() {
	if p.input.Value() == "" {
		return
	}
	p.suggested, p.plain = true, p.input.Styles()
	s := p.plain
	s.Focused.Text = s.Focused.Text.Reverse(true)
	p.input.SetStyles(s)
}

// unsuggest ends the suggestion, replacing the value when the key types.
func (p *Prompt) unsuggest(msg tea.Msg) {
	if !p.suggested {
		return
	}
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(m, p.keys.Choose) || key.Matches(m, p.keys.Cancel) {
			return
		}
		if m.Text != "" {
			p.input.SetValue("")
		}
	case tea.PasteMsg:
		p.input.SetValue("")
	default:
		return
	}
	p.suggested = false
	p.input.SetStyles(p.plain)
}

// Title implements Popup.
func (p *Prompt) Title() string { return strings.TrimSpace(p.label) }

// Typing implements Popup: every printable key is text.
func (p *Prompt) Typing() bool { return true }

// Result implements Popup.
func (p *Prompt) Result() Result { return p.result }

// Value is the text typed.
func (p *Prompt) Value() string { return p.input.Value() }

// SetNote sets the few words drawn after the input ("3 hits").
func (p *Prompt) SetNote(note string) { p.note = note }

// noteRoom is what a prompt's line keeps free after the input for its
// note, the longest a search's count is ("  100000+ hits"): a shorter
// room cut the count of a big body's search.
const noteRoom = 14

// SetSize implements Component: a prompt is one line.
func (p *Prompt) SetSize(w, _ int) {
	p.w = w
	fitInput(&p.input, max(6, w-lipgloss.Width(p.label)-noteRoom))
}

// ShortHelp implements help.KeyMap: while typing, only ctrl-keys and esc
// act (enter keeps the text).
func (p *Prompt) ShortHelp() []key.Binding {
	return p.keys.TypingHelp()
}

// FullHelp implements help.KeyMap.
func (p *Prompt) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// Update implements Component.
func (p *Prompt) Update(msg tea.Msg) tea.Cmd {
	p.unsuggest(msg)
	var cmd tea.Cmd
	p.result, cmd = editLine(&p.input, msg, p.keys.Choose, p.keys.Cancel)
	return cmd
}

// View implements Component.
func (p *Prompt) View() string {
	line := p.st.Key.Render(p.label) + p.input.View()
	if p.note != "" {
		line += p.st.Muted.Render("  " + p.note)
	}
	return line
}
