package model

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// goldenScreen drives the demo to a token and a response and returns the
// whole screen at w×h, without colours. Regenerate with
// go test ./model -run Golden -update.
func goldenScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	wo.m.composer.SetRequest("GET", "/api/items?page=1", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	for _, k := range keys {
		wo.m = update(t, wo.m, press(k))
	}
	return plain(wo.m)
}

func TestGoldenWide(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 120, 40))
}

func TestGoldenNarrowResponse(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 80, 24))
}

func TestGoldenNarrowRequest(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 80, 24, "tab", "tab"))
}

func TestGoldenHelp(t *testing.T) {
	golden.RequireEqual(t, goldenScreen(t, 120, 40, "?"))
}
