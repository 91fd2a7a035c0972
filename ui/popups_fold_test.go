package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTextPopupFoldsLongLines: a doctor's fix longer than the popup is
// shown whole, folded under its own indent, not cut off with a "…"; a
// masked body set later is folded the same way.
func TestTextPopupFoldsLongLines(t *testing.T) {
	keys := DefaultKeyMap()
	fix := "   fix: `scopes = [\"api:read\", \"api:write\"]` in [providers.demo-cc], then press r (or run `keyhole token demo-cc --force`) for a token that carries it"
	body := "1. the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write; the token has api:read\n" + fix + "\n" + strings.Repeat("x", 90)
	p := NewTextPopup(&keys, "Why 403?", body)
	p.SetSize(40, 30)
	check := func(view string) {
		t.Helper()
		for _, line := range strings.Split(view, "\n") {
			if w := ansi.StringWidth(line); w > 40 {
				t.Errorf("a line %d wide in a popup 40 wide: %q", w, line)
			}
		}
		if strings.Contains(view, "…") {
			t.Errorf("cut with an ellipsis:\n%s", view)
		}
		// Folded at spaces (and after a hyphen, as typesetting does):
		// with the white space taken out, every letter is there in order.
		joined := strings.Join(strings.Fields(view), "")
		for _, want := range []string{strings.Join(strings.Fields(fix), ""), "needsscopeapi:write;thetokenhasapi:read"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%q is not shown whole:\n%s", want, view)
			}
		}
		if n := strings.Count(strings.ReplaceAll(view, "\n", ""), "x"); n < 90 {
			t.Errorf("a 90-letter word shows %d letters:\n%s", n, view)
		}
		for _, line := range strings.Split(view, "\n") {
			if strings.Contains(line, "--force") && !strings.HasPrefix(line, "     ") {
				t.Errorf("the fix's continuation is not under its indent: %q", line)
			}
		}
	}
	check(p.View())
	p.SetBody(body)
	check(p.View())
}
