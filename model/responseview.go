package model

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// redirectNote explains a 3xx: no client keyhole makes follows one (see
// providers.NewClient), so the answer is shown as it came.
const redirectNote = "redirect not followed: keyhole sends nothing on to the Location (a token would go with it); send the request there yourself if you trust it"

// responseSize is the response pane's content area.
func (m *Model) responseSize() (w, h int) {
	l := m.layout()
	return l.respW - 2, l.bottomH - 2
}

// responseParts lays out the response pane above and below the body: the
// info line, notes and errors, headers, and the open prompt. The body view
// gets the rows that are left.
func (m *Model) responseParts(w, h int) (top []string, promptLine string, bodyH int) {
	st := m.styles
	ex := m.ex
	if ex == nil {
		return nil, "", h
	}
	if ex.Response != nil {
		top = append(top, m.responseInfo())
	}
	var notes []string
	if ex.Sent.Withheld {
		notes = append(notes, "token withheld: the URL is outside the provider's base_url origin")
	}
	notes = append(notes, ex.Notes...)
	if r := ex.Response; r != nil && r.Status >= 300 && r.Status < 400 && r.Header.Get("Location") != "" {
		notes = append(notes, redirectNote)
	}
	// Notes, errors and headers quote the server: each goes through the
	// sanitizer before it is styled. An error quotes the URL, where the
	// person may have typed one of the provider's secrets: it is masked
	// like the request it comes from.
	line := termtext.Line
	for _, n := range notes {
		top = append(top, st.Warn.Render(ansi.Wordwrap("note: "+line(m.maskShown(n)), w, " ")))
	}
	if ex.Err != nil {
		top = append(top, st.Bad.Render(ansi.Wordwrap("error: "+line(m.maskShown(ex.Err.Error())), w, " /&?=")))
		if hint := providers.Hint(ex.Err); hint != "" {
			top = append(top, st.Warn.Render(ansi.Wordwrap("hint: "+line(hint), w, " ")))
		}
	} else if hint := exchange.StatusHint(ex.Response); hint != "" {
		// A 5xx, or a 429 not waited out, had no hint here (found by
		// internal/faults).
		top = append(top, st.Warn.Render(ansi.Wordwrap("hint: "+line(hint), w, " ")))
	}
	if r := ex.Response; r != nil && m.insp.headers {
		lines := exchange.HeaderLines(r.Header, providers.Injection{}, secret.String{}, !m.redact)
		for i, line := range lines {
			// A server echoing the request in a header of its own
			// (X-Echo-Authorization) is masked like the body.
			lines[i] = m.maskShown(line)
		}
		room := max(1, (h-len(top))/3)
		if len(lines) > room {
			more := len(lines) - room + 1
			lines = append(lines[:room-1], fmt.Sprintf("… %d more headers (h hides them)", more))
		}
		for _, l := range lines {
			l = line(l)
			if name, value, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "…") {
				l = st.Field.Render(name+":") + value
			}
			top = append(top, l)
		}
	}
	if m.insp.filterErr != nil && m.insp.filter != "" {
		top = append(top, st.Warn.Render("filter: "+line(m.insp.filterErr.Error())))
	}
	if m.insp.prompt != promptNone {
		label := map[prompt]string{promptSearch: "/ ", promptFilter: "filter ", promptSave: "save to "}[m.insp.prompt]
		m.insp.input.SetWidth(max(5, w-len(label)-12))
		promptLine = st.Key.Render(label) + m.insp.input.View()
		if m.insp.prompt == promptSearch && m.insp.query != "" {
			promptLine += st.Muted.Render(fmt.Sprintf("  %d hits", len(m.insp.hits)))
		}
	}
	// Top lines are counted as drawn: a wrapped note takes several rows.
	rows := 0
	for _, t := range top {
		rows += strings.Count(t, "\n") + 1
	}
	bodyH = h - rows
	if promptLine != "" {
		bodyH--
	}
	return top, promptLine, max(1, bodyH)
}

// syncInspector gives the body view the rows the pane leaves it, so that
// scrolling in Update works on the size View will draw.
func (m *Model) syncInspector() {
	w, h := m.responseSize()
	_, _, bodyH := m.responseParts(w, h)
	m.insp.view.SetSize(w, bodyH)
}

// responsePane draws the response pane's content.
func (m *Model) responsePane(w, h int) string {
	if m.ex == nil {
		return m.styles.Muted.Render("ctrl+s sends the request; the answer shows here")
	}
	top, prompt, bodyH := m.responseParts(w, h)
	m.insp.view.SetSize(w, bodyH)
	parts := append([]string(nil), top...)
	if m.ex.Response != nil {
		parts = append(parts, m.insp.view.View(m.styles))
	}
	if prompt != "" {
		parts = append(parts, prompt)
	}
	return strings.Join(parts, "\n")
}
