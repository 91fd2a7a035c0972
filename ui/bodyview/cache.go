package bodyview

import "sort"

// A line longer than longLine (a minified JSON body in raw mode is one line
// of many megabytes) has its layout kept as far as it was computed: its
// wrapped rows, or checkpoints every checkpointCells columns when not
// wrapping, each with the JSON string state there. The layout grows only
// as far as the screen has been: the first frame of a 50 MB line lays out
// one screen; jumping to its end walks it once (about 40 ms for 50 MB of
// ASCII), and scrolling back and forth after that costs one row each.
const (
	longLine        = 4096
	checkpointCells = 1024
	cacheEntries    = 8
)

// lineLayout is the layout of one long line, computed up to some point.
type lineLayout struct {
	line  int
	text  []byte
	width int     // the row width when wrapped; 0 for unwrapped checkpoints
	offs  []int   // where each row (or checkpoint) starts
	cells []int   // unwrapped: the column of each checkpoint
	js    []uint8 // the JSON string state at each row or checkpoint
	done  bool    // the layout reaches the end of the line
	json  bool    // track the JSON string state (not needed for text)
}

// grow lays out one more row (or checkpoint); false when the line was
// already laid out to its end.
func (e *lineLayout) grow() bool {
	if e.done {
		return false
	}
	last := len(e.offs) - 1
	from := e.offs[last]
	if e.width > 0 {
		next := rowEnd(e.text, from, e.width)
		if next >= len(e.text) {
			e.done = true // the row at from is the last
			return false
		}
		e.offs = append(e.offs, next)
		e.js = append(e.js, e.state(from, next))
		return true
	}
	// Unwrapped, the last checkpoint is the end of the line, so the line's
	// width is known once done.
	next, cell := seekCell(e.text, from, e.cells[last], (last+1)*checkpointCells)
	if next == from {
		e.done = true
		return false
	}
	e.offs = append(e.offs, next)
	e.cells = append(e.cells, cell)
	e.js = append(e.js, e.state(from, next))
	e.done = next >= len(e.text)
	return true
}

// state is the JSON string state at next, from the last one at from.
func (e *lineLayout) state(from, next int) uint8 {
	if !e.json {
		return jsOut
	}
	return jsonState(e.js[len(e.js)-1], e.text[from:next])
}

// layoutCache holds the layouts of the few long lines last drawn. It
// belongs to one document: SetDocument replaces it.
type layoutCache struct {
	entries []*lineLayout // most recently used first
	json    bool          // the document is JSON
	// Scratch buffers reused from one drawing to the next: row starts,
	// and the JSON classes of a row's bytes.
	rowScratch []int
	cls        []uint8
}

// get returns line's layout at width (wrapped) or its checkpoints (width
// 0), as far as computed so far.
func (c *layoutCache) get(line int, text []byte, width int) *lineLayout {
	for i, e := range c.entries {
		if e.line == line && e.width == width {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e
		}
	}
	e := &lineLayout{line: line, text: text, width: width, offs: []int{0}, js: []uint8{jsOut}, json: c.json}
	if width == 0 {
		e.cells = []int{0}
	}
	if len(c.entries) < cacheEntries {
		c.entries = append(c.entries, nil)
	}
	copy(c.entries[1:], c.entries)
	c.entries[0] = e
	return e
}

// row is where wrapped row r of line i starts and the JSON state there;
// ok is false when the line has no row r.
func (v *Model) row(i, r int) (off int, st uint8, ok bool) {
	line := v.lines.Line(i)
	if len(line) > longLine {
		e := v.cache.get(i, line, v.contentWidth())
		for len(e.offs) <= r && e.grow() {
		}
		if r >= len(e.offs) {
			return 0, jsOut, false
		}
		return e.offs[r], e.js[r], true
	}
	if r == 0 {
		return 0, jsOut, true
	}
	starts := v.shortRows(line)
	if r >= len(starts) {
		return 0, jsOut, false
	}
	return starts[r], jsonState(jsOut, line[:starts[r]]), true
}

// shortRows lays out a line of at most longLine bytes, in a buffer reused
// from call to call.
func (v *Model) shortRows(line []byte) []int {
	if len(line) <= v.contentWidth() && !hasWide(line) {
		v.cache.rowScratch = append(v.cache.rowScratch[:0], 0) // fits: no need to walk it
	} else {
		v.cache.rowScratch = appendRowStarts(v.cache.rowScratch[:0], line, v.contentWidth())
	}
	return v.cache.rowScratch
}

// rowsOf is how many screen rows line i takes. On a long line not laid out
// to its end yet, it lays out the rest.
func (v *Model) rowsOf(i int) int {
	if !v.wrap {
		return 1
	}
	line := v.lines.Line(i)
	if len(line) > longLine {
		e := v.cache.get(i, line, v.contentWidth())
		for e.grow() {
		}
		return len(e.offs)
	}
	return len(v.shortRows(line))
}

// hasRow reports whether line i has a row r (only as much layout as that
// needs).
func (v *Model) hasRow(i, r int) bool {
	if !v.wrap {
		return r == 0
	}
	_, _, ok := v.row(i, r)
	return ok
}

// hasWide reports whether line holds anything but plain ASCII, which
// could take more cells than bytes.
func hasWide(line []byte) bool {
	for _, c := range line {
		if c-0x20 >= 0x5F {
			return true
		}
	}
	return false
}

// rowOf is the wrapped row of line i that holds byte off.
func (v *Model) rowOf(i, off int) int {
	line := v.lines.Line(i)
	if len(line) > longLine {
		e := v.cache.get(i, line, v.contentWidth())
		for e.offs[len(e.offs)-1] <= off && e.grow() {
		}
		return max(0, sort.SearchInts(e.offs, off+1)-1)
	}
	return max(0, sort.SearchInts(v.shortRows(line), off+1)-1)
}

// seek finds, on line i unwrapped, the first glyph at or after column
// target: its offset, its column and the JSON state there.
func (v *Model) seek(i, target int) (off, cell int, st uint8) {
	line := v.lines.Line(i)
	if len(line) > longLine {
		e := v.cache.get(i, line, 0)
		for e.cells[len(e.cells)-1] <= target && e.grow() {
		}
		k := max(0, sort.SearchInts(e.cells, target+1)-1)
		off, cell, st = e.offs[k], e.cells[k], e.js[k]
	}
	next, cell := seekCell(line, off, cell, target)
	return next, cell, jsonState(st, line[off:next])
}

// columnOf is the column at which byte off of line i starts, unwrapped.
func (v *Model) columnOf(i, off int) int {
	line := v.lines.Line(i)
	from, cell := 0, 0
	if len(line) > longLine {
		e := v.cache.get(i, line, 0)
		for e.offs[len(e.offs)-1] <= off && e.grow() {
		}
		k := max(0, sort.SearchInts(e.offs, off+1)-1)
		from, cell = e.offs[k], e.cells[k]
	}
	return cellOf(line, from, cell, off)
}

// widerThan reports whether line i, unwrapped, is wider than n columns
// (laying out no further than that).
func (v *Model) widerThan(i, n int) bool {
	off, cell, _ := v.seek(i, n)
	return off < len(v.lines.Line(i)) || cell > n
}
