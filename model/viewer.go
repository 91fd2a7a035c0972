package model

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/share"
	"github.com/keyhole-sh/keyhole/ui"
)

// ViewerOptions configure the model of one viewer of a shared session.
type ViewerOptions struct {
	// Presenter names whose session it is (user@host).
	Presenter string
	// Theme is "dark" or "light" to force one; "" follows the viewer's
	// terminal.
	Theme string
}

// Viewer is the model of one viewer's program (keyhole share): it draws
// the frames the presenter publishes (share.SnapshotMsg carrying a
// *frame), at the viewer's own size and in its terminal's colours. It
// builds no provider, session or store: what it draws is the presenter's,
// already masked. Its keys move, scroll and search its own copy — which
// detaches it from the presenter until F — and nothing else.
type Viewer struct {
	opts  ViewerOptions
	keys  ui.ViewerKeyMap
	pkeys *ui.KeyMap // what the presenter's components are built with
	panes

	width, height int
	f             *frame
	follow        bool
	focus         pane
	lastBottom    pane
	// seenFocus is the presenter's focus as last adopted: a narrow viewer
	// shows the bottom pane the presenter last moved to, and the response
	// after each send.
	seenFocus  pane
	seenBottom pane

	req reqFrame
	// shown is the response the response pane was last given, so that a
	// frame with the same one keeps the viewer's own place.
	shown respFrame

	// ownHelp is the viewer's help; search its prompt, open on / .
	ownHelp *ui.TextPopup
	search  *ui.Prompt
}

// NewViewer makes a viewer's model, first being the latest frame the
// presenter published (nil before one).
func NewViewer(opts ViewerOptions, first any) *Viewer {
	st := ui.NewStyles(opts.Theme != "light")
	pkeys := ui.DefaultKeyMap()
	v := &Viewer{
		opts: opts, keys: ui.DefaultViewerKeyMap(), pkeys: &pkeys,
		panes:  newPanes(&st, &pkeys),
		follow: true,
	}
	v.insp.redact = true
	v.resize()
	if f, ok := first.(*frame); ok {
		v.adopt(f)
	}
	return v
}

// Init asks the viewer's terminal for its background colour.
func (v *Viewer) Init() tea.Cmd {
	if v.opts.Theme == "" || v.opts.Theme == "auto" {
		return tea.RequestBackgroundColor
	}
	return nil
}

// Update implements tea.Model.
func (v *Viewer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case share.SnapshotMsg:
		if f, ok := msg.Snapshot.(*frame); ok {
			v.adopt(f)
		}
	case tea.WindowSizeMsg:
		v.width, v.height = msg.Width, msg.Height
		v.resize()
	case tea.BackgroundColorMsg:
		if v.opts.Theme == "" || v.opts.Theme == "auto" {
			v.setStyles(ui.NewStyles(msg.IsDark()))
		}
	case searchMsg:
		v.insp.onSearch(msg)
	case tea.KeyPressMsg:
		return v, v.onKey(msg)
	case tea.MouseMsg:
		return v, v.onMouse(msg)
	}
	return v, nil
}

// onMouse: as on the presenter's screen, a click focuses the pane under
// the pointer (and puts the list's cursor on a row) and the wheel scrolls
// what is under it; either makes the view the viewer's own, as a key does.
// The help takes the wheel while it is open.
func (v *Viewer) onMouse(msg tea.MouseMsg) tea.Cmd {
	if v.ownHelp != nil {
		v.ownHelp.Update(msg)
		return nil
	}
	mouse := msg.Mouse()
	p, ok := paneIn(v.layout(), v.lastBottom, mouse.X, mouse.Y)
	if !ok || v.search != nil {
		return nil
	}
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft {
			v.detach()
			click(&v.list, v.setFocus, p, mouse.Y)
		}
	case tea.MouseWheelMsg:
		switch p {
		case paneResponse:
			v.detach()
			v.setFocus(paneResponse)
			return v.insp.view.Update(msg)
		case paneProviders:
			v.detach()
			v.setFocus(paneProviders)
			return v.list.Update(msg)
		}
	}
	return nil
}

