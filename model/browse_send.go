package model

import (
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/ui"
)

// send sends the composed request, unless it has a {{name}} that no
// variable fills (the provider's vars, the environment, the file's @vars,
// a capture): a request with braces in it is never what was meant. A request to the chosen operation's own
// server on another origin asks first whether the token may go there.
func (m Model) send() (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil || e.Session == nil || e.Config == nil {
		return m.sendWith(false)
	}
	_, target, headerText, body := m.composer.Request()
	refs, err := composedRefs(target, headerText, body)
	if err != nil {
		m.notice = "not sent: " + err.Error()
		return m, nil
	}
	if len(refs) > 0 {
		owner := e.name
		if fields, err := exchange.ParseHeaders(headerText); err == nil {
			if o, ok := authRefOwner(fields); ok {
				owner = o
			}
		}
		if unset := unsetNames(refs, m.varLayers(owner)); len(unset) > 0 {
			m.notice = braceNote(unset)
			return m, nil
		}
	}
	force := false
	if c := m.op; c != nil && c.foreign != "" && c.provider == e.name && originOf(target) == c.foreign {
		if !c.asked {
			m.open(&popup{Popup: ui.NewConfirm(m.styles, m.keys, "Send the token to another origin?", m.foreignQuestion(c)), kind: popConfirm})
			return m, nil
		}
		force = c.answered
	}
	if m.op != nil && m.op.shown {
		c := *m.op
		c.shown = false
		m.op = &c
	}
	return m.sendWith(force)
}

// foreignQuestion asks whether the token may go to an operation's own
// server.
func (m *Model) foreignQuestion(c *chosenOp) string {
	e := m.entries.named(c.provider)
	base := ""
	if e != nil && e.Config != nil {
		base = e.Config.BaseURL
	}
	return strings.Join([]string{
		"The operation " + termtext.Line(c.op.Method+" "+c.op.Path) + " is served at " + termtext.Line(c.foreign) + ",",
		"which is not the origin of " + termtext.Line(c.provider) + "'s base_url (" + termtext.Line(base) + ").",
		"keyhole sends a token only to its provider's origin unless you say yes here.",
		"",
		"Send your token to " + termtext.Line(c.foreign) + " with this operation?",
		"No sends the request without the token.",
	}, "\n")
}

// confirmed acts on the answer about the token and an operation's own
// server: yes sends it with the token, no without; esc sends nothing.
// The answer holds for this operation until another is chosen.
func (m Model) confirmed(p *popup) (tea.Model, tea.Cmd) {
	cf := p.Popup.(*ui.Confirm)
	if m.op == nil || cf.Result() != ui.Done {
		m.notice = "not sent"
		return m, nil
	}
	c := *m.op
	c.asked, c.answered = true, cf.Yes()
	m.op = &c
	return m.send()
}

// originOf is target's scheme://host when it is an absolute URL, else "".
func originOf(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
