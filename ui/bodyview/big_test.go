package bodyview

import (
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The viewer on big bodies. ui cannot import exchange, so these build the
// text as exchange's indenter lays it out; the end-to-end test (exchange
// document in this viewer) is in internal/rssprobe. All run
// always: building 50 MB of lines takes about 0.3 s (2 s under -race on
// two cores), drawing a frame microseconds.

const bigMarker = "END-OF-BODY-7f3a9c"

// prettyObjects is n objects of 19 indented lines each, in an array, the
// last one holding bigMarker: about 88 MB of text and 5.7 million lines
// for 300 000 objects, the size of a 50 MB compact JSON body indented.
func prettyObjects(n int) *textLines {
	b := make([]byte, 0, n*300)
	starts := make([]int, 0, n*19+3)
	nl := func() {
		b = append(b, '\n')
		starts = append(starts, len(b))
	}
	starts = append(starts, 0)
	b = append(b, '[')
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		nl()
		b = append(b, "  {"...)
		for _, kv := range [...]string{`"id": ` + id + `,`, `"name": "item-` + id + `",`, `"active": true,`, `"price": 12.5,`, `"tags": [`, `  "alpha",`, `  "beta"`, `],`, `"owner": {`, `  "id": 7,`, `  "email": "user7@example.com",`, `  "roles": [`, `    "read",`, `    "write"`, `  ]`, `},`} {
			nl()
			b = append(b, "    "...)
			b = append(b, kv...)
		}
		nl()
		if i == n {
			b = append(b, `    "note": "`+bigMarker+`"`...)
		} else {
			b = append(b, `    "note": null`...)
		}
		nl()
		b = append(b, "  }"...)
		if i < n {
			b = append(b, ',')
		}
	}
	nl()
	b = append(b, ']')
	starts = append(starts, len(b)+1)
	return &textLines{text: b, starts: starts}
}

var bigLines = sync.OnceValue(func() *textLines { return prettyObjects(300_000) })

func TestBodyView50MBBottomAndLastHit(t *testing.T) {
	lines := bigLines()
	n := lines.Len()
	if n != 19*300_000+2 || len(lines.text) < 80e6 {
		t.Fatalf("%d lines, %d bytes", n, len(lines.text))
	}
	for _, wrap := range []bool{true, false} {
		v := newView(lines, "json", 120, 40)
		v.SetWrap(wrap)
		v.Bottom()
		frame := checkFrame(t, v, 120, 40)
		if !strings.Contains(frame, `"note": "`+bigMarker+`"`) || !strings.HasSuffix(strings.TrimRight(frame[:strings.LastIndex(frame, "\n")], " "), "]") {
			t.Fatalf("wrap %v: bottom:\n%s", wrap, frame)
		}
		if !strings.Contains(frame, "line "+strconv.Itoa(n-38)+"/"+strconv.Itoa(n)+" · 100%") {
			t.Errorf("wrap %v: status in\n%s", wrap, frame)
		}
		v.Top()
		v.SetHits([]Hit{{Line: 5, Col: 4, Len: 4}, {Line: n - 3, Col: 13, Len: len(bigMarker)}}, -1)
		v.GotoHit(1)
		if out := v.View(); !strings.Contains(out, newPalette(&testSt).open[clsHitCurrent]+bigMarker) {
			t.Fatalf("wrap %v: the last hit is not drawn", wrap)
		}
	}
}

// minified is a JSON array of n objects on one line, as a compact body
// shows in raw mode: about 10 MB for 100 000.
func minified(n int) []byte {
	b := make([]byte, 0, n*110)
	b = append(b, '[')
	for i := 1; i <= n; i++ {
		if i > 1 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `,"name":"item-`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `","tags":["alpha","beta"],"owner":{"email":"user@example.com"},"n":null}`...)
	}
	return append(b, ']')
}

func TestBodyViewLongLine10MB(t *testing.T) {
	body := minified(100_000)
	if len(body) < 10e6 {
		t.Fatalf("%d bytes", len(body))
	}
	lines := &textLines{text: body, starts: []int{0, len(body) + 1}}
	st := &testSt
	p := newPalette(st)

	v := newView(lines, "json", 120, 40)
	frame := checkFrame(t, v, 120, 40)
	if !strings.HasPrefix(frame, `[{"id":1,"name":"item-1"`) {
		t.Fatalf("first frame:\n%s", frame)
	}
	v.Bottom()
	frame = checkFrame(t, v, 120, 40)
	if rows := strings.Split(frame, "\n"); !strings.HasSuffix(strings.TrimRight(rows[38], " "), `"n":null}]`) {
		t.Fatalf("bottom, wrapped:\n%s", frame)
	}
	// Keys are told from values even deep in the line.
	if out := v.View(); !strings.Contains(out, p.open[clsKey]+`"email"`) {
		t.Errorf("no key colour at the bottom")
	}
	v.ScrollBy(-1)
	v.PageBy(-1)
	checkFrame(t, v, 120, 40)

	v.SetWrap(false)
	frame = checkFrame(t, v, 120, 40)
	if row := strings.Split(frame, "\n")[0]; !strings.HasSuffix(row, "…") {
		t.Fatalf("unwrapped row is not cut with an ellipsis: %q", row)
	}
	v.ScrollX(1 << 40)
	frame = checkFrame(t, v, 120, 40)
	if row := strings.Split(frame, "\n")[0]; !strings.HasSuffix(row, `"n":null}]`) {
		t.Fatalf("scrolled to the end: %q", row)
	}
	if out := v.View(); !strings.Contains(out, p.open[clsKey]+`"n"`) {
		t.Errorf("no key colour at the end of the line")
	}
}

func BenchmarkBodyViewScroll50MB(b *testing.B) {
	lines := bigLines()
	for _, wrap := range []bool{true, false} {
		name := "wrap"
		if !wrap {
			name = "nowrap"
		}
		b.Run(name, func(b *testing.B) {
			v := newView(lines, "json", 120, 40)
			v.SetWrap(wrap)
			v.View()
			b.ReportAllocs()
			for b.Loop() {
				v.ScrollBy(1)
				_ = v.View()
			}
		})
	}
	b.Run("bottom", func(b *testing.B) {
		v := newView(lines, "json", 120, 40)
		for b.Loop() {
			v.Top()
			v.Bottom()
			_ = v.View()
		}
	})
}

func BenchmarkBodyViewLongLine10MB(b *testing.B) {
	body := minified(100_000)
	lines := &textLines{text: body, starts: []int{0, len(body) + 1}}
	// The first visit to the end lays the line out once (cached after).
	b.Run("first-bottom", func(b *testing.B) {
		for b.Loop() {
			v := newView(lines, "json", 120, 40)
			v.Bottom()
			_ = v.View()
		}
	})
	b.Run("scroll-wrapped", func(b *testing.B) {
		v := newView(lines, "json", 120, 40)
		v.ScrollBy(40_000)
		for b.Loop() {
			v.PageBy(1)
			_ = v.View()
		}
	})
	b.Run("sideways", func(b *testing.B) {
		v := newView(lines, "json", 120, 40)
		v.SetWrap(false)
		v.ScrollX(5_000_000)
		for b.Loop() {
			v.ScrollX(1)
			_ = v.View()
		}
	})
}
