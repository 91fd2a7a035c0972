// Package bodyview is keyhole's big-body viewer: it lays out, highlights
// and draws only the rows on screen, so a body of any size scrolls as fast
// as a short one. It imports nothing of keyhole's (ui imports it): the
// styles and the keys it answers to are handed to New.
package bodyview

import "sort"

// Lines is a body laid out in lines, ready to draw (the model passes its
// document.Document). Line returns line i without its newline; the viewer
// only reads it, and only the lines on screen.
type Lines interface {
	Len() int
	Line(i int) []byte
}

// Hit is a search match: its line, its start as a byte offset in the
// line, and its length in bytes. It has the fields of document.Hit, so the
// model converts one with bodyview.Hit(h).
type Hit struct {
	Line, Col, Len int
}

// Model draws a response body of any size: it lays out, highlights and
// draws only the rows on screen, so a 5-million-line document scrolls as
// fast as a short one. With wrap on, the position is a line and a row
// within it, so the whole document is never laid out; with wrap off, long
// lines end in an ellipsis and scroll sideways.
//
// It keeps no state the model must keep in step beyond what its setters
// say, and it never blocks: every method costs about the visible window.
type Model struct {
	st   *Styles
	keys KeyMap

	lines Lines
	kind  string
	w, h  int

	wrap        bool
	lineNumbers bool
	status      bool
	note        string

	top  int // the first line on screen
	sub  int // wrap on: the first row of line top on screen
	xoff int // wrap off: the first column on screen

	hits    []Hit
	current int  // the current hit, or -1
	more    bool // the search stopped at its cap: there are more hits

	// cache holds what drawing works out once and keeps: line layouts,
	// and scratch buffers, so that View allocates nothing and changes
	// none of the viewer's own fields.
	cache *layoutCache
}

// New builds an empty viewer, wrapping, with a status row, drawn in st's
// styles (kept by pointer: the root rebuilds them for the terminal's
// background) and answering to keys.
func New(st *Styles, keys KeyMap) Model {
	return Model{st: st, keys: keys, wrap: true, status: true, current: -1, cache: &layoutCache{}}
}

// SetStyles draws the viewer in other styles (a light or dark background).
func (v *Model) SetStyles(st *Styles) { v.st = st }

// SetDocument shows lines, a body of the given kind ("json" is
// highlighted; "text", "html", "xml", "binary" are drawn as they are), from
// the top, with no hits. The viewer keeps lines and reads it on every
// View: it must not change afterwards.
func (v *Model) SetDocument(lines Lines, kind string) {
	v.lines, v.kind = lines, kind
	v.top, v.sub, v.xoff = 0, 0, 0
	v.hits, v.current, v.more = nil, -1, false
	v.cache = &layoutCache{json: kind == "json"}
}

// Clear removes the document.
func (v *Model) Clear() { v.SetDocument(nil, "") }

// SetSize implements ui.Component: the area the viewer draws in, status
// row included. With wrap on, the row on top stays on top.
func (v *Model) SetSize(w, h int) {
	w, h = max(1, w), max(1, h)
	if w == v.w && h == v.h {
		return
	}
	anchor := -1
	if v.wrap && v.len() > 0 && v.w > 0 && w != v.w {
		anchor, _, _ = v.row(v.top, v.sub)
	}
	v.w, v.h = w, h
	if anchor >= 0 {
		v.sub = v.rowOf(v.top, anchor)
	}
	v.clamp()
}

// SetWrap turns wrapping of long lines on or off.
func (v *Model) SetWrap(on bool) {
	if on == v.wrap {
		return
	}
	v.wrap, v.sub, v.xoff = on, 0, 0
	v.clamp()
}

// Wrap reports whether long lines wrap.
func (v *Model) Wrap() bool { return v.wrap }

// SetLineNumbers shows or hides line numbers in a gutter on the left.
func (v *Model) SetLineNumbers(on bool) {
	if on != v.lineNumbers {
		v.lineNumbers, v.sub = on, 0
		v.clamp()
	}
}

