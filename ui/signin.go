package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// SignIn is what the person must do for an interactive grant: the address
// to open (or the device code), drawn where the request and response
// stand, and, for the authorization code, a box to paste the address the
// browser ended on. The root gives it its text, already masked and made
// safe to draw, and reads TakePaste and TakeOpen after each key.
type SignIn struct {
	st   *Styles
	keys *KeyMap
	opts SignInOptions
	// body is drawn above the paste box, foot under it.
	body, foot []string
	paste      textinput.Model
	pasting    bool
	pasted     *string // the text enter sent, until TakePaste reads it
	open       bool    // b was pressed, until TakeOpen reads it
	note       string
	w, h       int
	result     Result
}

// SignInOptions say what a sign-in offers.
type SignInOptions struct {
	Title string
	// Address is what b opens, and what c copies — unless Code is set (a
	// device grant whose address does not carry its code): then c copies
	// the code, which the person types on the page.
	Address, Code string
	// CanPaste says whether the grant takes a pasted address, CanOpen
	// whether there is a browser here to open the address in.
	CanPaste, CanOpen bool
}

// NewSignIn builds the sign-in popup.
func NewSignIn(st *Styles, keys *KeyMap, opts SignInOptions) *SignIn {
	ti := newInput(st, "> ", "paste the address the browser ended on")
	s := &SignIn{st: st, keys: keys, opts: opts, paste: ti}
	s.SetSize(defaultPopupW, defaultPopupH)
	return s
}

// SetContent sets the lines drawn above and under the paste box.
func (s *SignIn) SetContent(body, foot []string) { s.body, s.foot = body, foot }

// TakePaste returns the address the person sent with enter, once.
func (s *SignIn) TakePaste() (string, bool) {
	if s.pasted == nil {
		return "", false
	}
	text := *s.pasted
	s.pasted = nil
	return text, true
}

// TakeOpen reports, once, that the person asked to open the address in
// the browser (b): the root opens it, off the UI loop.
func (s *SignIn) TakeOpen() (string, bool) {
	open := s.open
	s.open = false
	return s.opts.Address, open
}

// Title implements Popup.
func (s *SignIn) Title() string { return s.opts.Title }

// Typing implements Popup: while the paste box has the keyboard.
func (s *SignIn) Typing() bool { return s.pasting }

// Result implements Popup: esc, outside the paste box, dismisses the
// sign-in, and the root cancels the grant.
func (s *SignIn) Result() Result { return s.result }

// SetSize implements Component.
func (s *SignIn) SetSize(w, h int) {
	s.w, s.h = w, h
	fitInput(&s.paste, max(10, w-1))
}

// ShortHelp implements help.KeyMap.
func (s *SignIn) ShortHelp() []key.Binding {
	if s.pasting {
		// In the box enter sends the address and esc leaves the box,
		// the sign-in still waiting: not "choose" and "close".
		send := key.NewBinding(key.WithKeys(s.keys.Choose.Keys()...), key.WithHelp(s.keys.Choose.Help().Key, "send the address"))
		leave := key.NewBinding(key.WithKeys(s.keys.Close.Keys()...), key.WithHelp(s.keys.Close.Help().Key, "leave the box"))
		return []key.Binding{send, leave, s.keys.Quit}
	}
	var out []key.Binding
	if s.opts.CanPaste {
		out = append(out, s.keys.PasteURL)
	}
	out = append(out, s.copyKey())
	if s.opts.CanOpen {
		out = append(out, s.keys.BrowseURL)
	}
	return append(out, s.keys.StopSignIn, s.keys.Help, s.keys.QuitKey)
}

// copyKey is c, as the help names what it copies.
func (s *SignIn) copyKey() key.Binding {
	if s.opts.Code != "" {
		return s.keys.CopyCode
	}
	return s.keys.CopyURL
}

// FullHelp implements help.KeyMap.
func (s *SignIn) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// Update implements Component.
func (s *SignIn) Update(msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.pasting {
		r, cmd := editLine(&s.paste, msg, s.keys.Choose, s.keys.Close)
		if r == Done && strings.TrimSpace(s.paste.Value()) == "" {
			// enter on an empty box leaves it: sent, the nothing ended
			// the sign-in with an error, to be started over.
			r = Dismissed
		}
		if r == Done {
			text := s.paste.Value()
			s.pasted = &text
		}
		s.pasting = r == Open
		return cmd
	}
	if p, ok := msg.(tea.PasteMsg); ok && s.opts.CanPaste {
		// An address pasted straight away goes in the box.
		s.pasting = true
		s.paste.SetValue(p.Content)
		return s.paste.Focus()
	}
	if !isKey {
		return nil
	}
	s.note = ""
	switch {
	case key.Matches(k, s.keys.PasteURL) && s.opts.CanPaste:
		s.pasting = true
		return s.paste.Focus()
	case key.Matches(k, s.copyKey()) && s.opts.Code != "":
		s.note = "code copied to the clipboard"
		return tea.SetClipboard(s.opts.Code)
	case key.Matches(k, s.copyKey()):
		s.note = "address copied to the clipboard"
		return tea.SetClipboard(s.opts.Address)
	case key.Matches(k, s.keys.BrowseURL) && s.opts.CanOpen:
		s.open = true
	case key.Matches(k, s.keys.StopSignIn):
		s.result = Dismissed
	}
	return nil
}

// View implements Component.
func (s *SignIn) View() string {
	lines := append([]string(nil), s.body...)
	if s.opts.CanPaste {
		lines = append(lines, s.paste.View())
	}
	lines = append(lines, s.foot...)
	if s.note != "" {
		lines = append(lines, s.st.Good.Render(s.note))
	}
	return strings.Join(lines, "\n")
}
