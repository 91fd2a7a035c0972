package model

import (
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
	w, h          int
	provW, tokW   int
	topH, bottomH int
	reqW, respW   int
	single        bool // one bottom pane at a time
}

func (m *Model) layout() layout { return layoutFor(m.width, m.height) }

// tooSmall reports whether the screen is too small to draw anything but
// "enlarge it, or press q to quit": no key but q, no paste and no click
// reaches the panes and inputs it does not draw.
func (m *Model) tooSmall() bool {
	l := m.layout()
	return l.w < minWidth || l.h < minHeight
}

// layoutFor lays a w×h terminal out; 0×0 is not known yet.
func layoutFor(w, h int) layout {
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
func (m Model) View() tea.View { return fullScreen(m.render(), "keyhole") }

func (m *Model) render() string {
	l := m.layout()
	s := screen{
		st: m.styles, l: l, focus: m.focus, lastBottom: m.lastBottom,
		reqTitle: m.requestTitle(), respTitle: m.responseTitle(),
		req:  func(int) string { return m.composer.View() },
		resp: func(int) string { return m.insp.View() },
	}
	if l.w < minWidth || l.h < minHeight {
		return draw(s)
	}
	s.header, s.footer = m.header(l.w), m.footer(l.w)
	if p := m.popups.top(); p != nil && p.kind == popHelp {
		s.over = &boxed{title: p.Title(), body: p.View()}
		return draw(s)
	}
	s.list, s.token = m.list.View(), m.tokenPane.View()
	s.listTitle = providersTitle(&m.list)
	if p := m.popups.bottom(); p != nil {
		s.under = &boxed{title: p.Title(), body: p.View()}
	}
	if m.op != nil && m.op.shown {
		// Until an answer comes, the chosen operation is described beside
		// the composer.
		s.resp = func(w int) string { return m.opView(w - 2) }
		s.respTitle = "Operation · ↑/↓ scroll · esc: the last answer"
	}
	return draw(s)
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
	if mark := m.sharingFlag(); mark != "" {
		flags = append(flags, mark)
	}
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
	if gap < 1 && (m.opts.Share != nil || m.env != nil && m.env.Name != "" || !m.redact) {
		// The environment, the sharing mark and SECRETS SHOWN are never
		// cut off: the config's label is. (On a narrow screen the
		// secrets stood revealed with nothing saying so.)
		if lipgloss.Width(right)+1 >= w {
			// The flags alone are wider than the screen (shared, in an
			// environment with a long name): they go without the label,
			// redaction's flag (SECRETS SHOWN) first, then the sharing
			// mark and the environment, cut at the end.
			last := len(flags) - 1
			flags = append([]string{flags[last]}, flags[:last]...)
			return ui.Fit(" "+strings.Join(flags, " · "), w)
		}
		left = ui.Fit(left, w-lipgloss.Width(right)-1)
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
	if m.focus == paneRequest || m.focus == paneResponse {
		bindings = m.keys.ExchangeHelp()
	}
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

// providersTitle is the Providers pane's title, with ↑ and ↓ where
// providers are scrolled out of the pane: with more than it shows, the
// ones below (or above) were out of sight with nothing saying so.
func providersTitle(l *ui.ProviderList) string {
	title := "Providers"
	above, below := l.More()
	if above || below {
		title += " "
	}
	if above {
		title += "↑"
	}
	if below {
		title += "↓"
	}
	return title
}
