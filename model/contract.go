package model

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/spec"
)

// The answer against the contract: in the Response pane, D shows what
// the spec documents for the status received, and V checks the body
// against that schema. Both find the operation the request was for by
// the method and path sent (so a chosen operation, a saved request and a
// typed path all work), and do their work off the UI loop: the first
// reads the whole document, and a body may be megabytes.

// contractWant is a D or V waiting for its provider's spec to load.
type contractWant struct {
	provider string
	check    bool
}

// contractMsg is the documented response, and with check the findings,
// as the popup shows them; or why there is nothing to show.
type contractMsg struct {
	provider string
	title    string
	// text is what the popup shows; masked is it with the secrets
	// masked, shown while redacting.
	text, masked string
	notice       string
}

// contract starts D (check false) or V (check true) for the exchange
// shown. A key press (retry) tries a spec that failed once more, as o
// and ! do: the server may be back. The D or V that waited for a load
// does not, or a spec that keeps failing would be asked for forever.
func (m Model) contract(check, retry bool) (tea.Model, tea.Cmd) {
	e := m.active()
	if m.ex == nil || m.ex.Response == nil {
		m.notice = "no answer yet: send a request first"
		return m, nil
	}
	if e == nil || e.Config == nil || e.Config.OpenAPI == "" {
		m.notice = "no documented response for this request: the provider has no openapi spec"
		return m, nil
	}
	if e.spec == nil || e.spec.loading || (retry && e.spec.err != nil) {
		cmd := m.wantSpec(e)
		m.contractWant = &contractWant{provider: e.name, check: check}
		m.notice = "loading the spec…"
		return m, cmd
	}
	if e.spec.err != nil {
		m.notice = "no documented response: the spec is unavailable (o shows why)"
		return m, nil
	}
	red := m.insp.red
	sess := e.Session
	redact := func(s string) string {
		if red != nil {
			s = red.Redact(s)
		}
		if sess != nil {
			s = sess.Redact(s)
		}
		return s
	}
	return m, contractCmd(e.name, e.spec.s, m.ex, check, redact)
}

// onContractSpec runs the D or V that waited for this provider's spec.
func (m Model) onContractSpec(name string) (tea.Model, tea.Cmd) {
	w := m.contractWant
	if w == nil || w.provider != name {
		return m, nil
	}
	m.contractWant = nil
	if e := m.active(); e == nil || e.name != name {
		return m, nil
	}
	return m.contract(w.check, false)
}

// contractCmd finds the documented response for ex and, with check,
// checks its body, off the UI loop.
func contractCmd(provider string, s *spec.Spec, ex *exchange.Exchange, check bool, redact func(string) string) tea.Cmd {
	return func() tea.Msg {
		op := requestOp(s, ex.Sent)
		if op == nil {
			return contractMsg{provider: provider, notice: "no documented response for this request: " + termtext.Line(ex.Sent.Method) + " on this path is not an operation of the spec"}
		}
		resp := ex.Response
		r, ok := s.Response(op, resp.Status, resp.Header.Get("Content-Type"))
		if !ok {
			return contractMsg{provider: provider, notice: fmt.Sprintf("no documented response for %d: %s %s documents none for it, nor a range or default", resp.Status, termtext.Line(op.Method), termtext.Line(op.Path))}
		}
		if !check {
			title, text := documentedText(op, resp.Status, r)
			return contractMsg{provider: provider, title: title, text: text, masked: redact(text)}
		}
		title := fmt.Sprintf("Check · %d against %s %s", resp.Status, op.Method, op.Path)
		if !r.HasSchema() {
			return contractMsg{provider: provider, notice: fmt.Sprintf("nothing to check: the documented %s response has no schema", termtext.Line(r.Status))}
		}
		if resp.Truncated {
			text := fmt.Sprintf("The body was cut at %d bytes when received, so it cannot be checked whole.", len(resp.Body))
			return contractMsg{provider: provider, title: termtext.Line(title), text: text, masked: text}
		}
		masked := findingsText(r, r.Validate(resp.Body, redact))
		text := findingsText(r, r.Validate(resp.Body, nil))
		return contractMsg{provider: provider, title: termtext.Line(title), text: text, masked: redact(masked)}
	}
}

// requestOp is the operation a sent request was for: the spec path that
// matches the method and path sent, a chosen operation's included (it is
// one of the spec's; what was sent, edited or not, is what counts).
func requestOp(s *spec.Spec, sent exchange.Sent) *spec.Operation {
	if sent.URL == nil {
		return nil
	}
	op, _ := s.Index.Route(sent.Method, sent.URL.String())
	return op
}

// onContract opens what contractCmd found, or says why there is none.
func (m Model) onContract(msg contractMsg) (tea.Model, tea.Cmd) {
	if msg.notice != "" {
		m.notice = msg.notice
		return m, nil
	}
	m.notice = "" // "loading the spec…" is over
	// The findings were masked apart, their quoted values before they
	// were cut short.
	m.openTextPair(msg.title, msg.text, msg.masked)
	return m, nil
}

// documentedText is D's popup: the operation, the response key that
// matched, its description, media type and schema. All of it is the
// spec's text, made safe to draw.
func documentedText(op *spec.Operation, status int, r *spec.Response) (string, string) {
	title := fmt.Sprintf("Documented · %d → %s of %s %s", status, r.Status, op.Method, op.Path)
	var b strings.Builder
	desc := strings.TrimSpace(r.Description)
	if desc == "" {
		desc = "(no description)"
	}
	b.WriteString(termtext.Text(desc) + "\n")
	switch {
	case r.MediaType == "":
		b.WriteString("\nNo content documented.")
	case r.Schema == "":
		b.WriteString("\n" + termtext.Line(r.MediaType) + " · no schema documented")
	default:
		b.WriteString("\n" + termtext.Line(r.MediaType) + " · schema:\n" + termtext.Text(r.Schema))
		b.WriteString("\n\nV checks the body against it.")
	}
	return termtext.Line(title), b.String()
}

// findingsText is V's popup: each violation with its JSON path, or that
// there is none; then what stopped the check early and what it skipped.
func findingsText(r *spec.Response, res spec.Result) string {
	var b strings.Builder
	switch n := len(res.Findings); {
	case n == 0 && res.Cut == "":
		fmt.Fprintf(&b, "The body matches the documented %s schema (%s).", termtext.Line(r.Status), termtext.Line(r.MediaType))
	case n == 1:
		b.WriteString("1 violation:")
	case n > 1:
		fmt.Fprintf(&b, "%d violations:", n)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "\n%s  %s: %s", termtext.Line(f.Path), termtext.Line(f.Rule), termtext.Line(f.Message))
	}
	if res.Cut != "" {
		b.WriteString("\n\n" + termtext.Line(res.Cut))
	}
	for _, n := range res.Notes {
		b.WriteString("\n" + termtext.Line(n))
	}
	return strings.TrimLeft(b.String(), "\n")
}
