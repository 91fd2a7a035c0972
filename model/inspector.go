package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// prompt is which one-line input the response pane has open.
type prompt int

const (
	promptNone prompt = iota
	promptSearch
	promptFilter
	promptSave
)

// inspector is the response pane's state: the body as drawn, the
// toggles, the search and the filter.
type inspector struct {
	view    ui.BodyView
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

	prompt prompt
	input  textinput.Model

	query        string
	hits         []document.Hit
	searchSeq    int
	searchCancel context.CancelFunc

	filter    string
	filterErr error
	filterSeq int

	docSeq int // bumps when the body changes, so a late document is dropped
}

func newInspector() inspector {
	in := textinput.New()
	in.Prompt = ""
	return inspector{view: ui.NewBodyView(), headers: true, input: in}
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

func searchCmd(ctx context.Context, seq int, doc *document.Document, query string) tea.Cmd {
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

type savedMsg struct {
	path string
	err  error
}

// saveCmd writes the body to a new file; it never overwrites one.
func saveCmd(path string, body []byte) tea.Cmd {
	return func() tea.Msg {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return savedMsg{path: path, err: err}
		}
		_, err = f.Write(body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return savedMsg{path: path, err: err}
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
	in.prompt = promptNone
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
	in.view.SetWrap(!in.nowrap && in.shown.Kind() != document.KindBinary)
	var notes []string
	if r := m.ex.Response; r != nil && r.Truncated {
		notes = append(notes, "cut at "+document.HumanSize(r.Size)+": raise max_body to see more")
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

// openPrompt gives the keyboard to the response pane's input.
func (m Model) openPrompt(p prompt, value string) (tea.Model, tea.Cmd) {
	m.insp.prompt = p
	m.insp.input.SetValue(value)
	m.insp.input.CursorEnd()
	m.insp.input.Placeholder = map[prompt]string{promptSearch: "text to find", promptFilter: "gjson path, like items.#.name", promptSave: "file to write"}[p]
	return m, m.insp.input.Focus()
}

// promptKey is a key for the open input: live search and filter as the
// text changes, enter to keep, esc to drop.
func (m Model) promptKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	in := &m.insp
	switch msg.Code {
	case tea.KeyEnter:
		p := in.prompt
		in.prompt = promptNone
		in.input.Blur()
		if p == promptSave {
			path := strings.TrimSpace(in.input.Value())
			if path == "" || m.body() == nil {
				return m, nil
			}
			return m, saveCmd(expandHome(path), m.body())
		}
		return m, nil
	case tea.KeyEscape:
		p := in.prompt
		in.prompt = promptNone
		in.input.Blur()
		switch p {
		case promptSearch:
			in.query = ""
			return m, m.rerunSearch()
		case promptFilter:
			in.filter, in.filterErr, in.shown, in.filtered = "", nil, in.doc, docPair{}
			in.filterSeq++
			m.showDoc()
			return m, m.rerunSearch()
		}
		return m, nil
	}
	var cmd tea.Cmd
	in.input, cmd = in.input.Update(msg)
	return m, tea.Batch(cmd, m.promptChanged())
}

// promptChanged runs the live search or filter for the input's text.
func (m *Model) promptChanged() tea.Cmd {
	in := &m.insp
	value := in.input.Value()
	switch in.prompt {
	case promptSearch:
		if value == in.query {
			return nil
		}
		in.query = value
		return m.rerunSearch()
	case promptFilter:
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

// inspectorKey is a browsing key in the response pane; ok is false when
// the key is not the inspector's.
func (m Model) inspectorKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd, bool) {
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
		nm, cmd := m.openPrompt(promptSearch, in.query)
		return nm, cmd, true
	case key.Matches(msg, k.NextHit):
		in.view.GotoHit(in.view.NextHit(1))
	case key.Matches(msg, k.PrevHit):
		in.view.GotoHit(in.view.NextHit(-1))
	case key.Matches(msg, k.Filter):
		if in.doc == nil || in.doc.Kind() != document.KindJSON {
			m.notice = "the path filter works on JSON bodies"
			return m, nil, true
		}
		nm, cmd := m.openPrompt(promptFilter, in.filter)
		return nm, cmd, true
	case key.Matches(msg, k.Headers):
		in.headers = !in.headers
	case key.Matches(msg, k.WrapKey):
		in.nowrap = !in.nowrap
		in.view.SetWrap(!in.nowrap && (in.shown == nil || in.shown.Kind() != document.KindBinary))
	case key.Matches(msg, k.Raw):
		if m.body() == nil {
			return m, nil, true
		}
		in.raw = !in.raw
		in.docSeq++
		in.filter, in.filterErr = "", nil
		mode := document.ModePretty
		if in.raw {
			mode = document.ModeRaw
		}
		return m, buildDocCmd(in.docSeq, m.body(), m.contentType(), mode, in.red), true
	case key.Matches(msg, k.Yank):
		nm, cmd := m.copyBody()
		return nm, cmd, true
	case key.Matches(msg, k.Why):
		m.overlay = m.whyOverlay()
		return m, nil, true
	case key.Matches(msg, k.Save):
		if m.body() == nil {
			m.notice = "no body to save"
			return m, nil, true
		}
		nm, cmd := m.openPrompt(promptSave, suggestedName(m.contentType()))
		return nm, cmd, true
	default:
		return m, nil, false
	}
	return m, nil, true
}

// maxClipboard caps what OSC 52 carries: terminals drop or choke on
// sequences of many megabytes.
const maxClipboard = 1 << 20

func (m Model) copyBody() (tea.Model, tea.Cmd) {
	body := m.body()
	switch {
	case body == nil:
		m.notice = "no body to copy"
		return m, nil
	case len(body) > maxClipboard:
		m.notice = fmt.Sprintf("the body is %s, too big for the clipboard: s saves it to a file", document.HumanSize(int64(len(body))))
		return m, nil
	}
	m.notice = "body copied to the clipboard (OSC 52)"
	return m, tea.SetClipboard(string(body))
}

// suggestedName is the save prompt's default file name.
func suggestedName(contentType string) string {
	switch {
	case document.IsJSON(contentType):
		return "response.json"
	case strings.Contains(contentType, "html"):
		return "response.html"
	case strings.Contains(contentType, "xml"):
		return "response.xml"
	case strings.HasPrefix(contentType, "text/"):
		return "response.txt"
	}
	return "response.bin"
}

func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

func (m Model) onSaved(msg savedMsg) (tea.Model, tea.Cmd) {
	switch {
	case errors.Is(msg.err, os.ErrExist):
		m.notice = msg.path + " exists: keyhole does not overwrite; s to choose another name"
	case msg.err != nil:
		m.notice = "save: " + msg.err.Error()
	default:
		m.notice = "saved the body to " + msg.path
	}
	return m, nil
}

// responseInfo is the line above the body: status in its colour, time and
// its breakdown, size, kind and the toggles.
func (m *Model) responseInfo() string {
	st := m.styles
	r := m.ex.Response
	status := st.Render(statusTone(r.Status), fmt.Sprintf("%d %s", r.Status, termtext.Line(r.StatusText)))
	parts := []string{status}
	if b := timingBreakdown(r.Timing); b != "" {
		parts = append(parts, b)
	}
	if r.Status == 401 || r.Status == 403 {
		parts = append(parts, st.Warn.Render("! explains why"))
	}
	if d := m.insp.shown; d != nil {
		mode := " · pretty"
		switch {
		case d.Kind() == document.KindBinary:
			mode = ""
		case m.insp.raw:
			mode = " · raw"
		}
		parts = append(parts, d.Kind().String()+mode)
		if !m.insp.view.Wrap() {
			parts = append(parts, "no wrap")
		}
	}
	return strings.Join(parts, " · ")
}

func timingBreakdown(t exchange.Timing) string {
	var parts []string
	if t.DNS > 0 {
		parts = append(parts, "dns "+durfmt.Timing(t.DNS))
	}
	if t.Connect > 0 {
		parts = append(parts, "connect "+durfmt.Timing(t.Connect))
	}
	if t.TLS > 0 {
		parts = append(parts, "tls "+durfmt.Timing(t.TLS))
	}
	if t.TTFB > 0 {
		parts = append(parts, "first byte "+durfmt.Timing(t.TTFB))
	}
	if t.Reused {
		parts = append(parts, "reused connection")
	}
	return strings.Join(parts, " · ")
}

// statusTone colours a status code.
func statusTone(code int) ui.Tone {
	switch {
	case code >= 500:
		return ui.ToneBad
	case code >= 400:
		return ui.ToneWarn
	case code >= 300:
		return ui.ToneInfo
	}
	return ui.ToneGood
}

// whyOverlay is the 401/403 doctor's answer for the exchange shown: the
// likely cause first, each with its fix in the config's own words.
func (m *Model) whyOverlay() *overlay {
	e := m.active()
	if m.ex == nil || m.ex.Response == nil || e == nil || e.Config == nil {
		return &overlay{title: "Why?", body: "No answer to explain yet."}
	}
	findings := m.ex.Diagnose(e.Config, m.now)
	if len(findings) == 0 {
		return &overlay{title: "Why?", body: fmt.Sprintf("The answer is %d %s: the doctor explains 401 and 403 answers.", m.ex.Response.Status, termtext.Line(m.ex.Response.StatusText))}
	}
	st := m.styles
	var b strings.Builder
	for i, f := range findings {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(st.Bad.Render(fmt.Sprintf("%d. ", i+1)) + termtext.Line(f.Cause) + "\n")
		b.WriteString(st.Good.Render("   fix: ") + termtext.Line(f.Fix))
	}
	return &overlay{title: fmt.Sprintf("Why %d? · the likely cause first", m.ex.Response.Status), body: b.String()}
}
