package model

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// collectionScreen is the demo at w×h with the requests picker open on a
// working folder of .http files written for another tool (jetBrainsFile,
// and a VS Code one), after keys.
func collectionScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "items.http", jetBrainsFile)
	writeFile(t, dir, "auth.rest", "# @name login\nPOST https://login.example.test/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=password&username=ann\n\n###\n\nGET https://api.example.test/me\nAuthorization: Bearer {{login.response.body.$.access_token}}\n")
	now := fixedNow
	b, _ := demoBackend(t, demo.Options{}, func() time.Time { return now })
	m := New(Options{Label: "testdata/config.toml", Backend: b, Redact: true, Now: func() time.Time { return now }, Location: time.UTC,
		Collection: CollectionOptions{WorkDir: dir}})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = run(t, m, press("enter"))
	m = run(t, m, press("o"))
	for _, k := range keys {
		m = run(t, m, press(k))
	}
	return plain(m)
}

// TestGoldenCollection: the requests picker with a collection, wide and
// narrow, and filtered down to it. Regenerate with
// go test ./model -run GoldenCollection -update.
func TestGoldenCollection(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"PickerWide", 120, 40, nil},
		{"PickerNarrow", 80, 24, []string{"pgdown", "pgdown"}},
		{"PickerFilteredNarrow", 80, 24, []string{"h", "o", "s", "t"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.RequireEqual(t, collectionScreen(t, tc.w, tc.h, tc.keys...))
		})
	}
}