// SetStatusRow shows or hides the status row at the bottom ("line
// 1234/5000000 · 24%"); without it the model can show Status elsewhere.
func (v *Model) SetStatusRow(on bool) {
	v.status = on
	v.clamp()
}

// SetNote sets a few words shown in the status row, before the position,
// such as "cut at 100 MB" or "100000+ hits".
func (v *Model) SetNote(note string) { v.note = note }

// SetMoreHits says whether the search stopped at its cap with more hits
// left: the status counts "hit 3/100000+", not a total it does not know.
func (v *Model) SetMoreHits(more bool) { v.more = more }

// SetHits sets the search hits to highlight, in document order (as
// document's Search returns them), and the current one (-1 for none). It
// does not scroll: GotoHit does.
func (v *Model) SetHits(hits []Hit, current int) {
	v.hits = hits
	v.current = current
	if current < 0 || current >= len(hits) {
		v.current = -1
	}
}

// CurrentHit is the index of the current hit, or -1.
func (v *Model) CurrentHit() int { return v.current }

// NextHit is the hit that n (dir 1) or N (dir -1) goes to: the one after
// or before the current hit, wrapping around; with no current hit yet (a
// new search), the first one from the top of the screen on, as a pager
// does. It is -1 when there are no hits.
func (v *Model) NextHit(dir int) int {
	n := len(v.hits)
	switch {
	case n == 0:
		return -1
	case v.current >= 0 && dir < 0:
		return (v.current - 1 + n) % n
	case v.current >= 0:
		return (v.current + 1) % n
	}
	k := sort.Search(n, func(k int) bool { return v.hits[k].Line >= v.top })
	if dir < 0 {
		return (k - 1 + n) % n
	}
	return k % n
}

// GotoHit makes hit i the current one and scrolls it into view when it is
// not already on screen, a third of the way down.
func (v *Model) GotoHit(i int) {
	if i < 0 || i >= len(v.hits) || v.len() == 0 {
		return
	}
	v.current = i
	h := v.hits[i]
	line := min(max(h.Line, 0), v.len()-1)
	ch := v.contentHeight()
	if !v.wrap {
		if line < v.top || line >= v.top+ch {
			v.top = line - ch/3
		}
		c0 := v.columnOf(line, h.Col)
		c1 := v.columnOf(line, h.Col+h.Len)
		if cw := v.contentWidth(); c0 < v.xoff || c1 > v.xoff+cw-1 {
			v.xoff = max(0, c0-cw/3)
		}
		v.clamp()
		return
	}
	row := v.rowOf(line, h.Col)
	if !v.onScreen(line, row) {
		v.top, v.sub = line, row
		v.ScrollBy(-ch / 3)
	}
	v.clamp()
}

// onScreen reports whether row r of line i is drawn at the current
// position.
func (v *Model) onScreen(i, r int) bool {
	if i < v.top || i == v.top && r < v.sub {
		return false
	}
	line, sub, ok := v.top, v.sub, true
	for range v.contentHeight() {
		if line == i && sub == r {
			return true
		}
		if line > i {
			return false
		}
		if line, sub, ok = v.next(line, sub); !ok {
			return false
		}
	}
	return false
}

// next is the screen row after row sub of line; false at the end.
func (v *Model) next(line, sub int) (int, int, bool) {
	if v.wrap && v.hasRow(line, sub+1) {
		return line, sub + 1, true
	}
	if line+1 < v.len() {
		return line + 1, 0, true
	}
	return line, sub, false
}

// prev is the screen row before row sub of line; false at the top.
func (v *Model) prev(line, sub int) (int, int, bool) {
	switch {
	case sub > 0:
		return line, sub - 1, true
	case line == 0:
		return 0, 0, false
	}
	return line - 1, v.rowsOf(line-1) - 1, true
}

// TopLine is the first line on screen.
func (v *Model) TopLine() int { return v.top }

// GotoLine puts line i at the top of the screen (or as near as the end of
// the document allows), for instance to keep the place after switching
// between pretty and raw.
func (v *Model) GotoLine(i int) {
	v.top, v.sub = i, 0
	v.clamp()
}

// jumpRows is how far ScrollBy walks row by row when wrapping; a longer
// jump moves by lines, so a jump of a million never lays out a million
// lines.
const jumpRows = 2000

