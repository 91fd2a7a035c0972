package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// PickerPart is a piece of a picker row drawn in a look of its own.
type PickerPart struct {
	Text string
	Look Look
	// Width pads the piece to this many columns when drawn (a method,
	// so that the paths line up); the filter does not see the padding.
	Width int
	// Prefix is drawn before the text, muted, and not matched: a
	// separator ("· " before a tag, so that it does not read as the end
	// of the summary).
	Prefix string
	// Name marks the row's name (an operationId, a saved request's): a
	// ranker may match the filter's words typed together against it.
	Name bool
}

// Look is how a piece of text is drawn.
type Look int

// The looks.
const (
	LookPlain  Look = iota
	LookMuted       // an id, a tag: there to match, not to read first
	LookMethod      // an HTTP method, in its colour (MethodStyle)
)

// MethodStyle is the colour of an HTTP method: reading green, writing
// yellow, replacing blue, deleting red.
func (st *Styles) MethodStyle(method string) lipgloss.Style {
	switch strings.ToUpper(method) {
	case "GET", "HEAD", "OPTIONS":
		return st.Good.Bold(true)
	case "POST":
		return st.Warn.Bold(true)
	case "PUT", "PATCH":
		return st.Info.Bold(true)
	case "DELETE":
		return st.Bad.Bold(true)
	}
	return st.Method
}

// partsRow draws an item's parts, text being their join, the bytes in
// marked underlined as the filter's matches. A run of one look is drawn
// at once.
func (p *Picker) partsRow(it PickerItem, text string, marked map[int]bool, base lipgloss.Style) string {
	var b strings.Builder
	at := 0
	for i, pt := range it.Parts {
		if i > 0 {
			b.WriteString(" ")
			at++
		}
		look := base
		switch pt.Look {
		case LookMuted:
			look = p.st.Muted
		case LookMethod:
			look = p.st.MethodStyle(pt.Text)
		}
		if pt.Prefix != "" {
			b.WriteString(p.st.Muted.Render(pt.Prefix))
		}
		hit := p.st.Key.Underline(true)
		end := at + len(pt.Text)
		start := at
		for j := at; j < end; j++ {
			if j > start && marked[j] != marked[start] {
				b.WriteString(pick(marked[start], hit, look).Render(text[start:j]))
				start = j
			}
		}
		if start < end {
			b.WriteString(pick(marked[start], hit, look).Render(text[start:end]))
		}
		if pad := pt.Width - lipgloss.Width(pt.Prefix+pt.Text); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		at = end
	}
	return b.String()
}

func pick(cond bool, yes, no lipgloss.Style) lipgloss.Style {
	if cond {
		return yes
	}
	return no
}
