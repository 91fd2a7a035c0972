package model

import (
	"fmt"
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/doctor"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/ui"
)

// The 401/403 doctor's answer, opened with !. What the provider's spec
// says of the operation (the scopes it requires) is part of the evidence:
// after a refusal, and only then, ! loads that provider's spec if it was
// not loaded yet, off the UI loop, and the popup is redrawn when it comes.

// openWhy opens the doctor's answer for the exchange shown, and starts
// loading the provider's spec when a refusal needs it.
func (m Model) openWhy() (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if e := m.active(); e != nil && m.refused() {
		cmd = m.wantSpec(e) // nil without an openapi key, or when asked for already
	}
	title, body := m.whyText()
	m.open(&popup{Popup: ui.NewTextPopup(m.keys, title, body), kind: popText, why: true})
	return m, cmd
}

// followWhy redraws an open doctor's answer: the spec it waited for came.
func (m *Model) followWhy() {
	for _, p := range m.popups {
		if tp, ok := p.Popup.(*ui.TextPopup); ok && p.why {
			_, body := m.whyText()
			tp.SetBody(body)
		}
	}
}

// refused reports whether the exchange shown was answered 401 or 403.
func (m *Model) refused() bool {
	if m.ex == nil || m.ex.Response == nil {
		return false
	}
	s := m.ex.Response.Status
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// whyText is the 401/403 doctor's answer for the exchange shown: the
// likely cause first, each with its fix in the config's own words.
func (m *Model) whyText() (title, body string) {
	e := m.active()
	if m.ex == nil || m.ex.Response == nil || e == nil || e.Config == nil {
		return "Why?", "No answer to explain yet."
	}
	var op *doctor.Operation
	note := ""
	if m.refused() && e.Config.OpenAPI != "" {
		switch {
		case e.spec == nil || e.spec.loading:
			note = "Loading the spec to check the scopes this operation needs…"
		case e.spec.err != nil:
			note = "The spec is unavailable (o shows why): the scopes this operation needs were not checked."
		default:
			op = doctorOperation(e.spec.s, m.ex.Sent)
		}
	}
	findings := m.ex.DiagnoseOp(e.Config, m.now, op)
	if len(findings) == 0 {
		return "Why?", fmt.Sprintf("The answer is %d %s: the doctor explains 401 and 403 answers.", m.ex.Response.Status, termtext.Line(m.ex.Response.StatusText))
	}
	st := m.styles
	var b strings.Builder
	for i, f := range findings {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(st.Bad.Render(fmt.Sprintf("%d. ", i+1)) + termtext.Line(f.Cause) + "\n")
		// The indent stands outside the colour, where the popup's
		// folding sees it and indents the fix's wrapped lines under it.
		b.WriteString("   " + st.Good.Render("fix: ") + termtext.Line(f.Fix))
	}
	if note != "" {
		b.WriteString("\n\n" + st.Muted.Render(note))
	}
	return fmt.Sprintf("Why %d? · the likely cause first", m.ex.Response.Status), b.String()
}

// doctorOperation is what the spec says of the request sent, as the
// doctor takes it: plain data, nil when no operation matches.
func doctorOperation(s *spec.Spec, sent exchange.Sent) *doctor.Operation {
	return exchange.DoctorOperation(requestOp(s, sent))
}
