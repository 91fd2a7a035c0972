package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Box draws body inside a frame of exactly w×h cells, the title set into
// the top edge ("┌ Token ───┐"). Body lines are cut or padded to fit, so a
// pane never pushes its neighbours.
func Box(st *Styles, title, body string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return ""
	}
	border, titleStyle := st.Border, st.Title
	if focused {
		border, titleStyle = st.BorderFocused, st.TitleFocused
	}
	inner := w - 2
	title = ansi.Truncate(title, max(0, inner-3), "…")
	var b strings.Builder
	b.WriteString(border.Render("┌"))
	fill := inner
	if title != "" {
		b.WriteString(" " + titleStyle.Render(title) + " ")
		fill -= lipgloss.Width(title) + 2
	}
	b.WriteString(border.Render(strings.Repeat("─", max(0, fill)) + "┐"))
	lines := strings.Split(body, "\n")
	side := border.Render("│")
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString("\n" + side + Fit(line, inner) + side)
	}
	b.WriteString("\n" + border.Render("└"+strings.Repeat("─", inner)+"┘"))
	return b.String()
}

// Fit cuts s to w cells or pads it with spaces to exactly w.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - lipgloss.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// FitList joins items with sep, as many whole ones as fit in w cells, from
// the first: a list of keys that would be cut mid-word loses its last
// items instead. The first item is cut to w when even it does not fit.
func FitList(items []string, sep string, w int) string {
	if len(items) == 0 {
		return ""
	}
	out := items[0]
	for _, it := range items[1:] {
		next := out + sep + it
		if lipgloss.Width(next) > w {
			break
		}
		out = next
	}
	if lipgloss.Width(out) > w {
		return ansi.Truncate(out, w, "…")
	}
	return out
}
