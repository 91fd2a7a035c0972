package model

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// TestBrowserGetItemRanksGetItemFirst: typing "get item" in the picker
// puts the operation getItem first, above the saved request "List items"
// (GET /api/items?page=1) that matches the same letters scattered; and
// the words typed together ("getitem") find it alone among the
// operations. Saved requests and operations are drawn in the same
// columns, method, path, name.
func TestBrowserGetItemRanksGetItemFirst(t *testing.T) {
	api := newBrowseAPI(t, func() string { return spectest.Items })
	saved := `
  [[providers.items.requests]]
  name = "List items"
  path = "/api/items?page=1"

  [[providers.items.requests]]
  name = "Who am I"
  path = "/api/me"
`
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", saved), size[0], size[1])
		m = run(t, m, press("o"))
		for _, want := range []string{"> [saved] GET /api/items?page=1 List items", "[saved] GET /api/me Who am I", "[spec] GET /api/items listItems List items, 10 a page · items"} {
			if !strings.Contains(columns(plain(m)), want) {
				t.Errorf("%dx%d: the picker lacks the row %q:\n%s", size[0], size[1], want, plain(m))
			}
		}
		for _, query := range []string{"get item", "getitem"} {
			for _, r := range query {
				m = run(t, m, press(string(r)))
			}
			if got := pickerCursorRow(plain(m)); !strings.HasPrefix(got, "> [spec] GET /api/items/{id} getItem") {
				t.Errorf("%dx%d: %q puts first %q, want getItem:\n%s", size[0], size[1], query, got, plain(m))
			}
			m = run(t, m, press("esc"))
		}
		// Chosen, it fills the composer.
		for _, r := range "get item" {
			m = run(t, m, press(string(r)))
		}
		m = run(t, m, press("enter"))
		if method, path, _, _ := m.composer.Request(); method != "GET" || path != "/api/items/{{id}}" {
			t.Errorf("%dx%d: get item, enter: %s %s", size[0], size[1], method, path)
		}
	}
}

// columns is screen with its runs of spaces made one.
func columns(screen string) string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(out, "\n")
}
