package bodyview

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// palette holds, for each colour class, the escape sequences that open and
// close its style. They are taken from lipgloss once per frame, so a row
// is written with plain string appends instead of a Render call per token.
type palette struct {
	open, close [numClasses]string
}

func newPalette(st *Styles) *palette {
	p := &palette{}
	for c, s := range [numClasses]lipgloss.Style{
		clsKey: st.JSONKey, clsString: st.JSONString, clsNumber: st.JSONNumber,
		clsBool: st.JSONBool, clsNull: st.JSONNull, clsPunct: st.JSONPunct,
		clsEscaped: st.Escaped, clsHit: st.Hit, clsHitCurrent: st.HitCurrent,
		clsMuted: st.Muted,
	} {
		// Render a marker and keep what surrounds it.
		const mark = "\x00"
		if out := s.Render(mark); strings.Count(out, mark) == 1 {
			p.open[c], p.close[c], _ = strings.Cut(out, mark)
		}
	}
	return p
}

// View implements ui.Component: the visible window, exactly h rows of w
// cells, the last one the status row (unless turned off). It costs the
// visible rows, however large the document.
func (v *Model) View() string {
	st := v.st
	if v.w <= 0 || v.h <= 0 {
		return ""
	}
	if v.len() == 0 {
		msg := "(no body)"
		if v.lines != nil {
			msg = "(empty body)"
		}
		return st.Muted.Render(fit(msg, v.w)) + strings.Repeat("\n"+strings.Repeat(" ", v.w), v.h-1)
	}
	p := newPalette(st)
	var b strings.Builder
	b.Grow(v.h * (v.w + 64))
	ch, gw, cw := v.contentHeight(), v.gutterWidth(), v.contentWidth()
	line, sub := v.top, v.sub
	for row := range ch {
		if row > 0 {
			b.WriteByte('\n')
		}
		if line >= v.len() {
			b.WriteString(strings.Repeat(" ", v.w))
			continue
		}
		if gw > 0 {
			num := ""
			if sub == 0 {
				num = strconv.Itoa(line + 1)
			}
			b.WriteString(p.open[clsMuted] + strings.Repeat(" ", gw-1-len(num)) + num + " " + p.close[clsMuted])
		}
		if v.wrap {
			from, js, _ := v.row(line, sub)
			to, _, more := v.row(line, sub+1)
			if !more {
				to = len(v.lines.Line(line))
			}
			v.drawRow(&b, p, line, from, to, 0, js, false, cw)
			if sub++; !more {
				line, sub = line+1, 0
			}
			continue
		}
		from, cell, js := v.seek(line, v.xoff)
		// A wide glyph or a tab cut by the left edge leaves a gap; a line
		// that ends left of the screen leaves the row blank.
		gap := max(0, min(cell-v.xoff, cw))
		if cell < v.xoff {
			gap = cw
		}
		b.WriteString(strings.Repeat(" ", gap))
		if avail := cw - gap; avail > 0 {
			to, _, more := fitRow(v.lines.Line(line), from, cell, avail)
			v.drawRow(&b, p, line, from, to, cell, js, more, avail)
		}
		line++
	}
	if v.status && v.h >= 2 {
		b.WriteByte('\n')
		b.WriteString(st.Muted.Render(fit(v.statusText(line), v.w)))
	}
	return b.String()
}

