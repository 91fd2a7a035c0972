package document

import (
	"context"
	"reflect"
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