// onKey takes a viewer's key: the help and the search prompt first, then
// the viewer's key map. No other key does anything.
func (v *Viewer) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	if v.search != nil {
		cmd := v.search.Update(msg)
		switch v.search.Result() {
		case ui.Done:
			v.search = nil
		case ui.Dismissed:
			v.search = nil
			return tea.Batch(cmd, v.insp.search(""))
		}
		if v.search != nil {
			return tea.Batch(cmd, v.insp.search(v.search.Value()))
		}
		return cmd
	}
	if v.ownHelp != nil {
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		v.ownHelp.Update(msg)
		if v.ownHelp.Result() != ui.Open {
			v.ownHelp = nil
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		v.ownHelp = ui.NewViewerHelpPopup(v.styles, v.keys)
		v.resize()
	case key.Matches(msg, k.Follow):
		v.follow = true
		if v.f != nil {
			v.adopt(v.f)
		}
	case key.Matches(msg, k.NextPane):
		v.detach()
		v.setFocus((v.focus + 1) % paneCount)
	case key.Matches(msg, k.PrevPane):
		v.detach()
		v.setFocus((v.focus + paneCount - 1) % paneCount)
	case key.Matches(msg, k.Search):
		v.detach()
		v.setFocus(paneResponse)
		p, cmd := ui.NewPrompt(v.styles, v.pkeys, "/", "search your copy", v.insp.query)
		v.search = p
		v.resize()
		return cmd
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.NextHit, k.PrevHit):
		// What a viewer scrolls is the response, unless they moved to the
		// provider list themselves (tab).
		if v.follow || v.focus != paneProviders {
			v.setFocus(paneResponse)
		}
		v.detach()
		if v.focus == paneProviders {
			return v.list.Update(msg)
		}
		return v.insp.view.Update(msg)
	}
	return nil
}

// detach stops following the presenter: the viewer's focus, scroll and
// search are its own until F.
func (v *Viewer) detach() { v.follow = false }

func (v *Viewer) setFocus(p pane) {
	v.focus = p
	if p == paneRequest || p == paneResponse {
		v.lastBottom = p
	}
	v.list.SetFocused(p == paneProviders)
	v.composer.SetContext(v.req.auth, v.req.sent, p == paneRequest)
}

// adopt draws frame f: its contents always; the presenter's focus, place
// and popups while following.
func (v *Viewer) adopt(f *frame) {
	v.f = f
	v.list.SetItems(f.items)
	v.list.SetActive(f.active)
	v.tokenPane.SetView(f.token)
	if f.req.reqText != v.req.reqText {
		v.composer.SetRequest(f.req.method, f.req.path, f.req.headers, f.req.body)
	}
	v.req = f.req
	v.composer.SetNote(f.req.note)
	answered := f.resp.ex != nil && f.resp.ex != v.shown.ex
	v.adoptResponse(f.resp)
	if v.follow {
		v.list.SetCursor(f.cursor)
		v.composer.Field = f.req.field
		moved := f.focus != v.seenFocus
		v.setFocus(f.focus)
		v.seenFocus = f.focus
		switch {
		case f.single:
			v.lastBottom = f.lastBottom
		case answered:
			v.lastBottom = paneResponse
		case moved && (f.focus == paneRequest || f.focus == paneResponse):
			v.lastBottom = f.focus
		default:
			v.lastBottom = v.seenBottom
		}
		v.seenBottom = v.lastBottom
		v.insp.view.GotoLine(f.resp.top)
		if f.resp.hits != nil {
			v.insp.onSearch(searchMsg{seq: v.insp.searchSeq, hits: f.resp.hits})
			v.insp.view.GotoLine(f.resp.top)
		}
	} else {
		v.setFocus(v.focus)
	}
	v.resize()
}

// adoptResponse gives the response pane the frame's response: a new one
// from the top, the same one where it stands (following: where the
// presenter's stands).
func (v *Viewer) adoptResponse(r respFrame) {
	in := &v.insp
	if r.ex != v.shown.ex || r.docs != v.shown.docs {
		in.reset(r.ex, r.docs, r.red, true)
		v.shown = respFrame{}
	}
	in.headers = r.headers
	if r.nowrap != in.nowrap {
		in.nowrap = r.nowrap
		in.view.SetWrap(!in.nowrap && (in.shown == nil || in.shown.Kind() != document.KindBinary))
	}
	if r.filtered != v.shown.filtered {
		top := in.view.TopLine()
		in.filter, in.filtered = r.filter, r.filtered
		in.shown = in.doc
		if r.filtered.masked != nil {
			in.shown = r.filtered.masked
		}
		in.showDoc()
		in.view.GotoLine(top)
	}
	in.raw = r.raw
	v.shown = respFrame{ex: r.ex, docs: r.docs, filtered: r.filtered}
}

// resize lays the components out for the viewer's terminal.
func (v *Viewer) resize() {
	l := v.layout()
	v.list.SetSize(l.provW-2, l.topH-2)
	v.tokenPane.SetSize(l.tokW-4, l.topH-2)
	v.composer.SetSize(l.reqW-2, l.bottomH-2)
	v.composer.SetContext(v.req.auth, v.req.sent, v.focus == paneRequest)
	v.insp.prompt = nil
	if v.search != nil {
		v.search.SetSize(l.respW-2, 1)
		v.insp.prompt = &popup{Popup: v.search, kind: popSearch}
	}
	v.insp.SetSize(l.respW-2, l.bottomH-2)
	if v.ownHelp != nil {
		v.ownHelp.SetSize(l.w-2, l.h-4)
	}
}

