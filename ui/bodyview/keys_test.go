package bodyview

import (
	"fmt"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// TestUpdateMatchesItsHelp: the viewer answers to the bindings its help
// lists and to nothing else. Each is bound to a new key (F1…): the old
// keys then leave the view as it was, and each new key moves it.
func TestUpdateMatchesItsHelp(t *testing.T) {
	old := testKeys()
	fresh := testKeys()
	bindings := []*key.Binding{&fresh.Up, &fresh.Down, &fresh.PageUp, &fresh.PageDown, &fresh.Top, &fresh.Bottom, &fresh.Left, &fresh.Right, &fresh.NextHit, &fresh.PrevHit}
	for i, b := range bindings {
		*b = key.NewBinding(key.WithKeys(fmt.Sprintf("f%d", i+1)), key.WithHelp(fmt.Sprintf("f%d", i+1), b.Help().Desc))
	}
	// A place every key can act from: long lines, not wrapping, scrolled
	// down and sideways, with hits.
	lines := numbered(1000)
	start := func() *Model {
		v := New(&testSt, fresh)
		v.SetDocument(lines, "text")
		v.SetSize(20, 10)
		v.SetWrap(false)
		v.GotoLine(499) // "line 500", long
		v.ScrollX(8)
		v.SetHits([]Hit{{Line: 100, Len: 1}, {Line: 600, Len: 1}, {Line: 900, Len: 1}}, 1)
		return &v
	}
	frame := func(v *Model) string { return v.View() + "\n" + v.Status() }
	shown := 0
	for _, g := range start().FullHelp() {
		shown += len(g)
	}
	if shown != len(bindings) {
		t.Fatalf("the help lists %d keys, the test tries %d", shown, len(bindings))
	}
	oldKeys := []key.Binding{old.Up, old.Down, old.PageUp, old.PageDown, old.Top, old.Bottom, old.Left, old.Right, old.NextHit, old.PrevHit}
	for _, group := range start().FullHelp() {
		for _, b := range group {
			v := start()
			before := frame(v)
			v.Update(tea.KeyPressMsg{Code: tea.KeyF1 + rune(indexOf(t, b, bindings))})
			if frame(v) == before {
				t.Errorf("%s (%s), as the help shows it, does nothing", b.Help().Key, b.Help().Desc)
			}
		}
	}
	for _, b := range oldKeys {
		for _, k := range b.Keys() {
			v := start()
			before := frame(v)
			v.Update(pressOf(k))
			if frame(v) != before {
				t.Errorf("the old key %q still acts", k)
			}
		}
	}
}

func indexOf(t *testing.T, b key.Binding, in []*key.Binding) int {
	t.Helper()
	for i, c := range in {
		if c.Keys()[0] == b.Keys()[0] {
			return i
		}
	}
	t.Fatalf("%v is not one of the keys tried", b.Keys())
	return -1
}

// pressOf is the key press a key name stands for.
func pressOf(name string) tea.KeyPressMsg {
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "space": tea.KeySpace,
	}
	if c, ok := named[name]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if len(name) == 6 && name[:5] == "ctrl+" {
		return tea.KeyPressMsg{Code: rune(name[5]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: rune(name[0]), Text: name}
}
