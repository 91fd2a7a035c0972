package model

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/ui"
)

// pick is what a picker's row stands for: a provider's saved request, an
// operation of its spec, an exchange kept in history, or a note about the
// spec (loading, or why it is unavailable). A collection's requests join
// the requests picker later, with their own source.
type pick struct {
	provider string
	saved    *config.SavedRequest
	hist     *history.Entry
	op       *spec.Operation
	// note is the spec's error in full, shown when its row is chosen;
	// or, when empty is set, why a spec that loaded lists no operation.
	note  string
	empty bool
	// env is an environment picker's row: the environment's name, ""
	// for none.
	env *string
	// coll is a row of the collection: a request of a .http file, or a
	// note about one.
	coll *collPick
	// capture is a variable of the session (C), by name.
	capture string
}

// openRequests opens the picker on the requests you can send: every
// provider's saved requests, the active provider's first, each provider
// under its own heading; then the operations of the provider browsed
// (browsing), whose spec starts loading now if it was never loaded.
func (m Model) openRequests() (tea.Model, tea.Cmd) {
	e := m.browsing()
	load := tea.Batch(m.wantSpec(e), m.wantCollection())
	active, all := m.active(), m.entries
	coll, home, captures := m.coll, m.opts.Collection.home(), m.captures
	rows := func(redact bool) ([]ui.PickerItem, []pick) {
		items, picks := requestRows(all, active, e, coll, home, redact)
		vi, vp := captureRows(captures, redact)
		return append(items, vi...), append(picks, vp...)
	}
	items, picks := rows(m.redact)
	if len(items) == 0 {
		m.notice = "no saved requests yet ([[providers.NAME.requests]] in the config, or .http files)"
		return m, nil
	}
	pk := m.openPicker(popRequests, "Requests you can send", items, picks)
	pk.Popup.(*ui.Picker).SetRanker(rankRows)
	// The rows are made again for the redaction switch, and when the
	// spec or the collection arrives: the picker keeps the filter and the
	// row in hand.
	pk.follow = func(redact bool) {
		items, picks := rows(redact)
		pk.Popup.(*ui.Picker).Reset(items)
		pk.picks = picks
	}
	return m, load
}

// requestRows are the requests picker's rows: the saved requests of every
// provider, the active one's first, then the collection's requests (home
// is the folder their files are named from), then e's operations. A saved
// request's path and query may carry a credential (a ${VAR} api_key):
// while redacting they are masked as the composer masks them.
func requestRows(all entries, active, browsed *entry, coll *collState, home string, redact bool) ([]ui.PickerItem, []pick) {
	var items []ui.PickerItem
	var picks []pick
	add := func(e *entry) {
		if e.Config == nil {
			return
		}
		for i := range e.Config.Requests {
			r := &e.Config.Requests[i]
			// The config's words are drawn: they are made safe first.
			target := withQuery(r.Path, r.Query)
			if redact {
				target = pathMask(e, target)
			}
			// The same columns as an operation's: method, path, name.
			items = append(items, ui.PickerItem{
				Group:  termtext.Line("Saved requests · " + e.name),
				Source: "saved",
				Parts: []ui.PickerPart{
					{Text: strings.ToUpper(termtext.Line(orGET(r.Method))), Look: ui.LookMethod, Width: methodW},
					{Text: termtext.Line(target)},
					{Text: termtext.Line(r.Name), Name: true},
				},
				// Scored alike, the shorter path first; a saved request
				// before an operation of a path as long.
				Tie: len(r.Path) * (spec.MaxOperations + 1),
			})
			picks = append(picks, pick{provider: e.name, saved: r})
		}
	}
	if active != nil {
		add(active)
	}
	for _, e := range all {
		if e != active {
			add(e)
		}
	}
	collItems, collPicks := collRows(coll, home, redact)
	items = append(items, collItems...)
	picks = append(picks, collPicks...)
	ops, opPicks := specRows(browsed, redact)
	items = append(items, ops...)
	alignPaths(items)
	return items, append(picks, opPicks...)
}

// methodW is the method column's width: DELETE and OPTIONS are the
// longest but for OPTIONS, rare enough to push its path one column.
const methodW = 6

