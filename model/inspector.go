package model

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/model/exchange"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// inspector is the response pane's state: the body as drawn, the
// toggles, the search and the filter.
type inspector struct {
	view    ui.BodyView
	doc     *exchange.Document // the whole body, pretty or raw, masked while redacting
	shown   *exchange.Document // doc, or the filter's result
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
	hits         []exchange.Hit
	searchSeq    int
	searchCancel context.CancelFunc

	filter    string
	filterErr error
	filterSeq int

	docSeq int // bumps when the body changes, so a late document is dropped
}

func newInspector() inspector {
	return inspector{view: ui.NewBodyView(), headers: true}
}

// docMsg is a body laid out off the UI loop.
type docMsg struct {
	seq  int
	docs docPair
}

// buildDocCmd formats a body off the UI loop, masked and not: a 50 MB
// body takes a noticeable fraction of a second.
func buildDocCmd(seq int, body []byte, contentType string, mode exchange.Mode, red *secret.Redactor) tea.Cmd {
	return func() tea.Msg {
		return docMsg{seq: seq, docs: buildDocs(body, contentType, mode, red)}
	}
}

type searchMsg struct {
	seq  int
	hits []exchange.Hit
}

func searchCmd(ctx context.Context, seq int, doc *exchange.Document, query string) tea.Cmd {
	return func() tea.Msg {
		return searchMsg{seq: seq, hits: doc.Search(ctx, query, true)}
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
func (m *Model) body() []byte {
	if m.ex == nil || m.ex.Response == nil {
		return nil
	}
	return m.ex.Response.Body
}

func (m *Model) contentType() string {
	if m.ex == nil || m.ex.Response == nil {
		return ""
	}
	return m.ex.Response.Header.Get("Content-Type")
}

// newBody resets the inspector for a new exchange whose documents, built
// in the send command, are docs (none when there is no body), and whose
// secrets red knows.
func (m *Model) newBody(docs docPair, red *secret.Redactor) {
	in := &m.insp
	in.docSeq++
	if in.searchCancel != nil {
		in.searchCancel()
	}
	in.docs, in.filtered, in.red = docs, docPair{}, red
	in.doc = docs.pick(m.redact)
	in.shown = in.doc
	in.query, in.hits, in.filter, in.filterErr = "", nil, "", nil
	in.raw = false
	// A prompt was for the body it replaces.
	m.popups = m.popups.withoutKinds(popSearch, popFilter, popSave)
	m.showDoc()
}

// showDoc hands the document to the viewer with its note.
func (m *Model) showDoc() {
	in := &m.insp
	if in.shown == nil {
		in.view.Clear()
		return
	}
	in.view.SetDocument(in.shown, in.shown.Kind().String())
	// A hex dump is laid out in columns: wrapping it would break them.
	in.view.SetWrap(!in.nowrap && in.shown.Kind() != exchange.KindBinary)
	var notes []string
	if r := m.ex.Response; r != nil && r.Truncated {
		notes = append(notes, "cut at "+exchange.HumanSize(r.Size)+": raise max_body to see more")
	}
	if n := in.shown.Note(); n != "" {
		notes = append(notes, n)
	}
	in.view.SetNote(strings.Join(notes, " · "))
	in.view.SetHits(nil, -1)
}

func (m Model) onDoc(msg docMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.insp.docSeq {
		return m, nil
	}
	top := m.insp.view.TopLine()
	m.insp.docs, m.insp.filtered = msg.docs, docPair{}
	m.insp.doc = msg.docs.pick(m.redact)
	m.insp.shown = m.insp.doc
	m.showDoc()
	m.insp.view.GotoLine(top)
	return m, m.rerunSearch()
}

func (m Model) onSearch(msg searchMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.insp.searchSeq {
		return m, nil
	}
	m.insp.hits = msg.hits
	hits := make([]ui.Hit, len(msg.hits))
	for i, h := range msg.hits {
		hits[i] = ui.Hit(h)
	}
	m.insp.view.SetHits(hits, -1)
	if len(hits) > 0 {
		m.insp.view.GotoHit(m.insp.view.NextHit(1))
	}
	return m, nil
}

func (m Model) onFilter(msg filterMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.insp.filterSeq {
		return m, nil
	}
	m.insp.filterErr = msg.err
	if msg.err == nil {
		m.insp.filtered = msg.docs
		m.insp.shown = msg.docs.pick(m.redact)
		m.showDoc()
	}
	return m, m.rerunSearch()
}

// rerunSearch searches the shown document again for the current query.
func (m *Model) rerunSearch() tea.Cmd {
	in := &m.insp
	if in.searchCancel != nil {
		in.searchCancel()
		in.searchCancel = nil
	}
	in.searchSeq++
	if in.query == "" || in.shown == nil {
		in.hits = nil
		in.view.SetHits(nil, -1)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	in.searchCancel = cancel
	return searchCmd(ctx, in.searchSeq, in.shown, in.query)
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
	m.open(&popup{Popup: p, kind: kind})
	return m, cmd
}

// promptChanged runs the live search or filter for the prompt's text.
func (m *Model) promptChanged(p *popup) tea.Cmd {
	in := &m.insp
	value := p.Popup.(*ui.Prompt).Value()
	switch p.kind {
	case popSearch:
		if value == in.query {
			return nil
		}
		in.query = value
		return m.rerunSearch()
	case popFilter:
		if value == in.filter {
			return nil
		}
		in.filter = value
		in.filterSeq++
		if strings.TrimSpace(value) == "" || m.body() == nil {
			in.filterErr, in.shown, in.filtered = nil, in.doc, docPair{}
			m.showDoc()
			return m.rerunSearch()
		}
		return filterCmd(in.filterSeq, m.body(), value, in.red)
	}
	return nil
}

// promptClosed keeps what enter kept (a search, a filter, a file to
// write) and drops what esc dropped.
func (m Model) promptClosed(p *popup, kept bool) (tea.Model, tea.Cmd) {
	in := &m.insp
	if kept {
		if p.kind != popSave {
			return m, nil
		}
		path := strings.TrimSpace(p.Popup.(*ui.Prompt).Value())
		if path == "" || m.body() == nil {
			return m, nil
		}
		return m, saveCmd(expandHome(path), m.body())
	}
	switch p.kind {
	case popSearch:
		in.query = ""
		return m, m.rerunSearch()
	case popFilter:
		in.filter, in.filterErr, in.shown, in.filtered = "", nil, in.doc, docPair{}
		in.filterSeq++
		m.showDoc()
		return m, m.rerunSearch()
	}
	return m, nil
}

// inspectorKey is a browsing key in the response pane.
func (m Model) inspectorKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, in := m.keys, &m.insp
	switch {
	case key.Matches(msg, k.Up):
		in.view.ScrollBy(-1)
	case key.Matches(msg, k.Down):
		in.view.ScrollBy(1)
	case key.Matches(msg, k.PageUp):
		in.view.PageBy(-1)
	case key.Matches(msg, k.PageDown):
		in.view.PageBy(1)
	case key.Matches(msg, k.Top):
		in.view.Top()
	case key.Matches(msg, k.Bottom):
		in.view.Bottom()
	case key.Matches(msg, k.Left):
		in.view.ScrollX(-8)
	case key.Matches(msg, k.Right):
		in.view.ScrollX(8)
	case key.Matches(msg, k.Search):
		return m.openPrompt(popSearch, in.query)
	case key.Matches(msg, k.NextHit):
		in.view.GotoHit(in.view.NextHit(1))
	case key.Matches(msg, k.PrevHit):
		in.view.GotoHit(in.view.NextHit(-1))
	case key.Matches(msg, k.Filter):
		if in.doc == nil || in.doc.Kind() != exchange.KindJSON {
			m.notice = "the path filter works on JSON bodies"
			return m, nil
		}
		return m.openPrompt(popFilter, in.filter)
	case key.Matches(msg, k.Headers):
		in.headers = !in.headers
	case key.Matches(msg, k.WrapKey):
		in.nowrap = !in.nowrap
		in.view.SetWrap(!in.nowrap && (in.shown == nil || in.shown.Kind() != exchange.KindBinary))
	case key.Matches(msg, k.Raw):
		if m.body() == nil {
			return m, nil
		}
		in.raw = !in.raw
		in.docSeq++
		in.filter, in.filterErr = "", nil
		mode := exchange.ModePretty
		if in.raw {
			mode = exchange.ModeRaw
		}
		return m, buildDocCmd(in.docSeq, m.body(), m.contentType(), mode, in.red)
	case key.Matches(msg, k.Yank):
		return m.copyBody()
	case key.Matches(msg, k.Why):
		m.openText(m.whyText())
	case key.Matches(msg, k.Save):
		if m.body() == nil {
			m.notice = "no body to save"
			return m, nil
		}
		return m.openPrompt(popSave, suggestedName(m.contentType()))
	}
	return m, nil
}
