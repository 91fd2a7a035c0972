package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestConfirmOthersSayNo: a question whose yes cannot be taken back
// closes on any key, and only y is a yes; the ordinary question ignores
// keys it does not answer to.
func TestConfirmOthersSayNo(t *testing.T) {
	st := NewStyles(true)
	keys := DefaultKeyMap()
	for _, c := range []struct {
		key  tea.KeyPressMsg
		want Result
		yes  bool
	}{
		{tea.KeyPressMsg{Code: 'y', Text: "y"}, Done, true},
		{tea.KeyPressMsg{Code: 'n', Text: "n"}, Done, false},
		{tea.KeyPressMsg{Code: 'x', Text: "x"}, Done, false},
		{tea.KeyPressMsg{Code: tea.KeyEscape}, Done, false},
		{tea.KeyPressMsg{Code: tea.KeyEnter}, Done, false},
	} {
		cf := NewConfirm(&st, &keys, "t", "b")
		cf.OthersSayNo()
		cf.Update(c.key)
		if cf.Result() != c.want || cf.Yes() != c.yes {
			t.Errorf("%s: result %v yes %v, want %v %v", c.key, cf.Result(), cf.Yes(), c.want, c.yes)
		}
	}
	cf := NewConfirm(&st, &keys, "t", "b")
	cf.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if cf.Result() != Open {
		t.Errorf("an ordinary question closed on x: %v", cf.Result())
	}
}