// drawRow writes bytes [from, to) of line i, starting at column cell0 (for
// tab stops), coloured, then an ellipsis when more follows, padded to
// width cells.
func (v *Model) drawRow(b *strings.Builder, p *palette, i, from, to, cell0 int, js uint8, more bool, width int) {
	line := v.lines.Line(i)
	if cap(v.cache.cls) < to-from {
		v.cache.cls = make([]uint8, to-from, max(to-from, 256))
	}
	cls := v.cache.cls[:to-from]
	clear(cls)
	if v.kind == "json" {
		classifyJSON(cls, line, from, to, js)
	}
	hits, first := v.hitsOn(i)
	for k, h := range hits {
		c := clsHit
		if first+k == v.current {
			c = clsHitCurrent
		}
		for o := max(h.Col, from); o < min(h.Col+h.Len, to); o++ {
			cls[o-from] = c
		}
	}
	cur := clsPlain
	cell := cell0
	for off := from; off < to; {
		c, n, w, kind := cls[off-from], 1, 1, gText
		if !isPlainASCII(line, off) {
			n, w, kind = glyphAt(line, off, cell)
		}
		if kind != gText && kind != gTab && c < clsHit {
			c = clsEscaped
		}
		if c != cur {
			b.WriteString(p.close[cur])
			b.WriteString(p.open[c])
			cur = c
		}
		if rest := width - (cell - cell0); w > rest {
			// Only a glyph alone on a row narrower than itself (a tab, a
			// \xNN, a wide rune on a tiny screen): draw what fits.
			w = max(rest, 0)
			if kind == gTab || w == 0 {
				b.WriteString(strings.Repeat(" ", w))
			} else {
				b.WriteString("…" + strings.Repeat(" ", w-1))
			}
		} else {
			writeGlyph(b, line[off:off+n], kind, w)
		}
		off += n
		cell += w
	}
	b.WriteString(p.close[cur])
	if more {
		b.WriteString(p.open[clsMuted] + "…" + p.close[clsMuted])
		cell++
	}
	if pad := width - (cell - cell0); pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
}

// writeGlyph draws one glyph; nothing that reaches the terminal from a body
// is a control character.
func writeGlyph(b *strings.Builder, g []byte, kind uint8, w int) {
	const hexDigits = "0123456789ABCDEF"
	switch kind {
	case gText:
		b.Write(g)
	case gTab:
		b.WriteString(strings.Repeat(" ", w))
	case gCtrl:
		if g[0] == 0x7F {
			b.WriteRune('␡')
		} else {
			b.WriteRune(0x2400 + rune(g[0])) // ␀ … ␟
		}
	case gByte:
		b.WriteString(`\x`)
		b.WriteByte(hexDigits[g[0]>>4])
		b.WriteByte(hexDigits[g[0]&0xF])
	case gRune:
		r, _ := utf8.DecodeRune(g)
		b.WriteString(runeEscape(r))
	}
}

// fit cuts plain text to w cells or pads it with spaces to exactly w (as
// ui.Fit does; ui imports this package, not the other way round).
func fit(s string, w int) string {
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(0, w-lipgloss.Width(s)))
}

// Status describes the position: "line 1234/5000000 · 24%", with the hit
// count and the column when scrolled sideways.
func (v *Model) Status() string {
	line, sub := v.top, v.sub
	for range v.contentHeight() {
		if line >= v.len() {
			break
		}
		if sub++; !v.hasRow(line, sub) {
			line, sub = line+1, 0
		}
	}
	return v.statusText(line)
}

// statusText builds the status from the first line below the screen.
func (v *Model) statusText(below int) string {
	n := v.len()
	var parts []string
	if v.note != "" {
		parts = append(parts, v.note)
	}
	if len(v.hits) > 0 {
		cur := "-"
		if v.current >= 0 {
			cur = strconv.Itoa(v.current + 1)
		}
		total := strconv.Itoa(len(v.hits))
		if v.more {
			total += "+"
		}
		parts = append(parts, "hit "+cur+"/"+total)
	}
	if !v.wrap && v.xoff > 0 {
		parts = append(parts, "col "+strconv.Itoa(v.xoff+1))
	}
	pct := 100
	if n > 0 {
		pct = min(below, n) * 100 / n
	}
	parts = append(parts, "line "+strconv.Itoa(min(v.top+1, n))+"/"+strconv.Itoa(n)+" · "+strconv.Itoa(pct)+"%")
	// Short of room, the position matters most: drop the rest first.
	for len(parts) > 1 && lipgloss.Width(strings.Join(parts, " · ")) > v.w {
		parts = parts[1:]
	}
	s := strings.Join(parts, " · ")
	if w := lipgloss.Width(s); w < v.w {
		s = strings.Repeat(" ", v.w-w) + s
	}
	return s
}