// alignPaths pads the path of every row of parts to the widest, up to
// 40 columns, so that saved requests and operations line up alike: the
// names then read as a column too.
func alignPaths(items []ui.PickerItem) {
	w := 0
	for _, it := range items {
		if len(it.Parts) > 1 {
			w = max(w, ansi.StringWidth(it.Parts[1].Text))
		}
	}
	w = min(w, 40)
	for i := range items {
		if len(items[i].Parts) > 1 {
			items[i].Parts[1].Width = w
		}
	}
}

// pathMask masks a request's path and query as the composer masks them
// while redacting: a credential in the query, and e's own secrets.
func pathMask(e *entry, target string) string {
	target = secret.RedactURL(target)
	if e.Session != nil {
		target = e.Session.Redact(target)
	}
	return target
}

// openHistory opens the picker on history, newest first, under a heading
// for each day. History.List reads memory only: the file is read off the
// UI loop (readHistory); an H before that asks for it and opens the
// picker once it has been read.
func (m Model) openHistory() (tea.Model, tea.Cmd) {
	if m.backend == nil || m.backend.History == nil {
		m.notice = "no history here"
		return m, nil
	}
	if !m.backend.History.Loaded() {
		m.historyWanted = true
		m.notice = readingHistory
		return m, m.readHistory()
	}
	entries := m.backend.History.List()
	if len(entries) == 0 {
		m.notice = "no exchanges yet: ctrl+s sends one"
		return m, nil
	}
	items := make([]ui.PickerItem, len(entries))
	picks := make([]pick, len(entries))
	for i := range entries {
		e := &entries[i]
		status := fmt.Sprintf("%3d", e.Status)
		if e.Status == 0 {
			status = "ERR"
		}
		when := e.Time.In(m.opts.Location)
		// The history file is read back: its words are drawn sanitized.
		items[i] = ui.PickerItem{
			Group:  "History · " + when.Format("2006-01-02"),
			Source: e.Provider,
			Title:  when.Format("15:04:05") + "  " + status,
			Detail: termtext.Line(fmt.Sprintf("%-7s %s", e.Method, e.URL)),
		}
		items[i].Source = termtext.Line(items[i].Source)
		picks[i] = pick{provider: e.Provider, hist: e}
	}
	m.openPicker(popHistory, "History · secrets masked", items, picks)
	return m, nil
}

// openPicker puts a picker on the stack.
func (m *Model) openPicker(kind popupKind, title string, items []ui.PickerItem, picks []pick) *popup {
	p := &popup{Popup: ui.NewPicker(m.styles, m.keys.PickerKeys(), title, items), kind: kind, picks: picks}
	m.open(p)
	return p
}

// choose acts on a picker's row: a saved request goes into the composer
// (its provider made the one in use), an exchange from history is shown
// again and its request made ready to send.
func (m Model) choose(p pick) (tea.Model, tea.Cmd) {
	if p.coll != nil {
		return m.chooseColl(p.coll)
	}
	if p.capture != "" {
		m.notice = "{{" + p.capture + "}} is set for this session: use it in the path, a header or the body"
		return m, nil
	}
	m.from = nil
	switch {
	case p.hist != nil:
		m.op = nil
		return m.reopen(*p.hist)
	case p.op != nil:
		return m.chooseOp(p)
	case p.saved == nil:
		if p.note != "" {
			var lines []string
			for _, l := range strings.Split(p.note, "\n") {
				lines = append(lines, wrap(l, m.layout().w-2)...)
			}
			title := "OpenAPI spec unavailable · "
			if p.empty {
				title = "OpenAPI spec · "
			}
			m.openText(title+p.provider, strings.Join(lines, "\n"))
		} else {
			m.notice = "the spec is still loading: o again in a moment"
		}
		return m, nil
	}
	m.op = nil
	if i := m.entries.index(p.provider); i >= 0 && i != m.list.Active() {
		nm, cmd := m.selectProvider(i)
		m = nm.(Model)
		m.loadSaved(*p.saved)
		m.setFocus(paneRequest)
		return m, cmd
	}
	m.loadSaved(*p.saved)
	m.setFocus(paneRequest)
	return m, nil
}

func orGET(method string) string {
	if method == "" {
		return "GET"
	}
	return method
}
