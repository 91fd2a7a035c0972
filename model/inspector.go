package model

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

// inspector is the response pane: the body as drawn, the toggles, the
// search and the filter. It keeps the component contract (ui.Component):
// the root gives it its keys and its size, and draws its View.
type inspector struct {
	st   *ui.Styles
	keys *ui.KeyMap
	w, h int // the pane's content area

	view    bodyview.Model
	doc     *document.Document // the whole body, pretty or raw, masked while redacting
	shown   *document.Document // doc, or the filter's result
	raw     bool               // p: the bytes as received
	headers bool               // h: response headers above the body
	nowrap  bool               // w: long lines cut instead of wrapped

	// docs and filtered are the body and the filter's result laid out
	// both ways (see docPair); doc and shown are picked from them.
	docs, filtered docPair
	// red knows the exchange's secrets: for the filter, p and the
	// headers. nil for an exchange reopened from history, which was
	// masked when it was written.
	red *secret.Redactor

	query        string
	hits         []document.Hit
	searchSeq    int
	searchCancel context.CancelFunc

	filter    string
	filterErr error
	filterSeq int

	docSeq int // bumps when the body changes, so a late document is dropped

	// ex is the exchange shown and resp its response (nil when there is
	// none), and redact the model's switch, as the inspector last heard
	// them. prompt is the pane's open prompt (search, filter, save to),
	// drawn on its last line: the root's popup stack holds it.
	ex     *exchange.Exchange
	resp   *exchange.Response
	redact bool
	prompt *popup
}

// The response pane keeps the component contract.
var _ ui.Component = (*inspector)(nil)

func newInspector(st *ui.Styles, keys *ui.KeyMap) inspector {
	return inspector{st: st, keys: keys, view: bodyview.New(&st.Body, keys.BodyKeys()), headers: true}
}

// setStyles draws the pane in other styles (the terminal's background).
func (in *inspector) setStyles(st *ui.Styles) {
	in.st = st
	in.view.SetStyles(&st.Body)
}

// docMsg is a body laid out off the UI loop.
type docMsg struct {
	seq  int
	docs docPair
}

// buildDocCmd formats a body off the UI loop, masked and not: a 50 MB
// body takes a noticeable fraction of a second.
func buildDocCmd(seq int, body []byte, contentType string, mode document.Mode, red *secret.Redactor) tea.Cmd {
	return func() tea.Msg {
		return docMsg{seq: seq, docs: buildDocs(body, contentType, mode, red)}
	}
}

type searchMsg struct {
	seq  int
	hits []document.Hit
}

// searchCmd searches doc for query; the hits it keeps when there are
// too many are those from line on (the top of the screen), where n goes
// first.
func searchCmd(ctx context.Context, seq int, doc *document.Document, query string, line int) tea.Cmd {
	return func() tea.Msg {
		return searchMsg{seq: seq, hits: doc.SearchFrom(ctx, query, true, line)}
	}
}

type filterMsg struct {
	seq  int
	docs docPair
	err  error
}

func filterCmd(seq int, body []byte, path string, red *secret.Redactor) tea.Cmd {
	return func() tea.Msg {
		docs, err := filterDocs(body, path, red)
		return filterMsg{seq: seq, docs: docs, err: err}
	}
}

// body is the response body in hand, or nil.
func (in *inspector) body() []byte {
	if in.resp == nil {
		return nil
	}
	return in.resp.Body
}

func (in *inspector) contentType() string {
	if in.resp == nil {
		return ""
	}
	return in.resp.Header.Get("Content-Type")
}

// newBody resets the response pane for the exchange shown (m.ex), whose
// documents, built in the send command, are docs (none when there is no
// body), and whose secrets red knows. A prompt was for the body it
// replaces: it closes.
func (m *Model) newBody(docs docPair, red *secret.Redactor) {
	m.insp.reset(m.ex, docs, red, m.redact)
	m.popups = m.popups.withoutKinds(popSearch, popFilter, popSave, popCapture)
}

// reset shows a new exchange.
func (in *inspector) reset(ex *exchange.Exchange, docs docPair, red *secret.Redactor, redact bool) {
	in.docSeq++
	if in.searchCancel != nil {
		in.searchCancel()
	}
	in.ex, in.resp, in.redact = ex, nil, redact
	if ex != nil {
		in.resp = ex.Response
	}
	in.docs, in.filtered, in.red = docs, docPair{}, red
	in.doc = docs.pick(redact)
	in.shown = in.doc
	in.query, in.hits, in.filter, in.filterErr = "", nil, "", nil
	in.raw = false
	in.showDoc()
}

