package bodyview

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is the keys the viewer answers to: scrolling, sideways when not
// wrapping, and the next and previous search hit. ui's key map hands them
// over (ui.KeyMap.BodyKeys), so what the help shows is what Update matches.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Left, Right                             key.Binding
	NextHit, PrevHit                        key.Binding
}

// sideways is how many columns ← and → move when not wrapping.
const sideways = 8

// wheelRows is how many rows a turn of the mouse wheel scrolls.
const wheelRows = 3

// Update implements ui.Component: the viewer's keys and the mouse wheel.
// It never blocks: each key costs about the visible window.
func (v *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		k := &v.keys
		switch {
		case key.Matches(msg, k.Up):
			v.ScrollBy(-1)
		case key.Matches(msg, k.Down):
			v.ScrollBy(1)
		case key.Matches(msg, k.PageUp):
			v.PageBy(-1)
		case key.Matches(msg, k.PageDown):
			v.PageBy(1)
		case key.Matches(msg, k.Top):
			v.Top()
		case key.Matches(msg, k.Bottom):
			v.Bottom()
		case key.Matches(msg, k.Left):
			v.ScrollX(-sideways)
		case key.Matches(msg, k.Right):
			v.ScrollX(sideways)
		case key.Matches(msg, k.NextHit):
			v.GotoHit(v.NextHit(1))
		case key.Matches(msg, k.PrevHit):
			v.GotoHit(v.NextHit(-1))
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			v.ScrollBy(-wheelRows)
		case tea.MouseWheelDown:
			v.ScrollBy(wheelRows)
		}
	}
	return nil
}

// ShortHelp implements help.KeyMap.
func (v *Model) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Up, v.keys.Down, v.keys.NextHit, v.keys.PrevHit}
}

// FullHelp implements help.KeyMap: every key Update matches.
func (v *Model) FullHelp() [][]key.Binding {
	k := v.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right},
		{k.NextHit, k.PrevHit},
	}
}
