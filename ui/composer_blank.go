package ui

import "charm.land/bubbles/v2/textarea"

// blankView is an empty text area as Bubbles draws it — its placeholder
// over its rows — kept for the area's size and theme. The textarea draws
// it anew on every View (the body's rows cost most of a redraw of the
// whole screen), while an empty field not typed in looks the same until
// its size or the theme changes.
type blankView struct {
	w, h int
	dark bool
	text string
}

// keep draws a once while it is empty and not typed in, unless what is
// kept is already drawn at a's size and theme.
func (b *blankView) keep(a *textarea.Model, dark, typing bool) {
	if typing || a.Value() != "" || b.fits(a, dark) {
		return
	}
	*b = blankView{w: a.Width(), h: a.Height(), dark: dark, text: a.View()}
}

// fits reports whether what is kept is a drawn at its size and theme.
func (b *blankView) fits(a *textarea.Model, dark bool) bool {
	return b.text != "" && b.w == a.Width() && b.h == a.Height() && b.dark == dark
}

// view is a as drawn: what is kept when a is empty and it fits, else
// a's own drawing.
func (b *blankView) view(a *textarea.Model, dark bool) string {
	if a.Value() == "" && b.fits(a, dark) {
		return b.text
	}
	return a.View()
}

// keepBlanks keeps the empty text areas' drawings; relayout and SetStyles
// call it, after anything that changes them.
func (c *Composer) keepBlanks() {
	if c.w == 0 {
		return // not sized yet: a drawing now would be thrown away
	}
	for i, a := range []*textarea.Model{&c.query, &c.headers, &c.body} {
		c.blanks[i].keep(a, c.st.IsDark, c.typing && c.Field == FieldQuery+Field(i))
	}
}

// blankOr draws the i-th text area (query, headers, body), a: its kept
// empty drawing when that is what it shows and fits, else a's own. The
// area typed in is always a's own (its cursor).
func (c *Composer) blankOr(i int, a *textarea.Model) func() string {
	return func() string {
		if c.typing && c.Field == FieldQuery+Field(i) {
			return a.View()
		}
		return c.blanks[i].view(a, c.st.IsDark)
	}
}
