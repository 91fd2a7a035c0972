package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Help renders the footer and the full help from the key map.
type Help struct {
	m help.Model
}

// NewHelp builds the help renderer for the given styles.
func NewHelp(st Styles) Help {
	h := Help{m: help.New()}
	h.SetStyles(st)
	return h
}

// SetStyles applies light or dark help styles.
func (h *Help) SetStyles(st Styles) { h.m.Styles = help.DefaultStyles(st.IsDark) }

// Short draws one line of bindings in w columns. Where they do not all
// fit, bindings are left out from the right, but not ? (the help, where
// every one is listed), q, ctrl+c or esc: a narrow screen shows fewer
// keys rather than cutting the way out. It changes nothing: the width is set on a
// copy.
func (h Help) Short(bindings []key.Binding, w int) string {
	m := h.m
	for lipgloss.Width(m.ShortHelpView(bindings)) > w {
		i := lastOptional(bindings)
		if i < 0 {
			break
		}
		bindings = append(bindings[:i:i], bindings[i+1:]...)
	}
	m.SetWidth(w)
	return m.ShortHelpView(bindings)
}

// lastOptional is the index of the last binding a short line may leave
// out, -1 when only the help, quit and close bindings are left.
func lastOptional(bindings []key.Binding) int {
	for i := len(bindings) - 1; i >= 0; i-- {
		if !slices.ContainsFunc(bindings[i].Keys(), func(k string) bool { return k == "?" || k == "q" || k == "ctrl+c" || k == "esc" }) {
			return i
		}
	}
	return -1
}

// Full draws every binding of km, grouped, flowing into as many columns as
// w allows, so the whole key map fits small terminals too.
func (h *Help) Full(st Styles, km KeyMap, w int) string {
	return h.Groups(st, km.HelpGroups(), "Browsing: single keys act. Typing: keys go to the field; ctrl-keys and esc act.", w)
}

// Groups draws the bindings of groups under intro, as Full does; a
// binding that is switched off (W while nothing is shared) is left out.
func (h *Help) Groups(st Styles, groups []HelpGroup, intro string, w int) string {
	var blocks [][]string // each group: its title, then its lines
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Bindings {
			keyW = max(keyW, lipgloss.Width(b.Help().Key))
		}
	}
	colW := 0
	for _, g := range groups {
		block := []string{st.Bold.Render(g.Title)}
		for _, b := range g.Bindings {
			if !b.Enabled() {
				continue
			}
			hb := b.Help()
			line := st.Key.Render(Fit(hb.Key, keyW)) + "  " + hb.Desc
			colW = max(colW, lipgloss.Width(line))
			block = append(block, line)
		}
		blocks = append(blocks, block)
	}
	colW += 3
	cols := max(1, min(len(blocks), w/colW))
	// The groups, whole and in order, in at most cols columns, the
	// tallest as short as it can be: the least height that packing
	// column by column fits in cols. (Filling to an average height let
	// one group more tip the rest into the last column.)
	pack := func(limit int) [][]string {
		var columns [][]string
		var cur []string
		for _, b := range blocks {
			if len(cur) > 0 && len(cur)+1+len(b) > limit {
				columns = append(columns, cur)
				cur = nil
			}
			if len(cur) > 0 {
				cur = append(cur, "")
			}
			cur = append(cur, b...)
		}
		return append(columns, cur)
	}
	rows := 0
	for _, b := range blocks {
		rows = max(rows, len(b))
	}
	columns := pack(rows)
	for len(columns) > cols {
		rows++
		columns = pack(rows)
	}
	var out []string
	out = append(out, st.Muted.Render(ansi.Wordwrap(intro, w, " ")), "")
	for r := 0; r < rows; r++ {
		var line strings.Builder
		for _, c := range columns {
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			line.WriteString(Fit(cell, colW))
		}
		out = append(out, strings.TrimRight(line.String(), " "))
	}
	out = append(out, "", st.Muted.Render(Fit("esc or ? closes this help.", w)))
	return strings.Join(out, "\n")
}
