package cli

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// TestOpsRanksWordByWord: keyhole ops ranks word by word — every word
// must match; a word found whole, or at the start of a word, far above
// scattered letters; a method word to the method; the words together to
// the operationId — best first, ties to the shorter path, then the
// spec's order.
func TestOpsRanksWordByWord(t *testing.T) {
	h := newHarness(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(spectest.Items))
	}))
	t.Cleanup(api.Close)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	for _, tc := range []struct {
		words []string
		want  []string // the operationIds listed, in order
		first bool     // only the first of want is checked
	}{
		{words: []string{"get", "item"}, want: []string{"getItem"}, first: true},
		{words: []string{"getitem"}, want: []string{"getItem"}},
		{words: []string{"item", "get"}, want: []string{"getItem", "listItems"}},
		{words: []string{"delete"}, want: []string{"deleteItem"}},
		{words: []string{"items"}, want: []string{"listItems", "createItem", "getItem", "deleteItem"}},
		{words: []string{"me"}, want: []string{"getMe"}},
		{words: []string{"gtitm"}, want: []string{"getItem"}},
		{words: []string{"account"}, want: []string{"getMe"}},
		{words: []string{"post", "item"}, want: []string{"createItem"}},
		{words: []string{"me", "delete"}, want: nil},
		{words: []string{"get", "zebra"}, want: nil},
	} {
		r := h.run(append([]string{"--config", cfg, "ops", "st"}, tc.words...)...)
		r.expect(t, 0, "ops "+strings.Join(tc.words, " "))
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(r.out), "\n") {
			if f := strings.Fields(l); len(f) >= 3 {
				got = append(got, f[2])
			}
		}
		if tc.first {
			if len(got) == 0 || got[0] != tc.want[0] {
				t.Errorf("ops %s: first %q, want %s\n%s", strings.Join(tc.words, " "), got, tc.want[0], r.out)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ops %s: %q, want %q\n%s", strings.Join(tc.words, " "), got, tc.want, r.out)
		}
	}
}
