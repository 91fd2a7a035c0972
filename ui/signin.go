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
	st    *Styles
	keys  *KeyMap
	title string
	// body is drawn above the paste box, foot under it.
	body, foot []string
	canPaste   bool
	canOpen    bool   // there is a browser to open the address in
	address    string // what c copies and b opens
	paste      textinput.Model
	pasting    bool
	pasted     *string // the text enter sent, until TakePaste reads it
	open       bool    // b was pressed, until TakeOpen reads it
	note       string
	w, h       int
	result     Result
}

// NewSignIn builds the sign-in popup; canPaste says whether the grant
// takes a pasted address, canOpen whether there is a browser to open it
// in here, address is what c copies and b opens.
func NewSignIn(st *Styles, keys *KeyMap, title, address string, canPaste, canOpen bool) *SignIn {
	ti := newInput(st, "> ", "paste the address the browser ended on")
	s := &SignIn{st: st, keys: keys, title: title, address: address, canPaste: canPaste, canOpen: canOpen, paste: ti}
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
	return s.address, open
}

// Title implements Popup.
func (s *SignIn) Title() string { return s.title }

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
		return []key.Binding{s.keys.Choose, s.keys.Close, s.keys.Quit}
	}
	var out []key.Binding
	if s.canPaste {
		out = append(out, s.keys.PasteURL)
	}
	out = append(out, s.keys.CopyURL)
	if s.canOpen {
		out = append(out, s.keys.BrowseURL)
	}
	return append(out, s.keys.StopSignIn, s.keys.Help, s.keys.QuitKey)
}

// FullHelp implements help.KeyMap.
func (s *SignIn) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// Update implements Component.
func (s *SignIn) Update(msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.pasting {
		r, cmd := editLine(&s.paste, msg, s.keys.Choose, s.keys.Close)
		if r == Done {
			text := s.paste.Value()
			s.pasted = &text
		}
		s.pasting = r == Open
		return cmd
	}
	if p, ok := msg.(tea.PasteMsg); ok && s.canPaste {
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
	case key.Matches(k, s.keys.PasteURL) && s.canPaste:
		s.pasting = true
		return s.paste.Focus()
	case key.Matches(k, s.keys.CopyURL):
		s.note = "address copied to the clipboard"
		return tea.SetClipboard(s.address)
	case key.Matches(k, s.keys.BrowseURL) && s.canOpen:
		s.open = true
	case key.Matches(k, s.keys.StopSignIn):
		s.result = Dismissed
	}
	return nil
}

// View implements Component.
func (s *SignIn) View() string {
	lines := append([]string(nil), s.body...)
	if s.canPaste {
		lines = append(lines, s.paste.View())
	}
	lines = append(lines, s.foot...)
	if s.note != "" {
		lines = append(lines, s.st.Good.Render(s.note))
	}
	return strings.Join(lines, "\n")
}
