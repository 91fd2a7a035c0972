package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestConfirmAnswers: the ordinary question takes enter and n as no, y as
// yes, esc as neither, and ignores keys it does not answer to; a question
// whose yes cannot be taken back (OthersSayNo) closes on any key, and only
// y is a yes.
func TestConfirmAnswers(t *testing.T) {
	st := NewStyles(true)
	keys := DefaultKeyMap()
	var (
		enter = tea.KeyPressMsg{Code: tea.KeyEnter}
		esc   = tea.KeyPressMsg{Code: tea.KeyEscape}
		y     = tea.KeyPressMsg{Code: 'y', Text: "y"}
		n     = tea.KeyPressMsg{Code: 'n', Text: "n"}
		x     = tea.KeyPressMsg{Code: 'x', Text: "x"}
	)
	for _, c := range []struct {
		othersSayNo bool
		key         tea.KeyPressMsg
		want        Result
		yes         bool
	}{
		{false, enter, Done, false},
		{false, n, Done, false},
		{false, y, Done, true},
		{false, esc, Dismissed, false},
		{false, x, Open, false},

		{true, y, Done, true},
		{true, n, Done, false},
		{true, x, Done, false},
		{true, esc, Done, false},
		{true, enter, Done, false},
	} {
		cf := NewConfirm(&st, &keys, "Send?", "Send the token there?")
		if c.othersSayNo {
			cf.OthersSayNo()
		}
		cf.Update(c.key)
		if cf.Result() != c.want || cf.Yes() != c.yes {
			t.Errorf("others say no %v, %s: result %v yes %v, want %v %v", c.othersSayNo, c.key, cf.Result(), cf.Yes(), c.want, c.yes)
		}
	}
}
