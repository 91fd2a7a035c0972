package bodyview

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// numbered makes n lines "line 1" ... with every tenth line long enough to
// wrap over several rows at width 20.
func numbered(n int) *textLines {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "line %d", i)
		if i%10 == 0 {
			b.WriteString(strings.Repeat(" long", 12))
		}
	}
	return linesOf(b.String())
}

type pos struct{ top, sub int }

func (v *Model) pos() pos { return pos{v.top, v.sub} }

// Row by row and page by page, down and back up, wrapped or not, the view
// stays consistent with where Bottom says the end is.
func TestBodyViewScrolling(t *testing.T) {
	for _, wrap := range []bool{true, false} {
		v := newView(numbered(100), "text", 20, 9)
		v.SetWrap(wrap)
		v.Bottom()
		end := v.pos()
		frame := checkFrame(t, v, 20, 9)
		if !strings.Contains(frame, "line 100") || !strings.Contains(frame, "100%") {
			t.Fatalf("wrap %v: bottom:\n%s", wrap, frame)
		}
		v.Top()
		var path []pos
		for v.pos() != end {
			path = append(path, v.pos())
			v.ScrollBy(1)
			if len(path) > 1000 {
				t.Fatalf("wrap %v: never reached the bottom %v", wrap, end)
			}
		}
		if wrap && len(path) != 90+10*4-8 {
			// 90 short lines and ten of 4 rows, less one screen of 8 rows.
			t.Errorf("%d rows to the bottom", len(path))
		}
		v.ScrollBy(5) // past the end: stays
		if v.pos() != end {
			t.Errorf("wrap %v: past the end %v, want %v", wrap, v.pos(), end)
		}
		for k := len(path) - 1; k >= 0; k-- {
			v.ScrollBy(-1)
			if v.pos() != path[k] {
				t.Fatalf("wrap %v: up to %v, want %v", wrap, v.pos(), path[k])
			}
		}
		v.PageBy(3)
		if want := path[3*7]; v.pos() != want {
			t.Errorf("wrap %v: page 3 at %v, want %v", wrap, v.pos(), want)
		}
		v.PageBy(-1)
		if want := path[2*7]; v.pos() != want {
			t.Errorf("wrap %v: page back at %v, want %v", wrap, v.pos(), want)
		}
		v.ScrollBy(1 << 30) // a huge jump moves by lines, and clamps
		if v.pos() != end {
			t.Errorf("wrap %v: huge jump %v", wrap, v.pos())
		}
		v.ScrollBy(-1 << 30)
		if v.pos() != (pos{}) {
			t.Errorf("wrap %v: huge jump back %v", wrap, v.pos())
		}
	}
}

func TestBodyViewResizeKeepsRow(t *testing.T) {
	v := newView(numbered(100), "text", 20, 9)
	v.top, v.sub = 9, 2 // inside line 10, 4 rows at width 20
	off, _, _ := v.row(9, 2)
	v.SetSize(30, 9)
	if v.top != 9 || v.sub != v.rowOf(9, off) {
		t.Fatalf("after resize at %v", v.pos())
	}
	v.SetWrap(false)
	if v.sub != 0 {
		t.Fatalf("unwrapped at row %d", v.sub)
	}
}

func TestBodyViewGotoHit(t *testing.T) {
	lines := numbered(1000)
	st := &testSt
	p := newPalette(st)
	for _, wrap := range []bool{true, false} {
		v := newView(lines, "text", 20, 10)
		v.SetWrap(wrap)
		hits := []Hit{{Line: 4, Col: 0, Len: 4}, {Line: 499, Col: 5, Len: 3}, {Line: 999, Col: 9, Len: 4}}
		v.SetHits(hits, -1)
		v.GotoHit(1)
		if v.top >= 499 || v.top < 480 || !v.onScreen(499, 0) {
			t.Fatalf("wrap %v: hit on line 499, top %d", wrap, v.top)
		}
		out := v.View()
		if !strings.Contains(out, p.open[clsHitCurrent]+"500") {
			t.Fatalf("wrap %v: current hit not drawn: %q", wrap, out)
		}
		v.SetSize(60, 10) // room for the hit count
		if !strings.Contains(v.Status(), "hit 2/3 · line ") {
			t.Errorf("wrap %v: no hit count in %q", wrap, v.Status())
		}
		v.SetSize(20, 10)
		// A hit already on screen does not move the view.
		top := v.pos()
		v.SetHits(append(hits[:2:2], Hit{Line: top.top + 1, Len: 1}), 1)
		v.GotoHit(2)
		if v.pos() != top {
			t.Errorf("wrap %v: moved to a visible hit: %v -> %v", wrap, top, v.pos())
		}
		// The last hit, at the end of a long line.
		v.SetHits(hits, -1)
		v.GotoHit(2)
		if out := v.View(); !strings.Contains(out, p.open[clsHitCurrent]+" lon") {
			t.Errorf("wrap %v: last hit not drawn: %q", wrap, ansi.Strip(out))
		}
	}
}

// Long lines, sideways: a hit far right of the screen brings the column.
func TestBodyViewGotoHitSideways(t *testing.T) {
	line := strings.Repeat("x", 500) + "FOUND" + strings.Repeat("y", 500)
	v := newView(linesOf(line), "text", 40, 3)
	v.SetWrap(false)
	v.SetHits([]Hit{{Line: 0, Col: 500, Len: 5}}, -1)
	v.GotoHit(0)
	if frame := checkFrame(t, v, 40, 3); !strings.Contains(frame, "FOUND") {
		t.Fatalf("hit not on screen:\n%s", frame)
	}
	v.SetWrap(true)
	v.GotoHit(0)
	if frame := checkFrame(t, v, 40, 3); !strings.Contains(frame, "FOUND") {
		t.Fatalf("hit not on screen, wrapped:\n%s", frame)
	}
}

func TestBodyViewNextHit(t *testing.T) {
	v := newView(numbered(100), "text", 20, 10)
	if v.NextHit(1) != -1 {
		t.Fatal("a hit without hits")
	}
	v.SetHits([]Hit{{Line: 2}, {Line: 50}, {Line: 80}}, -1)
	v.GotoLine(40)
	if got := v.NextHit(1); got != 1 {
		t.Errorf("first from the screen: %d", got)
	}
	if got := v.NextHit(-1); got != 0 {
		t.Errorf("last before the screen: %d", got)
	}
	v.GotoHit(2)
	if v.NextHit(1) != 0 || v.NextHit(-1) != 1 {
		t.Errorf("from the current hit: %d, %d", v.NextHit(1), v.NextHit(-1))
	}
}
