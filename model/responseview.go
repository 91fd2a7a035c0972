package model

import (
	"fmt"
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// redirectNote explains a 3xx: no client keyhole makes follows one (see
// providers.NewClient), so the answer is shown as it came.
const redirectNote = "redirect not followed: keyhole sends nothing on to the Location (a token would go with it); send the request there yourself if you trust it"

// parts lays out the response pane above and below the body: the info
// line, notes and errors, headers, and the open prompt. The body view gets
// the rows that are left.
func (in *inspector) parts() (top []string, promptLine string, bodyH int) {
	st, ex, w, h := in.st, in.ex, in.w, in.h
	if ex == nil {
		return nil, "", h
	}
	if ex.Response != nil {
		top = append(top, in.info(st))
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
		top = append(top, st.Warn.Render(ansi.Wordwrap("note: "+line(in.maskShown(n)), w, " ")))
	}
	if ex.Err != nil {
		top = append(top, st.Bad.Render(ansi.Wordwrap("error: "+line(in.maskShown(ex.Err.Error())), w, " /&?=")))
		if hint := providers.Hint(ex.Err); hint != "" {
			top = append(top, st.Warn.Render(ansi.Wordwrap("hint: "+line(hint), w, " ")))
		}
	} else if hint := exchange.StatusHint(ex.Response); hint != "" {
		// A 5xx, or a 429 not waited out, had no hint here (found by
		// internal/faults).
		top = append(top, st.Warn.Render(ansi.Wordwrap("hint: "+line(hint), w, " ")))
	}
	if r := ex.Response; r != nil && in.headers {
		lines := exchange.HeaderLines(r.Header, providers.Injection{}, secret.String{}, !in.redact)
		for i, line := range lines {
			// A server echoing the request in a header of its own
			// (X-Echo-Authorization) is masked like the body.
			lines[i] = in.maskShown(line)
		}
		room := max(1, (h-len(top))/3)
		if len(lines) > room {
			more := len(lines) - room + 1
			lines = append(lines[:room-1], fmt.Sprintf("… %d more headers: enter lists them all, h hides them", more))
		}
		for _, l := range lines {
			l = line(l)
			if name, value, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "…") {
				l = st.Field.Render(name+":") + value
			}
			top = append(top, l)
		}
	}
	if in.filterErr != nil && in.filter != "" {
		top = append(top, st.Warn.Render("filter: "+line(in.filterErr.Error())))
	}
	if in.prompt != nil {
		promptLine = in.prompt.View()
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

// syncInspector gives the response pane its open prompt (with the search
// prompt's count of hits) and its size, so that scrolling in Update works
// on the size View will draw.
func (m *Model) syncInspector() {
	p := m.popups.prompt()
	if p != nil && p.kind == popSearch {
		note := ""
		if m.insp.query != "" {
			note = hitsNote(len(m.insp.hits))
		}
		p.Popup.(*ui.Prompt).SetNote(note)
	}
	m.insp.prompt = p
	l := m.layout()
	m.insp.SetSize(l.respW-2, l.bottomH-2)
}

// SetSize implements ui.Component: the pane's content area. The body view
// gets the rows the lines above and under it leave.
func (in *inspector) SetSize(w, h int) {
	in.w, in.h = w, h
	in.fit()
}

// fit sizes the body view for what the pane now shows above and under it.
func (in *inspector) fit() {
	_, _, bodyH := in.parts()
	in.view.SetSize(in.w, bodyH)
}

// View implements ui.Component: the response pane's content.
func (in *inspector) View() string {
	st, ex := in.st, in.ex
	if ex == nil {
		return st.Muted.Render("ctrl+s sends the request; the answer shows here")
	}
	top, promptLine, _ := in.parts()
	parts := append([]string(nil), top...)
	if ex.Response != nil {
		parts = append(parts, in.view.View())
	}
	if promptLine != "" {
		parts = append(parts, promptLine)
	}
	return strings.Join(parts, "\n")
}

// responseTitle is "Response · 200 OK · 143 ms · 2.1 KB".
func (m *Model) responseTitle() string {
	if m.sending {
		return "Response · " + m.spinner.View() + " " + durfmt.Timing(m.now.Sub(m.sendStart))
	}
	if m.ex == nil || m.ex.Response == nil {
		return "Response"
	}
	r := m.ex.Response
	return "Response · " + statusWords(r) + " · " + durfmt.Timing(r.Duration) + " · " + document.HumanSize(r.Size)
}

// statusWords is "200 OK": the code and the server's reason phrase, which
// may hold anything and is sanitized.
func statusWords(r *exchange.Response) string {
	return fmt.Sprintf("%d %s", r.Status, termtext.Line(r.StatusText))
}

// info is the line above the body: status in its colour, time and its
// breakdown, size, kind and the toggles.
func (in *inspector) info(st *ui.Styles) string {
	r := in.resp
	status := st.Render(statusTone(r.Status), statusWords(r))
	parts := []string{status}
	if r.Status == 401 || r.Status == 403 {
		// Next to the status, before the timing: at the end of the
		// line a narrow pane cut it ("! expla…").
		parts = append(parts, st.Warn.Render("! explains why"))
	}
	if b := timingBreakdown(r.Timing); b != "" {
		parts = append(parts, b)
	}
	if d := in.shown; d != nil {
		mode := " · pretty"
		switch {
		case d.Kind() == document.KindBinary:
			mode = ""
		case in.raw:
			mode = " · raw"
		}
		parts = append(parts, d.Kind().String()+mode)
		if !in.view.Wrap() {
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

// hitsNote is the search prompt's count: "1 hit", "42 hits", and
// "100000+ hits" when the search stopped at its cap.
func hitsNote(n int) string {
	switch {
	case n == 1:
		return "1 hit"
	case n >= document.MaxHits:
		return fmt.Sprintf("%d+ hits", n)
	}
	return fmt.Sprintf("%d hits", n)
}

// openHeaders lists every header of the answer in a popup, scrolled with
// the arrows: the pane shows as many as a third of it holds (an API's
// answer often carries twenty). Masked as the pane masks them while
// redacting; ctrl+r switches it while it is open.
func (m Model) openHeaders() (tea.Model, tea.Cmd) {
	in := &m.insp
	if in.ex == nil || in.ex.Response == nil {
		m.notice = "no answer yet: ctrl+s sends the request"
		return m, nil
	}
	h := in.ex.Response.Header
	text := func(reveal bool) string {
		lines := exchange.HeaderLines(h, providers.Injection{}, secret.String{}, reveal)
		for i, l := range lines {
			if !reveal && in.red != nil {
				l = in.red.Redact(l)
			}
			lines[i] = termtext.Line(l)
		}
		return strings.Join(lines, "\n")
	}
	m.openTextPair(fmt.Sprintf("Response headers · %d", headerCount(h)), text(true), text(false))
	return m, nil
}

// headerCount is how many header lines h makes: one a value.
func headerCount(h http.Header) int {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	return n
}
