package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTokenPaneKeepsItsKeys: warnings and details that do not fit give
// way to the keys, on the pane's last row (they pushed the keys out of a
// short pane).
func TestTokenPaneKeepsItsKeys(t *testing.T) {
	st := NewStyles(true)
	km := DefaultKeyMap()
	p := NewTokenPane(&st, &km)
	p.SetView(TokenView{
		Glyph: "●", State: "valid", Heading: "api · client_credentials · Bearer · fetched",
		Expiry:   "expiry unknown: the provider sent no expires_in",
		Warnings: []string{"the client secret goes in the request body", "the token is not bound to the DPoP key although dpop is set"},
		Details:  []string{"scope api:read", "token ••••"},
		Keys:     []string{"r new token", "x revoke", "c copy"},
	})
	for _, h := range []int{3, 4, 6} {
		p.SetSize(60, h)
		rows := strings.Split(ansi.Strip(p.View()), "\n")
		if len(rows) > h {
			t.Errorf("height %d: %d rows drawn", h, len(rows))
		}
		if last := rows[len(rows)-1]; !strings.Contains(last, "r new token") {
			t.Errorf("height %d: the last row is %q, not the keys:\n%s", h, last, strings.Join(rows, "\n"))
		}
	}
	p.SetSize(60, 20)
	if view := ansi.Strip(p.View()); !strings.Contains(view, "token ••••") || !strings.Contains(view, "DPoP key") {
		t.Errorf("with room for all, something is left out:\n%s", view)
	}
}