// showDoc hands the document to the viewer with its note.
func (in *inspector) showDoc() {
	if in.shown == nil {
		in.view.Clear()
		return
	}
	in.view.SetDocument(in.shown, in.shown.Kind().String())
	// A hex dump is laid out in columns: wrapping it would break them.
	in.view.SetWrap(!in.nowrap && in.shown.Kind() != document.KindBinary)
	var notes []string
	if r := in.resp; r != nil && r.Truncated {
		notes = append(notes, "cut at "+document.HumanSize(r.Size)+": raise max_body to see more")
	}
	if n := in.shown.Note(); n != "" {
		notes = append(notes, n)
	}
	in.view.SetNote(strings.Join(notes, " · "))
	in.view.SetHits(nil, -1)
	in.view.SetMoreHits(false)
}

// onDoc shows a body laid out again (p), keeping the place.
func (in *inspector) onDoc(msg docMsg) tea.Cmd {
	if msg.seq != in.docSeq {
		return nil
	}
	top := in.view.TopLine()
	in.docs, in.filtered = msg.docs, docPair{}
	in.doc = msg.docs.pick(in.redact)
	in.shown = in.doc
	in.showDoc()
	in.view.GotoLine(top)
	return in.rerunSearch()
}

func (in *inspector) onSearch(msg searchMsg) {
	if msg.seq != in.searchSeq {
		return
	}
	in.hits = msg.hits
	hits := make([]bodyview.Hit, len(msg.hits))
	for i, h := range msg.hits {
		hits[i] = bodyview.Hit(h)
	}
	in.view.SetHits(hits, -1)
	in.view.SetMoreHits(len(hits) >= document.MaxHits)
	if len(hits) > 0 {
		in.view.GotoHit(in.view.NextHit(1))
	}
}

func (in *inspector) onFilter(msg filterMsg) tea.Cmd {
	if msg.seq != in.filterSeq {
		return nil
	}
	in.filterErr = msg.err
	if msg.err == nil {
		in.filtered = msg.docs
		in.shown = msg.docs.pick(in.redact)
		in.showDoc()
	}
	return in.rerunSearch()
}

// rerunSearch searches the shown document again for the current query.
func (in *inspector) rerunSearch() tea.Cmd {
	if in.searchCancel != nil {
		in.searchCancel()
		in.searchCancel = nil
	}
	in.searchSeq++
	if in.query == "" || in.shown == nil {
		in.hits = nil
		in.view.SetHits(nil, -1)
		in.view.SetMoreHits(false)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	in.searchCancel = cancel
	return searchCmd(ctx, in.searchSeq, in.shown, in.query, in.view.TopLine())
}

// search searches for query, as it is typed.
func (in *inspector) search(query string) tea.Cmd {
	if query == in.query {
		return nil
	}
	in.query = query
	return in.rerunSearch()
}

// filterBy filters the body by a gjson path, as it is typed; "" shows the
// whole body again.
func (in *inspector) filterBy(path string) tea.Cmd {
	if path == in.filter {
		return nil
	}
	in.filter = path
	in.filterSeq++
	if strings.TrimSpace(path) == "" || in.body() == nil {
		in.filterErr, in.shown, in.filtered = nil, in.doc, docPair{}
		in.showDoc()
		return in.rerunSearch()
	}
	return filterCmd(in.filterSeq, in.body(), path, in.red)
}

// setRedact switches to the body's other document for the redaction
// switch, keeping its place; the search runs again on what is now shown.
func (in *inspector) setRedact(redact bool) tea.Cmd {
	in.redact = redact
	doc := in.docs.pick(redact)
	shown := doc
	if in.filtered.plain != nil {
		shown = in.filtered.pick(redact)
	}
	if doc == in.doc && shown == in.shown {
		return nil
	}
	top := in.view.TopLine()
	in.doc, in.shown = doc, shown
	in.showDoc()
	in.view.GotoLine(top)
	return in.rerunSearch()
}

// maskShown passes text the response pane shows (a header value) through
// the exchange's redactor while redacting.
func (in *inspector) maskShown(text string) string {
	if !in.redact || in.red == nil {
		return text
	}
	return in.red.Redact(text)
}

// Update implements ui.Component: the response pane's own keys — the
// toggles (headers, wrap, pretty/raw) — and the body viewer's (scrolling,
// n/N, the wheel), which it hands on. The keys that open a popup (/, f,
// s, y, !) are the root's, which keeps the popup stack (inspectorKey).
func (in *inspector) Update(msg tea.Msg) tea.Cmd {
	defer in.fit() // the headers' rows, the wrap: the body's room changes
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case !isKey:
	case key.Matches(k, in.keys.Headers):
		in.headers = !in.headers
		return nil
	case key.Matches(k, in.keys.WrapKey):
		in.nowrap = !in.nowrap
		in.view.SetWrap(!in.nowrap && (in.shown == nil || in.shown.Kind() != document.KindBinary))
		return nil
	case key.Matches(k, in.keys.Raw):
		if in.body() == nil {
			return nil
		}
		in.raw = !in.raw
		in.docSeq++
		in.filter, in.filterErr = "", nil
		mode := document.ModePretty
		if in.raw {
			mode = document.ModeRaw
		}
		return buildDocCmd(in.docSeq, in.body(), in.contentType(), mode, in.red)
	}
	return in.view.Update(msg)
}

