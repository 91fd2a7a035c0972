package ui

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// TestHelpColumnsAreBalanced: the groups, kept whole and in order, stand
// in columns no taller than they must be. Filling each column to the
// average height let one binding more tip three groups into the last
// column (in the TUI's help, 31 rows where 22 would do).
func TestHelpColumnsAreBalanced(t *testing.T) {
	st := NewStyles(true)
	var h Help
	group := func(title string, n int) HelpGroup {
		g := HelpGroup{Title: title}
		for i := range n {
			g.Bindings = append(g.Bindings, key.NewBinding(key.WithKeys(fmt.Sprint(i)), key.WithHelp(fmt.Sprint(i), "does a thing")))
		}
		return g
	}
	// Three columns fit in 60: A B C | D E | F G, a blank line between
	// groups, is 22 rows (filling to the average made A B C | D | E F G,
	// 28).
	groups := []HelpGroup{group("A", 9), group("B", 4), group("C", 3), group("D", 6), group("E", 13), group("F", 3), group("G", 7)}
	out := h.Groups(st, groups, "intro", 60)
	// The intro and a blank above, a blank and the closing line under.
	if rows := strings.Count(out, "\n") + 1 - 4; rows != 22 {
		t.Errorf("the columns are %d rows tall, want 22:\n%s", rows, out)
	}
}
