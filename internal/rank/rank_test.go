package rank

import (
	"slices"
	"strings"
	"testing"
)

// demoSet is the demo's operations, and a saved request whose letters
// hold "get item" scattered.
func demoSet() (*Set, []string) {
	rows := []struct {
		method, path, name, summary, tags string
	}{
		{"GET", "/api/items?page=1", "List items", "", ""}, // a saved request
		{"GET", "/api/me", "getMe", "Who the token belongs to", "account"},
		{"GET", "/api/items", "listItems", "List items, 10 a page", "items"},
		{"POST", "/api/items", "createItem", "Create an item", "items"},
		{"GET", "/api/items/{id}", "getItem", "Get an item", "items"},
		{"DELETE", "/api/items/{id}", "deleteItem", "Delete an item", "items"},
		{"GET", "/api/status/{code}", "getStatus", "Any status you ask for", "diagnostics"},
	}
	s := &Set{}
	var names []string
	for _, r := range rows {
		s.Add(len(r.path), Field{r.method, Method}, Field{r.path, Text}, Field{r.name, Name}, Field{r.summary, Text}, Field{r.tags, Text})
		names = append(names, r.name)
	}
	return s, names
}

func TestRank(t *testing.T) {
	s, names := demoSet()
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"get item", []string{"getItem", "listItems", "List items"}},
		{"getitem", []string{"getItem"}},
		{"GetItem", []string{"getItem"}},
		{"delete", []string{"deleteItem"}},
		{"items", []string{"listItems", "createItem", "getItem", "deleteItem", "List items"}},
		{"me", []string{"getMe"}},
		{"gtitm", []string{"getItem"}},
		{"account", []string{"getMe"}},
		{"post item", []string{"createItem"}},
		{"zebra", nil},
		{"get zebra", nil},
		{"   ", nil},
	} {
		var got []string
		for _, h := range s.Rank(tc.query) {
			got = append(got, names[h.Index])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestRankMarks: the offsets point at what matched in the joined text.
func TestRankMarks(t *testing.T) {
	s, _ := demoSet()
	for _, q := range []string{"get item", "gtitm", "tem acc", "ém"} {
		for _, h := range s.Rank(q) {
			text := s.Text(h.Index)
			var b strings.Builder
			for _, i := range h.Matched {
				if i >= len(text) {
					t.Fatalf("%q: offset %d past %q", q, i, text)
				}
				b.WriteByte(text[i])
			}
			if q == "get item" && h.Index == 4 && strings.ToLower(b.String()) != "getitem" {
				t.Errorf("get item marks %q in %q", b.String(), text)
			}
		}
	}
}

// TestRankTies: scored alike, the lower tie first, then the order added.
func TestRankTies(t *testing.T) {
	s := &Set{}
	s.Add(9, Field{"GET", Method}, Field{"/abcdefghi", Text})
	s.Add(3, Field{"GET", Method}, Field{"/ab", Text})
	s.Add(3, Field{"GET", Method}, Field{"/cd", Text})
	var got []int
	for _, h := range s.Rank("get") {
		got = append(got, h.Index)
	}
	if !slices.Equal(got, []int{1, 2, 0}) {
		t.Errorf("ties: %v", got)
	}
}

// FuzzRank: any query over any text ranks without a panic, and every
// offset is inside its candidate's text.
func FuzzRank(f *testing.F) {
	f.Add("get item", "GET", "/api/items/{id}", "getItem")
	f.Add("ém x", "DÉLÉTE", "/é/{x}", "éÉ")
	f.Fuzz(func(t *testing.T, q, method, path, name string) {
		s := &Set{}
		s.Add(0, Field{method, Method}, Field{path, Text}, Field{name, Name})
		for _, h := range s.Rank(q) {
			for _, i := range h.Matched {
				if i < 0 || i >= len(s.Text(h.Index)) {
					t.Fatalf("offset %d past %q", i, s.Text(h.Index))
				}
			}
		}
	})
}