// ShortHelp implements help.KeyMap.
func (in *inspector) ShortHelp() []key.Binding {
	return []key.Binding{in.keys.NextHit, in.keys.PrevHit, in.keys.Headers, in.keys.Raw, in.keys.WrapKey}
}

// FullHelp implements help.KeyMap: the keys Update matches, its own and
// the body viewer's.
func (in *inspector) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{in.keys.Headers, in.keys.Raw, in.keys.WrapKey}}, in.view.FullHelp()...)
}

// openPrompt gives the keyboard to one of the response pane's prompts.
func (m Model) openPrompt(kind popupKind, value string) (tea.Model, tea.Cmd) {
	label, placeholder := "/ ", "text to find"
	switch kind {
	case popFilter:
		label, placeholder = "filter ", "gjson path, like items.#.name"
	case popSave:
		label, placeholder = "save to ", "file to write"
	}
	p, cmd := ui.NewPrompt(m.styles, m.keys, label, placeholder, value)
	if kind == popSave {
		p.Suggest() // a file name of keyhole's; the others reopen what was typed
	}
	m.open(&popup{Popup: p, kind: kind})
	return m, cmd
}

// promptChanged runs the live search or filter for the prompt's text.
func (m *Model) promptChanged(p *popup) tea.Cmd {
	value := p.Popup.(*ui.Prompt).Value()
	switch p.kind {
	case popSearch:
		return m.insp.search(value)
	case popFilter:
		return m.insp.filterBy(value)
	}
	return nil
}

// promptClosed keeps what enter kept (a search, a filter, a file to
// write) and drops what esc dropped.
func (m Model) promptClosed(p *popup, kept bool) (tea.Model, tea.Cmd) {
	in := &m.insp
	switch {
	case kept && p.kind == popSave:
		path := strings.TrimSpace(p.Popup.(*ui.Prompt).Value())
		if path == "" || in.body() == nil {
			return m, nil
		}
		return m, saveCmd(expandHome(path), in.body())
	case kept:
		return m, nil
	case p.kind == popSearch:
		return m, in.search("")
	case p.kind == popFilter:
		return m, in.filterBy("")
	}
	return m, nil
}

// inspectorKey is a browsing key in the response pane: the keys that open
// a popup are the root's, the rest the pane's own.
func (m Model) inspectorKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, in := m.keys, &m.insp
	switch {
	case key.Matches(msg, k.Search):
		return m.openPrompt(popSearch, in.query)
	case key.Matches(msg, k.Filter):
		if in.doc == nil || in.doc.Kind() != document.KindJSON {
			m.notice = "the path filter works on JSON bodies"
			return m, nil
		}
		return m.openPrompt(popFilter, in.filter)
	case key.Matches(msg, k.Yank):
		return m.copyBody()
	case key.Matches(msg, k.Why):
		return m.openWhy()
	case key.Matches(msg, k.Documented):
		return m.contract(false, true)
	case key.Matches(msg, k.Check):
		return m.contract(true, true)
	case key.Matches(msg, k.Capture):
		return m.openCapture()
	case key.Matches(msg, k.AllHeaders):
		return m.openHeaders()
	case key.Matches(msg, k.Save):
		if in.body() == nil {
			m.notice = "no body to save"
			return m, nil
		}
		return m.openPrompt(popSave, suggestedName(in.contentType()))
	}
	return m, in.Update(msg)
}
