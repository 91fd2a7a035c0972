package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// The one-line inputs of the popups (the picker's filter, a prompt, the
// sign-in's paste box) are built, sized and ended here, once.

// newInput builds a one-line input in the styles' light or dark look.
func newInput(st *Styles, prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.SetStyles(textinput.DefaultStyles(st.IsDark))
	return in
}

// fitInput sizes in so that all it draws — its prompt, the text and the
// cell the cursor takes after it — fits in w cells. textinput's width is
// the text's alone: sized to the whole line, the line came out wider than
// its frame, which cut it with a stray "…" and hid the cursor.
func fitInput(in *textinput.Model, w int) {
	in.SetWidth(max(1, w-lipgloss.Width(in.Prompt)-1))
}

// editLine gives msg to in: enter (done) or esc (drop) ends the editing,
// and the input stops taking keys; anything else is the input's. The
// Result says which: Done, Dismissed, or Open while editing goes on.
func editLine(in *textinput.Model, msg tea.Msg, done, drop key.Binding) (Result, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, done):
			in.Blur()
			return Done, nil
		case key.Matches(k, drop):
			in.Blur()
			return Dismissed, nil
		}
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return Open, cmd
}
