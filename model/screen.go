package model

import (
	"cmp"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/ui"
)

// screen is one frame in parts, as draw lays them out: the presenter's
// model fills one from its components, and so does each viewer of a
// shared session from its own copies, at its own size.
type screen struct {
	st             *ui.Styles
	l              layout
	header, footer string
	focus          pane
	// lastBottom is the bottom pane shown when only one fits.
	lastBottom pane
	list       string
	// listTitle is the Providers pane's title, with arrows where
	// providers are scrolled out of it; "" is the plain title.
	listTitle string
	token     string
	// over is drawn over every pane (the help), under is drawn where the
	// request and response stand; nil when there is none.
	over, under *boxed
	// req and resp draw the bottom panes' contents for a pane w wide,
	// frame included.
	req, resp           func(w int) string
	reqTitle, respTitle string
}

// fullScreen is a frame as the presenter's screen and a viewer's both
// show it: on the alternate screen, under the window title, with clicks
// and the wheel reported (cell motion: terminals still select text with
// shift held).
func fullScreen(content, title string) tea.View {
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = title
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

// boxed is a popup as draw frames it. prose says its body is text a
// narrower viewer may wrap (claims, an introspection answer, the doctor's
// why) rather than cut: a table (the picker) is cut.
type boxed struct {
	title, body string
	prose       bool
	// relayout, when set, draws the body again for another size: a
	// viewer narrower or shorter than the presenter gets the presenter's
	// picker laid out for its screen, its cursor's row and its count in
	// view, rather than the presenter's cut. Safe to call from several
	// goroutines.
	relayout func(w, h int) string
}

// draw lays a screen out: the header, the Providers and Token panes, the
// Request and Response panes (side by side, or the one in view), the
// footer; or the popup drawn over them.
func draw(s screen) string {
	l, st := s.l, s.st
	if l.w < minWidth || l.h < minHeight {
		// Wrapped at words: on the narrowest terminals, the ones this
		// is for, a cut line lost the terminal's own size.
		msg := fmt.Sprintf("keyhole needs at least %d×%d; this terminal is %d×%d.\nEnlarge it, or press q to quit.", minWidth, minHeight, l.w, l.h)
		return ansi.Wrap(msg, max(1, l.w), "")
	}
	var body string
	if s.over != nil {
		body = ui.Box(st, s.over.title, s.over.body, l.w, l.h-2, true)
	} else {
		top := lipgloss.JoinHorizontal(lipgloss.Top,
			ui.Box(st, cmp.Or(s.listTitle, "Providers"), s.list, l.provW, l.topH, s.focus == paneProviders),
			ui.Box(st, "Token", s.token, l.tokW, l.topH, s.focus == paneToken),
		)
		body = top + "\n" + drawBottom(s)
	}
	return s.header + "\n" + body + "\n" + s.footer
}

func drawBottom(s screen) string {
	l, st := s.l, s.st
	if s.under != nil {
		return ui.Box(st, s.under.title, s.under.body, l.w, l.bottomH, true)
	}
	req := func(w int, title string) string {
		return ui.Box(st, title, s.req(w), w, l.bottomH, s.focus == paneRequest)
	}
	resp := func(w int, title string) string {
		return ui.Box(st, title, s.resp(w), w, l.bottomH, s.focus == paneResponse)
	}
	if !l.single {
		return lipgloss.JoinHorizontal(lipgloss.Top, req(l.reqW, s.reqTitle), resp(l.respW, s.respTitle))
	}
	if s.lastBottom == paneResponse {
		return resp(l.w, s.respTitle+" · shift+tab: Request")
	}
	return req(l.w, s.reqTitle+" · tab: Response")
}
