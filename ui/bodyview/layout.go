package bodyview

import (
	"bytes"
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Laying out a body line: how its bytes become terminal cells. Everything
// here works on one line at a time and only as far as the screen needs, so
// drawing never costs more than the visible window — except for lines
// longer than longLine, whose layout is computed once and cached
// (bodyview_cache.go).

const tabWidth = 8

// glyph kinds: how the bytes of a glyph are drawn.
const (
	gText uint8 = iota // the bytes as they are
	gTab               // spaces to the next tab stop
	gCtrl              // a C0 control or DEL, as its control picture (␀, ␛, ␡)
	gByte              // a byte that is not UTF-8, as \xNN
	gRune              // a rune that could steer the terminal, as \uNNNN
)

// glyphAt measures the glyph at line[i] (cell is its column, for tabs):
// its length in bytes, its width in cells and how it is drawn. A glyph is
// a grapheme cluster, measured as lipgloss measures it, so a row never
// comes out wider than its width.
func glyphAt(line []byte, i, cell int) (n, w int, kind uint8) {
	c := line[i]
	switch {
	case c == '\t':
		return 1, tabWidth - cell%tabWidth, gTab
	case c < 0x20 || c == 0x7F:
		return 1, 1, gCtrl
	case c < utf8.RuneSelf && (i+1 == len(line) || line[i+1] < utf8.RuneSelf):
		return 1, 1, gText
	}
	r, size := utf8.DecodeRune(line[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return 1, 4, gByte
	case steers(r) || clings(r):
		return size, len(runeEscape(r)), gRune
	}
	cluster, w := ansi.FirstGraphemeCluster(line[i:], ansi.GraphemeWidth)
	if len(cluster) == 0 || !utf8.Valid(cluster) {
		// Never let a cluster carry a stray byte to the terminal.
		return size, max(0, min(w, 2)), gText
	}
	return len(cluster), w, gText
}

// steers reports whether r is a character a terminal may act on rather
// than print (C1 controls such as CSI) or that reorders or breaks what
// follows (bidirectional overrides and isolates, line and paragraph
// separators): such a body could forge what is on screen.
func steers(r rune) bool {
	return r >= 0x80 && r <= 0x9F ||
		r >= 0x202A && r <= 0x202E ||
		r >= 0x2066 && r <= 0x2069 ||
		r == 0x2028 || r == 0x2029
}

// clings reports whether r, starting a glyph, would join whatever the
// terminal drew before it — a combining mark or an emoji modifier with
// nothing to sit on (after a stray byte, at the start of a line), or a
// format character such as a zero-width joiner — so that the row would be
// narrower or wider than laid out. Such a rune is drawn as \uNNNN.
func clings(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf) ||
		r >= 0x1F3FB && r <= 0x1F3FF
}

// runeEscape is how a rune that cannot be drawn as itself is written.
func runeEscape(r rune) string {
	if r > 0xFFFF {
		return fmt.Sprintf(`\U%08X`, r)
	}
	return fmt.Sprintf(`\u%04X`, r)
}

// isPlainASCII reports whether line[i] is a printable ASCII byte that is a
// glyph by itself (not followed by a combining mark): one cell, drawn as it
// is. It is the fast path for the bulk of JSON.
func isPlainASCII(line []byte, i int) bool {
	c := line[i]
	return c >= 0x20 && c < 0x7F && (i+1 == len(line) || line[i+1] < utf8.RuneSelf)
}

// plainRun counts the plain ASCII glyphs (see isPlainASCII) at line[off:],
// at most limit. It is the layout's fast path: a tight loop over bytes
// that lays out a 50 MB line of JSON in tens of milliseconds.
func plainRun(line []byte, off, limit int) int {
	end := min(len(line), off+max(limit, 0))
	i := off
	for i < end && line[i]-0x20 < 0x5F {
		i++
	}
	if i > off && i < len(line) && line[i] >= utf8.RuneSelf {
		i-- // the last one may carry a combining mark: not plain
	}
	return i - off
}

// rowEnd is where the row of at most width cells starting at line[off]
// ends: as many glyphs as fit, and at least one, so a glyph wider than
// the row cannot stall the layout. Tab stops count from the row's start.
func rowEnd(line []byte, off, width int) int {
	cell := 0
	for off < len(line) && cell < width {
		if k := plainRun(line, off, width-cell); k > 0 {
			off += k
			cell += k
			continue
		}
		n, w, _ := glyphAt(line, off, cell)
		if cell+w > width && cell > 0 {
			break
		}
		cell += w
		off += n
	}
	return off
}

// appendRowStarts appends the byte offsets where line's wrapped rows start
// (always 0 first: an empty line is one empty row).
func appendRowStarts(dst []int, line []byte, width int) []int {
	dst = append(dst, 0)
	for off := 0; ; {
		end := rowEnd(line, off, width)
		if end >= len(line) {
			return dst
		}
		dst = append(dst, end)
		off = end
	}
}

// fitRow lays out glyphs from line[off] (at absolute column cell0, for
// tabs) into width cells. When the rest of the line does not fit, it
// stops one cell short, leaving room for an ellipsis, and reports more.
func fitRow(line []byte, off, cell0, width int) (end, cells int, more bool) {
	cutOff, cutCells := off, 0
	cell := 0
	for off < len(line) {
		n, w := 1, 1
		if !isPlainASCII(line, off) {
			n, w, _ = glyphAt(line, off, cell0+cell)
		}
		if cell+w > width {
			return cutOff, cutCells, true
		}
		cell += w
		off += n
		if cell <= width-1 {
			cutOff, cutCells = off, cell
		}
	}
	return off, cell, false
}

// seekCell walks from line[off], at column cell, to the first glyph that
// starts at or after column target. A wide glyph straddling target is
// skipped: the caller pads the difference with spaces.
func seekCell(line []byte, off, cell, target int) (int, int) {
	return walk(line, off, cell, len(line), target)
}

// cellOf is the column at which byte off of line starts, walking from
// line[from] at column cell.
func cellOf(line []byte, from, cell, off int) int {
	_, cell = walk(line, from, cell, min(off, len(line)), math.MaxInt)
	return cell
}

// walk lays out line glyph by glyph from line[off], at column cell, until
// it reaches byte end or column target, and says where it stopped. Plain
// ASCII, one byte to a cell, is taken in runs.
func walk(line []byte, off, cell, end, target int) (int, int) {
	for off < end && cell < target {
		if k := plainRun(line, off, min(end-off, target-cell)); k > 0 {
			off += k
			cell += k
			continue
		}
		n, w, _ := glyphAt(line, off, cell)
		off += n
		cell += w
	}
	return off, cell
}

// JSON string state at a point of a line: outside a string, inside one,
// or inside one right after a backslash. It is all the JSON highlighter
// needs to start at any point of a line.
const (
	jsOut uint8 = iota
	jsStr
	jsEsc
)

// jsonState advances state st over b, skipping from quote to quote.
func jsonState(st uint8, b []byte) uint8 {
	for len(b) > 0 {
		switch st {
		case jsOut:
			i := bytes.IndexByte(b, '"')
			if i < 0 {
				return jsOut
			}
			b, st = b[i+1:], jsStr
		case jsStr:
			i := 0
			for i < len(b) && b[i] != '"' && b[i] != '\\' {
				i++
			}
			if i == len(b) {
				return jsStr
			}
			if b[i] == '"' {
				st = jsOut
			} else {
				st = jsEsc
			}
			b = b[i+1:]
		default:
			b, st = b[1:], jsStr
		}
	}
	return st
}
