package model

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
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

// resize hands every component its size; only WindowSizeMsg calls it.
func (m *Model) resize() {
	l := m.layout()
	m.composer.SetSize(l.reqW-2, l.bottomH-2)
	m.paste.SetWidth(max(10, l.w-6))
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
	m.syncList()
	st := m.styles
	header := m.header(l.w)
	var body string
	if m.showHelp {
		lines := strings.Split(m.help.Full(st, m.keys, l.w-2), "\n")
		room := l.h - 4
		title := "Help"
		if len(lines) > room {
			// A small screen scrolls the help rather than cutting it.
			off := min(m.helpOffset, len(lines)-room)
			lines = lines[off:]
			title = "Help · ↑/↓ scroll"
		}
		body = ui.Box(st, title, strings.Join(lines, "\n"), l.w, l.h-2, true)
	} else {
		top := lipgloss.JoinHorizontal(lipgloss.Top,
			ui.Box(st, "Providers", m.list.View(st, l.provW-2, l.topH-2, m.focus == paneProviders), l.provW, l.topH, m.focus == paneProviders),
			ui.Box(st, "Token", m.tokenPane.View(st, m.tokenView(), l.tokW-4), l.tokW, l.topH, m.focus == paneToken),
		)
		body = top + "\n" + m.bottom(l)
	}
	return header + "\n" + body + "\n" + m.footer(l.w)
}

// bottom draws the request and response panes, side by side or one of
// them, as the width allows.
func (m *Model) bottom(l layout) string {
	st := m.styles
	if e := m.active(); e != nil && e.pending != nil {
		title := "Sign in · " + termtext.Line(e.name)
		if e.pending.Grant == providers.GrantDeviceCode {
			title += " · device code"
		}
		return ui.Box(st, title, m.signInView(e, l.w-2), l.w, l.bottomH, true)
	}
	if o := m.overlay; o != nil {
		return ui.Box(st, o.title+" · esc closes", o.text(m.redact), l.w, l.bottomH, true)
	}
	if m.hist != nil {
		return ui.Box(st, "History", m.historyList(l.w-2, l.bottomH-2), l.w, l.bottomH, true)
	}
	if m.saved != nil {
		return ui.Box(st, "Saved requests · "+termtext.Line(m.active().name), m.savedList(l.w-2, l.bottomH-2), l.w, l.bottomH, true)
	}
	req := func(w int, title string) string {
		_, _, headerText, bodyText := m.composer.Request()
		m.composer.BodyNote = bodyNote(headerText, bodyText)
		content := m.composer.View(st, m.authPreview(), m.sentLines(), m.focus == paneRequest, m.composerMask)
		return ui.Box(st, title, content, w, l.bottomH, m.focus == paneRequest)
	}
	resp := func(w int, title string) string {
		return ui.Box(st, title, m.responsePane(w-2, l.bottomH-2), w, l.bottomH, m.focus == paneResponse)
	}
	respTitle := m.responseTitle()
	if !l.single {
		return lipgloss.JoinHorizontal(lipgloss.Top, req(l.reqW, "Request"), resp(l.respW, respTitle))
	}
	if m.lastBottom == paneResponse {
		return resp(l.w, respTitle+" · shift+tab: Request")
	}
	return req(l.w, "Request · tab: Response")
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
		lines[i] = termtext.Line(m.maskShown(l))
	}
	return lines
}

func (m *Model) header(w int) string {
	st := m.styles
	left := " " + st.HeaderMark.Render("keyhole") + "  " + st.Muted.Render(termtext.Line(m.opts.Label))
	var flags []string
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
	if gap < 1 {
		return ui.Fit(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) footer(w int) string {
	bindings := m.keys.ShortHelp()
	mode := ""
	if m.typing() {
		bindings = m.keys.TypingHelp()
		mode = m.styles.Warn.Render("typing") + " "
	}
	line := " " + mode
	if m.notice != "" {
		// A notice often quotes an error, and so a server.
		line += m.styles.Warn.Render(termtext.Line(m.notice)) + "  "
	}
	return ui.Fit(line+m.help.Short(bindings, max(10, w-lipgloss.Width(line)-1)), w)
}
