package cli

import (
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/internal/termtext"
)

const (
	itemIndent   = 4  // where a section's items start
	columnGap    = 2  // between an item and its description
	minTextWidth = 24 // a description narrower than this goes under its item
	underIndent  = 8  // where a description under its item starts
)

// helpPrinter writes help's lines.
type helpPrinter struct {
	w     io.Writer
	s     helpStyles
	width int
}

// line writes one line of help, without what trails it.
func (h helpPrinter) line(s string) {
	_, _ = io.WriteString(h.w, strings.TrimRight(s, " \t")+"\n")
}

// text writes a command's long description, indented. A paragraph too
// wide for the width is filled again to it; an indented line (an example,
// a list) that is too wide is wrapped on its own.
func (h helpPrinter) text(s string) {
	s = strings.ReplaceAll(termtext.Text(strings.TrimSpace(s)), "\t", "    ")
	if s == "" {
		return
	}
	width := h.width - columnGap
	for _, para := range strings.Split(s, "\n\n") {
		h.line("")
		lines := strings.Split(para, "\n")
		if fits(lines, width) || indented(lines) {
			for _, l := range lines {
				for _, part := range wrap(l, width) {
					h.line("  " + part)
				}
			}
			continue
		}
		for _, part := range wrap(strings.Join(lines, " "), width) {
			h.line("  " + part)
		}
	}
}

// fits reports whether every one of lines is at most width wide.
func fits(lines []string, width int) bool {
	for _, l := range lines {
		if ansi.StringWidth(l) > width {
			return false
		}
	}
	return true
}

// indented reports whether any of lines starts with a space: a block laid
// out by hand, not prose to fill.
func indented(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, " ") {
			return true
		}
	}
	return false
}

// section writes a titled block of lines; one with no lines is left out.
func (h helpPrinter) section(title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	h.line("")
	h.line("  " + h.s.title.Render(strings.ToUpper(title)))
	h.line("")
	for _, l := range lines {
		h.line(l)
	}
}

// row is an item of a section: a command or a flag, what it does, and
// the flag's default.
type row struct{ key, text, def string }

// keyWidth is the width of the widest key of rows.
func keyWidth(rows []row) int {
	w := 0
	for _, r := range rows {
		w = max(w, ansi.StringWidth(r.key))
	}
	return w
}

// columns lays rows out in two columns: the keys, keyWidth wide, styled
// with key (a key's leading spaces left plain); and their texts, wrapped
// to the width, a default dimmed at the end and never broken. Where the
// width leaves a text less than minTextWidth beside its key (a narrow
// terminal), each text goes under its key instead, wrapped to the width:
// lines wider than the terminal would be broken by it across the keys'
// column. Under, every key starts at the section's indent.
func (h helpPrinter) columns(rows []row, keyWidth int, key lipgloss.Style) []string {
	textWidth := h.width - itemIndent - keyWidth - columnGap
	pad := strings.Repeat(" ", itemIndent+keyWidth+columnGap)
	under := textWidth < minTextWidth
	if under {
		pad = strings.Repeat(" ", underIndent)
		textWidth = max(h.width-underIndent, 1)
	}
	var out []string
	for _, r := range rows {
		name := strings.TrimLeft(r.key, " ")
		var first string
		if under {
			// A key's leading spaces line the long flags up with those
			// after a shorthand; under, they would line it up with texts.
			out = append(out, strings.Repeat(" ", itemIndent)+key.Render(name))
			first = pad
		} else {
			first = strings.Repeat(" ", itemIndent+len(r.key)-len(name)) + key.Render(name) +
				strings.Repeat(" ", keyWidth-ansi.StringWidth(r.key)+columnGap)
		}
		lines := strings.Split(r.text, "\n")
		var parts []string
		for i, l := range lines {
			words := strings.Fields(l)
			if i == len(lines)-1 && r.def != "" {
				words = append(words, r.def)
			}
			parts = append(parts, fill("", words, textWidth)...)
		}
		for i, p := range parts {
			if i == len(parts)-1 && r.def != "" {
				p = strings.TrimSuffix(p, r.def) + h.s.dim.Render(r.def)
			}
			switch {
			case i == 0 && under && p == "":
				// no text: the key's line says it all
			case i == 0:
				out = append(out, first+p)
			default:
				out = append(out, pad+p)
			}
		}
	}
	return out
}

// wrap breaks s at its spaces into lines no wider than width, keeping its
// leading indent on each; a line that fits is returned as it is.
func wrap(s string, width int) []string {
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	body := strings.TrimLeft(s, " ")
	return fill(s[:len(s)-len(body)], strings.Fields(body), width)
}

// fill lays words out in lines no wider than width, each starting with
// indent; a word wider than that gets a line of its own.
func fill(indent string, words []string, width int) []string {
	var lines []string
	cur := ""
	for _, word := range words {
		if cur != "" && ansi.StringWidth(indent+cur+" "+word) > width {
			lines = append(lines, indent+cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	return append(lines, indent+cur)
}
