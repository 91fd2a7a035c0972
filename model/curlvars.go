package model

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/curl"
)

// curlMsg is a curl command made off the UI loop, for a request whose
// {{…}} had to be expanded first.
type curlMsg struct {
	command, notice string
}

// copyCurlExpanded copies as curl a request with {{…}} in it: expanded as
// a send would expand it, off the UI loop ($dotenv reads a file), its
// secret values masked like the provider's own unless secrets are shown.
// A $auth.token request is not exported: its token would have to be
// written into the command.
func (m Model) copyCurlExpanded(e *entry, r exchange.Request, opts curl.Options) (tea.Model, tea.Cmd) {
	if owner, ok := authRefOwner(r.Header); ok {
		m.notice = "copy as curl: a request with {{$auth.token(\"" + owner + "\")}} is not exported (its token would be in the command); keyhole run sends it"
		return m, nil
	}
	refs, err := composedRefs(r.Target, headerText(r.Header), r.Body)
	if err != nil {
		m.notice = "copy as curl: " + err.Error()
		return m, nil
	}
	if unset := unsetNames(refs, m.varLayers(e.name)); len(unset) > 0 {
		m.notice = "copy as curl: " + braceNote(unset)[len("not sent: "):]
		return m, nil
	}
	x, p, name := m.newExpansion(e.name, false), e.Config, e.name
	sources := curlSources(p, e.tok, name) // read here: the Cmd runs off the model
	return m, func() tea.Msg {
		out, err := x.expand(context.Background(), r)
		if err != nil {
			return curlMsg{notice: "copy as curl: " + err.Error()}
		}
		redact := opts.Redact
		opts.Redact = func(s string) string {
			if redact != nil {
				s = redact(s)
			}
			return out.red.Redact(s)
		}
		// Expanded already: a value's braces are not the provider's vars.
		bare := *p
		bare.Vars = nil
		c, err := curl.Export(&bare, out.req, opts)
		if err != nil {
			return curlMsg{notice: "copy as curl: " + out.red.Redact(err.Error())}
		}
		return curlMsg{command: c.Command, notice: "copied as curl, its {{variables}} expanded; " + sources}
	}
}

// onCurl puts a command made off the loop on the clipboard.
func (m Model) onCurl(msg curlMsg) (tea.Model, tea.Cmd) {
	m.notice = msg.notice
	if msg.command == "" {
		return m, nil
	}
	return m, tea.SetClipboard(msg.command)
}
