package model

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/ui"
)

// historyView is the history list (H): the exchanges kept, newest first.
type historyView struct {
	entries []history.Entry
	cursor  int
}

// openHistory shows the list. History.List reads memory only: the file
// was loaded when the backend started.
func (m Model) openHistory() (tea.Model, tea.Cmd) {
	if m.backend == nil || m.backend.History == nil {
		m.notice = "no history here"
		return m, nil
	}
	entries := m.backend.History.List()
	if len(entries) == 0 {
		m.notice = "no exchanges yet: ctrl+s sends one"
		return m, nil
	}
	m.hist = &historyView{entries: entries}
	return m, nil
}

func (m Model) historyKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, h := m.keys, m.hist
	switch {
	case key.Matches(msg, k.Up):
		h.cursor = max(0, h.cursor-1)
	case key.Matches(msg, k.Down):
		h.cursor = min(len(h.entries)-1, h.cursor+1)
	case key.Matches(msg, k.Top):
		h.cursor = 0
	case key.Matches(msg, k.Bottom):
		h.cursor = len(h.entries) - 1
	case key.Matches(msg, k.History), key.Matches(msg, k.QuitKey):
		m.hist = nil
	case key.Matches(msg, k.Select):
		return m.reopen(h.entries[h.cursor])
	}
	return m, nil
}

// reopen shows a past exchange and puts its request in the composer, ready
// to send again. History keeps secrets masked: a header it masked must be
// typed again (the token itself is added on send, as always).
func (m Model) reopen(e history.Entry) (tea.Model, tea.Cmd) {
	m.hist = nil
	if i := m.entryIndex(e.Provider); i >= 0 && i != m.list.Active {
		nm, cmd := m.selectProvider(i)
		m = nm.(Model)
		_ = cmd // the token, if needed, is fetched on send
	}
	target := e.URL
	if a := m.active(); a != nil && a.Config != nil {
		target = exchange.RelativeTarget(a.Config.BaseURL, e.URL)
	}
	var hdr []string
	masked := false
	for name, vals := range e.RequestHeader {
		if strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Content-Length") {
			continue // the token is injected on send; the length is computed
		}
		for _, v := range vals {
			if strings.Contains(v, "••••") {
				masked = true
			}
			hdr = append(hdr, name+": "+v)
		}
	}
	m.composer.SetRequest(e.Method, target, strings.Join(sortedLines(hdr), "\n"), e.RequestBody)
	ex := historyExchange(e)
	m.ex = ex
	m.newBody(docPair{}, nil)
	m.setFocus(paneResponse)
	m.notice = "reopened from history; ctrl+s sends it again"
	if masked {
		m.notice += " (masked header values must be typed again)"
	}
	if ex.Response == nil {
		return m, nil
	}
	m.insp.docSeq++
	return m, buildDocCmd(m.insp.docSeq, ex.Response.Body, ex.Response.Header.Get("Content-Type"), document.ModePretty, nil)
}

// historyExchange rebuilds an exchange for display from a history entry.
func historyExchange(e history.Entry) *exchange.Exchange {
	ex := &exchange.Exchange{Notes: e.Notes}
	if u, err := url.Parse(e.URL); err == nil {
		ex.Sent = exchange.Sent{Method: e.Method, URL: u, Header: e.RequestHeader, Body: []byte(e.RequestBody)}
	}
	if e.Error != "" {
		ex.Err = fmt.Errorf("%s", e.Error)
	}
	if e.Status != 0 {
		ex.Response = &exchange.Response{Status: e.Status, StatusText: e.StatusText, Header: e.ResponseHeader, Body: []byte(e.ResponseBody), Size: e.Size, Duration: e.Duration}
		if ex.Response.Header == nil {
			ex.Response.Header = http.Header{}
		}
		if e.Timing != nil {
			ex.Response.Timing = *e.Timing
		}
	}
	return ex
}

func (m *Model) entryIndex(name string) int {
	for i, e := range m.entries {
		if e.name == name {
			return i
		}
	}
	return -1
}

// historyList draws the list in w×h cells.
func (m *Model) historyList(w, h int) string {
	st := m.styles
	hv := m.hist
	start := max(0, min(hv.cursor-h/2, len(hv.entries)-h))
	var rows []string
	for i := start; i < len(hv.entries) && len(rows) < h-2; i++ {
		e := hv.entries[i]
		status := st.Render(statusTone(e.Status), fmt.Sprintf("%3d", e.Status))
		if e.Status == 0 {
			status = st.Bad.Render("ERR")
		}
		when := e.Time.In(m.opts.Location).Format("01-02 15:04:05")
		// The history file is read back: its words are drawn sanitized.
		line := fmt.Sprintf("%s  %s  %-7s %s  %s", when, status, termtext.Line(e.Method), termtext.Line(e.Provider), termtext.Line(e.URL))
		mark := "  "
		if i == hv.cursor {
			mark = "> "
			line = st.Selected.Render(ui.Fit(line, w-2))
		}
		rows = append(rows, mark+line)
	}
	count := fmt.Sprintf("%d exchanges", len(hv.entries))
	if len(hv.entries) == 1 {
		count = "1 exchange"
	}
	rows = append(rows, "", st.Muted.Render(count+", secrets masked · enter reopens · esc or H closes"))
	return strings.Join(rows, "\n")
}

func sortedLines(lines []string) []string {
	out := append([]string(nil), lines...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
