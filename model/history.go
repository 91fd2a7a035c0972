package model

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/internal/termtext"
)

// historyLoadedMsg says the history file has been read (History.Load).
type historyLoadedMsg struct{ err error }

// readHistory asks, once, for the history file to be read off the UI
// loop. The backend only prepares the history: the first clock tick asks
// for it (a long history is parsed after the first frame, not beside
// it), or an H before that; a send reads it itself (History.Add). nil when
// there is nothing to read or it has been asked for.
func (m *Model) readHistory() tea.Cmd {
	if m.historyAsked || m.backend == nil || m.backend.History == nil || m.backend.History.Loaded() {
		return nil
	}
	m.historyAsked = true
	h := m.backend.History
	return func() tea.Msg { return historyLoadedMsg{err: h.Load()} }
}

// onHistoryLoaded says why a history could not be read, and opens the
// picker an H asked for while it was being read, unless another popup
// has opened since.
func (m Model) onHistoryLoaded(msg historyLoadedMsg) (tea.Model, tea.Cmd) {
	wanted := m.historyWanted
	m.historyWanted = false
	if m.notice == readingHistory {
		m.notice = ""
	}
	if msg.err != nil {
		m.notice = termtext.Line(msg.err.Error())
		return m, nil
	}
	if wanted && m.popups.top() == nil {
		return m.openHistory()
	}
	return m, nil
}

// readingHistory is what an H says while the history is being read.
const readingHistory = "reading the history…"

// reopen shows a past exchange and puts its request in the composer, ready
// to send again. History keeps secrets masked: a header it masked must be
// typed again (the token itself is added on send, as always).
func (m Model) reopen(e history.Entry) (tea.Model, tea.Cmd) {
	if i := m.entries.index(e.Provider); i >= 0 && i != m.list.Active() {
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
		if strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Content-Length") || strings.EqualFold(name, "DPoP") {
			continue // the token is injected and the DPoP proof made on send; the length is computed
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
	if m.entries.index(e.Provider) < 0 && e.Provider != "" {
		// Sent with a provider this config does not have (another
		// config, the demo, an environment without it): ctrl+s sends
		// it with the provider in use, or not at all.
		m.notice = "reopened from history; " + termtext.Line(e.Provider) + " is not a provider here: "
		if a := m.active(); a != nil {
			m.notice += "ctrl+s sends it with " + a.name
		} else {
			m.notice += "select one (enter in the Providers pane), then ctrl+s"
		}
	}
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

func sortedLines(lines []string) []string {
	out := append([]string(nil), lines...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