// ScrollBy moves the view n rows down (negative: up).
func (v *Model) ScrollBy(n int) {
	if v.len() == 0 {
		return
	}
	if !v.wrap || n > jumpRows || n < -jumpRows {
		v.top, v.sub = v.top+n, 0
		v.clamp()
		return
	}
	ok := true
	for ; n > 0 && ok; n-- {
		v.top, v.sub, ok = v.next(v.top, v.sub)
	}
	for ; n < 0 && ok; n++ {
		v.top, v.sub, ok = v.prev(v.top, v.sub)
	}
	v.clamp()
}

// PageBy moves the view n screens down (negative: up), keeping one row
// of the previous screen.
func (v *Model) PageBy(n int) { v.ScrollBy(n * max(1, v.contentHeight()-1)) }

// Top scrolls to the first line.
func (v *Model) Top() { v.top, v.sub = 0, 0 }

// Bottom scrolls so the last row is at the bottom of the screen.
func (v *Model) Bottom() { v.top, v.sub = v.maxTop() }

// ScrollX moves the view n columns right (negative: left) when not
// wrapping, no further than the widest line on screen needs. It lays out
// the lines on screen only as far as the new column.
func (v *Model) ScrollX(n int) {
	if v.wrap || v.len() == 0 {
		return
	}
	if n <= 0 {
		v.xoff = max(0, v.xoff+n)
		return
	}
	target, cw := v.xoff+min(n, 1<<40), v.contentWidth()
	last := min(v.len(), v.top+v.contentHeight())
	for i := v.top; i < last; i++ {
		if v.widerThan(i, target+cw-1) {
			v.xoff = target
			return
		}
	}
	widest := 0
	for i := v.top; i < last; i++ {
		widest = max(widest, v.columnOf(i, len(v.lines.Line(i))))
	}
	v.xoff = max(v.xoff, min(target, widest-cw))
}

// clamp keeps the position inside the document: never past the point
// where the last row reaches the bottom of the screen.
func (v *Model) clamp() {
	if v.len() == 0 {
		v.top, v.sub = 0, 0
		return
	}
	v.top = min(max(v.top, 0), v.len()-1)
	switch {
	case !v.wrap || v.sub < 0:
		v.sub = 0
	case !v.hasRow(v.top, v.sub):
		v.sub = v.rowsOf(v.top) - 1
	}
	// Fewer than a screen of rows from here to the end: too far.
	line, sub, ok := v.top, v.sub, true
	for k := 1; k < v.contentHeight(); k++ {
		if line, sub, ok = v.next(line, sub); !ok {
			v.top, v.sub = v.maxTop()
			return
		}
	}
}

// maxTop is the furthest position: the one that puts the last row at the
// bottom of the screen. It walks back one screen of rows from the end.
func (v *Model) maxTop() (line, sub int) {
	need := v.contentHeight()
	for i := v.len() - 1; i >= 0; i-- {
		r := v.rowsOf(i)
		if r >= need {
			return i, r - need
		}
		need -= r
	}
	return 0, 0
}

func (v *Model) len() int {
	if v.lines == nil {
		return 0
	}
	return v.lines.Len()
}

// contentHeight is the number of body rows: the height less the status row.
func (v *Model) contentHeight() int {
	if v.status && v.h >= 2 {
		return v.h - 1
	}
	return max(1, v.h)
}

// gutterWidth is the width of the line numbers and their margin.
func (v *Model) gutterWidth() int {
	if !v.lineNumbers || v.w < 12 {
		return 0
	}
	return digits(v.len()) + 1
}

// contentWidth is the number of columns for the body itself.
func (v *Model) contentWidth() int { return max(1, v.w-v.gutterWidth()) }

func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// hitsOn is the sub-slice of hits on line i.
func (v *Model) hitsOn(i int) ([]Hit, int) {
	k := sort.Search(len(v.hits), func(k int) bool { return v.hits[k].Line >= i })
	end := k
	for end < len(v.hits) && v.hits[end].Line == i {
		end++
	}
	return v.hits[k:end], k
}
