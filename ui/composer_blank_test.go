package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestKeptBlanksDrawAsTheTextAreas: the composer's kept drawings of its
// empty text areas are what the text areas draw, through every change
// that touches them — a size, the theme, typing in a field and leaving
// it, a request filled and emptied. Each step is checked against a copy
// that keeps nothing, so draws every area anew.
func TestKeptBlanksDrawAsTheTextAreas(t *testing.T) {
	dark, light := NewStyles(true), NewStyles(false)
	km := DefaultKeyMap()
	c := NewComposer(&dark, &km)
	kept := 0
	check := func(step string) {
		t.Helper()
		fresh := c
		fresh.blanks = [3]blankView{}
		if got, want := c.View(), fresh.View(); got != want {
			t.Fatalf("%s: the kept drawing differs from the text areas':\n%q\nwant\n%q", step, got, want)
		}
		for _, b := range c.blanks {
			if b.text != "" {
				kept++
			}
		}
	}
	c.SetSize(60, 24)
	check("sized")
	c.SetSize(44, 30)
	check("resized")
	c.SetStyles(&light)
	check("light")
	c.Field = FieldBody
	c.StartTyping()
	c.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	check("typing in the body")
	c.StopTyping()
	check("stopped typing")
	c.SetRequest("POST", "/items?a=1", "Accept: */*", `{"a": 1}`)
	check("filled")
	c.SetRequest("GET", "/items", "", "")
	check("emptied")
	c.SetStyles(&dark)
	check("dark again")
	if kept == 0 {
		t.Fatal("no empty text area was ever kept: the test checks nothing")
	}
}
