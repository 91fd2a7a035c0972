package document

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func searchDoc() *Document {
	return Build([]byte(`{"Name":"first","items":[{"name":"a"},{"NAME":"b"}],"last":"name"}`), "application/json", ModePretty)
	// {
	//   "Name": "first",
	//   "items": [
	//     {
	//       "name": "a"
	//     },
	//     {
	//       "NAME": "b"
	//     }
	//   ],
	//   "last": "name"
	// }
}

func TestSearch(t *testing.T) {
	d := searchDoc()
	ctx := context.Background()
	got := d.Search(ctx, "name", false)
	want := []Hit{{Line: 4, Col: 7, Len: 4}, {Line: 10, Col: 11, Len: 4}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("hits %v, want %v", got, want)
	}
	got = d.Search(ctx, "name", true)
	want = []Hit{{1, 3, 4}, {4, 7, 4}, {7, 7, 4}, {10, 11, 4}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("case-insensitive hits %v, want %v", got, want)
	}
	// The first byte of the text and the very last.
	if got := d.Search(ctx, "{", false); len(got) != 3 || got[0] != (Hit{0, 0, 1}) {
		t.Errorf("first: %v", got)
	}
	if got := d.Search(ctx, "}", false); got[len(got)-1] != (Hit{11, 0, 1}) {
		t.Errorf("last: %v", got)
	}
	if got := d.Search(ctx, "absent", true); got != nil {
		t.Errorf("absent: %v", got)
	}
	if got := d.Search(ctx, "", true); got != nil {
		t.Errorf("empty query: %v", got)
	}
}

func TestSearchNoOverlap(t *testing.T) {
	d := Build([]byte("aaaaa\naAa"), "", ModePretty)
	if got := d.Search(context.Background(), "aa", false); len(got) != 2 {
		t.Errorf("aa: %v", got)
	}
	got := d.Search(context.Background(), "AA", true)
	want := []Hit{{0, 0, 2}, {0, 2, 2}, {1, 0, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AA folded: %v", got)
	}
}

func TestSearchUnicodeFold(t *testing.T) {
	d := Build([]byte("Привет мир\nпривет\nÉcole école"), "", ModePretty)
	ctx := context.Background()
	if got := d.Search(ctx, "ПРИВЕТ", true); len(got) != 2 || got[1] != (Hit{1, 0, len("привет")}) {
		t.Errorf("cyrillic: %v", got)
	}
	if got := d.Search(ctx, "école", true); len(got) != 2 || got[1].Col != len("École ") {
		t.Errorf("latin: %v", got)
	}
	if got := d.Search(ctx, "école", false); len(got) != 1 {
		t.Errorf("latin exact: %v", got)
	}
}

func TestSearchCap(t *testing.T) {
	d := Build([]byte(strings.Repeat("x\n", MaxHits+10)), "", ModePretty)
	got := d.Search(context.Background(), "x", false)
	if len(got) != MaxHits || got[MaxHits-1].Line != MaxHits-1 {
		t.Fatalf("%d hits, last %v", len(got), got[len(got)-1])
	}
}

// TestSearchFromKeepsTheHitsNearTheReader: past the cap, the hits kept
// are those from the given line on, then from the top, in document
// order; below the cap a search from a line finds every hit, as Search
// does. Search kept the first MaxHits, and n from line 130,000 wrapped to
// line 0.
func TestSearchFromKeepsTheHitsNearTheReader(t *testing.T) {
	const lines = MaxHits + 50_000
	d := Build([]byte(strings.Repeat("x\n", lines)), "", ModePretty)
	ctx := context.Background()
	got := d.SearchFrom(ctx, "x", false, 130_000)
	if len(got) != MaxHits {
		t.Fatalf("%d hits", len(got))
	}
	// 20,000 from line 130,000 to the end, then 80,000 from the top.
	if got[0].Line != 0 || got[79_999].Line != 79_999 || got[80_000].Line != 130_000 || got[MaxHits-1].Line != lines-1 {
		t.Errorf("hits at lines %d, %d, %d, %d", got[0].Line, got[79_999].Line, got[80_000].Line, got[MaxHits-1].Line)
	}
	if far := d.SearchFrom(ctx, "x", false, 10); len(far) != MaxHits || far[0].Line != 10 {
		t.Errorf("from line 10: %d hits, the first at %d", len(far), far[0].Line)
	}
	small := Build([]byte("ab x\ncd x x\nx\n"), "", ModePretty)
	all := small.Search(ctx, "x", false)
	for line := range 4 {
		if from := small.SearchFrom(ctx, "x", false, line); !slices.Equal(from, all) {
			t.Errorf("from line %d: %v, want %v", line, from, all)
		}
	}
}

func TestSearchCancel(t *testing.T) {
	d := Build([]byte(strings.Repeat("ab", 1<<20)), "", ModePretty)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := d.Search(ctx, "b", false); len(got) >= 1<<20 {
		t.Fatalf("a cancelled search found all %d hits", len(got))
	}
}

func TestSearchPicksRareAnchor(t *testing.T) {
	m := newMatcher([]byte("Marker-a"), true)
	if m.q[m.p] != 'k' {
		t.Errorf("anchor %q", m.q[m.p])
	}
	m = newMatcher([]byte("e\"z"), false)
	if m.q[m.p] != 'z' {
		t.Errorf("anchor %q", m.q[m.p])
	}
}
