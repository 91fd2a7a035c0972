package model

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/ui"
)

const (
	// wideLayout is the width from which request and response stand side
	// by side; below it one of them shows at a time.
	wideLayout = 120
	// The smallest screen keyhole lays out; below it, a note says so.
	minWidth, minHeight = 60, 16
	// Before the first WindowSizeMsg the size is unknown: draw for the
	// smallest common terminal.
	defaultWidth, defaultHeight = 80, 24
	topHeight                   = 8
)

// layout is the size of every pane, frames included.
type layout struct {
	w, h            int
	provW, tokW     int
	topH, bottomH   int
	reqW, respW     int
	single          bool // one bottom pane at a time
	bodyH, contentW int
}

func (m *Model) layout() layout {
	w, h := m.width, m.height
	if w == 0 || h == 0 {
		w, h = defaultWidth, defaultHeight
	}
	l := layout{w: w, h: h, topH: topHeight}
	l.provW = min(28, max(18, w/5))
	l.tokW = w - l.provW
	l.bottomH = max(4, h-2-l.topH)
	if w >= wideLayout {
		l.reqW = w * 9 / 20
		l.respW = w - l.reqW
	} else {
		l.single = true
		l.reqW, l.respW = w, w
	}
	return l
}

// resize hands every component its size; WindowSizeMsg calls it (and
// New, for the first frame).
func (m *Model) resize() {
	l := m.layout()
	m.list.SetSize(l.provW-2, l.topH-2)
	m.tokenPane.SetSize(l.tokW-4, l.topH-2)
	m.composer.SetSize(l.reqW-2, l.bottomH-2)
	for _, p := range m.popups {
		l.sizePopup(p)
	}
}

// sync hands every component what it draws — the model's state mapped onto
// ui, masked and made safe to draw. It runs at the end of every Update
// (and in New, for the first frame), so that View only draws and Update
// works on what is drawn (a click on a scrolled list finds its row).
func (m *Model) sync() {
	m.syncList()
	m.list.SetFocused(m.focus == paneProviders)
	m.tokenPane.SetView(m.tokenView())
	m.syncComposer()
	m.syncInspector()
	m.syncSignIn()
}

// View implements tea.Model.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "keyhole"
	// Cell motion reports clicks and the wheel; terminals still select
	// text with shift held.
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func (m *Model) render() string {
	l := m.layout()
	if l.w < minWidth || l.h < minHeight {
		return fmt.Sprintf("keyhole needs at least %d×%d; this terminal is %d×%d.\nEnlarge it, or press q to quit.", minWidth, minHeight, l.w, l.h)
	}
	st := m.styles
	header := m.header(l.w)
	var body string
	if p := m.popups.top(); p != nil && p.kind == popHelp {
		body = ui.Box(st, p.Title(), p.View(), l.w, l.h-2, true)
	} else {
		top := lipgloss.JoinHorizontal(lipgloss.Top,
			ui.Box(st, "Providers", m.list.View(), l.provW, l.topH, m.focus == paneProviders),
			ui.Box(st, "Token", m.tokenPane.View(), l.tokW, l.topH, m.focus == paneToken),
		)
		body = top + "\n" + m.bottom(l)
	}
	return header + "\n" + body + "\n" + m.footer(l.w)
}

// bottom draws the request and response panes, side by side or one of
// them, as the width allows; or the popup drawn in their place.
func (m *Model) bottom(l layout) string {
	st := m.styles
	if p := m.popups.bottom(); p != nil {
		return ui.Box(st, p.Title(), p.View(), l.w, l.bottomH, true)
	}
	req := func(w int, title string) string {
		return ui.Box(st, title, m.composer.View(), w, l.bottomH, m.focus == paneRequest)
	}
	resp := func(w int, title string) string {
		return ui.Box(st, title, m.insp.View(), w, l.bottomH, m.focus == paneResponse)
	}
	respTitle := m.responseTitle()
	if m.op != nil && m.op.shown {
		// Until an answer comes, the chosen operation is described beside
		// the composer.
		resp = func(w int, title string) string {
			return ui.Box(st, title, m.opView(w-2), w, l.bottomH, m.focus == paneResponse)
		}
		respTitle = "Operation · ↑/↓ scroll · esc: the last answer"
	}
	reqTitle := m.requestTitle()
	if !l.single {
		return lipgloss.JoinHorizontal(lipgloss.Top, req(l.reqW, reqTitle), resp(l.respW, respTitle))
	}
	if m.lastBottom == paneResponse {
		return resp(l.w, respTitle+" · shift+tab: Request")
	}
	return req(l.w, reqTitle+" · tab: Response")
}

// syncComposer gives the composer what it shows beside its fields: the
// line the token rides on, the request as last sent, whether its body
// parses, and each field as drawn while not typed in (masked).
func (m *Model) syncComposer() {
	c := &m.composer
	c.SetContext(m.authPreview(), m.sentLines(), m.focus == paneRequest)
	c.SetNote(bodyNote(c.Value(ui.FieldHeaders), c.Value(ui.FieldBody)))
	for _, f := range []ui.Field{ui.FieldPath, ui.FieldQuery, ui.FieldHeaders, ui.FieldBody} {
		v := c.Value(f)
		masked := m.composerMask(f, v)
		if masked == v {
			masked = ""
		}
		c.SetMasked(f, masked)
	}
}

// sentLines is the last request as it went out, masked per the switch —
// the provider's own secrets typed into any header or parameter too, as
// the composer and the history mask them — each line made safe to draw
// (a header may come from the config).
func (m *Model) sentLines() []string {
	if m.ex == nil || m.ex.Sent.URL == nil {
		return nil
	}
	lines := m.ex.Sent.Lines(!m.redact)
	for i, l := range lines {
		lines[i] = termtext.Line(m.insp.maskShown(l))
	}
	return lines
}

func (m *Model) header(w int) string {
	st := m.styles
	left := " " + st.HeaderMark.Render("keyhole") + "  " + st.Muted.Render(termtext.Line(m.opts.Label))
	var flags []string
	if badge := m.envBadge(); badge != "" {
		flags = append(flags, badge)
	}
	if m.opts.Demo {
		flags = append(flags, "demo")
	}
	if m.redact {
		flags = append(flags, "redacted")
	} else {
		flags = append(flags, st.Bad.Render("SECRETS SHOWN"))
	}
	right := strings.Join(flags, " · ") + " "
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 && m.env != nil && m.env.Name != "" {
		// The environment is never cut off: the config's label is.
		left = ui.Fit(left, max(0, w-lipgloss.Width(right)-1))
		gap = w - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return ui.Fit(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// footer is the status line: the keys of the popup on top, or of the
// mode; "typing" when printable keys go to an input; the notice.
func (m *Model) footer(w int) string {
	bindings := m.keys.ShortHelp()
	mode := ""
	if m.typing() {
		bindings = m.keys.TypingHelp()
		mode = m.styles.Warn.Render("typing") + " "
	}
	if p := m.popups.top(); p != nil {
		bindings = p.ShortHelp()
	}
	line := " " + mode
	if m.notice != "" {
		// A notice often quotes an error, and so a server.
		line += m.styles.Warn.Render(termtext.Line(m.notice)) + "  "
	}
	return ui.Fit(line+m.help.Short(bindings, max(10, w-lipgloss.Width(line)-1)), w)
}