func (v *Viewer) layout() layout { return layoutFor(v.width, v.height) }

// View implements tea.Model.
func (v *Viewer) View() tea.View { return fullScreen(v.render(), "keyhole · watching") }

func (v *Viewer) render() string {
	l := v.layout()
	s := screen{
		st: v.styles, l: l, focus: v.focus, lastBottom: v.lastBottom,
		req:  func(int) string { return v.composer.View() },
		resp: func(int) string { return v.insp.View() },
	}
	if l.w < minWidth || l.h < minHeight {
		return draw(s)
	}
	s.header, s.footer = v.header(l.w), v.footer(l.w)
	f := v.f
	if f == nil {
		s.over = &boxed{title: "Watching", body: "Waiting for " + termtext.Line(v.opts.Presenter) + "'s screen…", prose: true}
		return draw(s)
	}
	s.reqTitle, s.respTitle = f.reqTitle, f.respTitle
	s.list, s.token = v.list.View(), v.tokenPane.View()
	switch {
	case v.ownHelp != nil:
		s.over = &boxed{title: v.ownHelp.Title(), body: v.ownHelp.View()}
	case v.follow && f.help:
		// The presenter's help, at this size: ? gives the viewer's own.
		p := ui.NewHelpPopup(v.styles, v.pkeys)
		p.SetSize(l.w-2, l.h-4)
		s.over = &boxed{title: "The presenter's help · ? for yours", body: p.View()}
	case v.follow && f.under != nil:
		var body string
		switch w, h := l.w-2, l.bottomH-2; {
		case f.under.relayout != nil:
			body = f.under.relayout(w, h)
		case f.under.prose:
			body = fold(f.under.body, w, h)
		default:
			body = cut(f.under.body, w, h)
		}
		s.under = &boxed{title: f.under.title, body: body}
	case f.signIn != "" && f.under != nil:
		s.under = f.under
	}
	if v.follow && f.op != nil {
		s.resp = func(w int) string { return cut(f.op.body, w-2, l.bottomH-2) }
		s.respTitle = f.op.title
	}
	return draw(s)
}

// cut fits text drawn for another size into w×h: lines cut at w, the
// first h kept.
func cut(text string, w, h int) string {
	lines := strings.Split(text, "\n")
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	for i, line := range lines {
		lines[i] = ansi.Truncate(line, w, "…")
	}
	return strings.Join(lines, "\n")
}

// fold fits text drawn for a wider screen into w×h as cut does, but wraps
// a long line rather than cutting it: the end of a sentence of the
// doctor's why is not lost to a narrower viewer.
func fold(text string, w, h int) string {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		lines = append(lines, strings.Split(ansi.Wrap(line, w, " "), "\n")...)
		if len(lines) >= h {
			break
		}
	}
	return cut(strings.Join(lines, "\n"), w, h)
}

// header says whose session this is and that it is read-only, and
// whether the viewer follows the presenter.
func (v *Viewer) header(w int) string {
	st := v.styles
	label := ""
	var flags []string
	if f := v.f; f != nil {
		label = f.label
		if badge := envBadge(st, f.env); badge != "" {
			flags = append(flags, badge)
		}
		if f.demo {
			flags = append(flags, "demo")
		}
	}
	mode := st.Info.Render("following")
	if !v.follow {
		mode = st.Warn.Render("your own view · F follows")
	}
	flags = append(flags, mode)
	left := " " + st.HeaderMark.Render("keyhole") + "  " + st.Bold.Render(termtext.Line(v.opts.Presenter)+"'s session · read-only") + "  " + st.Muted.Render(label)
	right := strings.Join(flags, " · ") + " "
	if gap := w - lipgloss.Width(left) - lipgloss.Width(right); gap >= 1 {
		return left + strings.Repeat(" ", gap) + right
	}
	left = ui.Fit(left, max(0, w-lipgloss.Width(right)-1))
	return ui.Fit(left+" "+right, w)
}

// footer is the viewer's keys and the presenter's notice.
func (v *Viewer) footer(w int) string {
	bindings := v.keys.ShortHelp()
	line := " "
	if v.search != nil {
		bindings = v.search.ShortHelp()
		line += v.styles.Warn.Render("typing") + " "
	}
	if v.f != nil && v.f.notice != "" {
		line += v.styles.Warn.Render(v.f.notice) + "  "
	}
	return ui.Fit(line+v.help.Short(bindings, max(10, w-lipgloss.Width(line)-1)), w)
}
