package model

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/curl"
	"github.com/keyhole-sh/keyhole/ui"
)

// isCurl reports whether pasted text is a curl command.
func isCurl(text string) bool {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(t, "$ ")
	return strings.HasPrefix(t, "curl ") || strings.HasPrefix(t, "curl\t")
}

// importCurl fills the composer from a pasted curl command. A token in it
// (a keyhole token substitution, a Bearer header) is dropped: the provider
// injects its own on send.
func (m Model) importCurl(text string) (tea.Model, tea.Cmd) {
	r, info, err := curl.Parse(text)
	if err != nil {
		m.notice = "curl import: " + err.Error()
		return m, nil
	}
	m.composer.StopTyping()
	m.from = nil // a pasted request comes from no .http file
	target := r.Target
	if e := m.active(); e != nil && e.Config != nil {
		target = exchange.RelativeTarget(e.Config.BaseURL, r.Target)
	}
	var hdr, dropped []string
	for _, f := range r.Header {
		if isBearer(f.Name, f.Value) {
			// The command's own token: keyhole adds the provider's on
			// send, and a second Authorization line would stand in the
			// composer unsent.
			dropped = append(dropped, "dropped its "+f.Name+": Bearer header (keyhole adds its own token)")
			continue
		}
		hdr = append(hdr, f.Name+": "+f.Value)
	}
	m.composer.SetRequest(r.Method, target, strings.Join(hdr, "\n"), r.Body)
	m.notice = "curl command imported"
	if len(dropped) > 0 {
		if info == nil {
			info = &curl.Info{}
		}
		info.Notes = append(dropped, info.Notes...)
	}
	if info != nil && len(info.Notes)+len(info.Unknown)+len(info.Ignored) > 0 {
		var said []string
		said = append(said, info.Notes...)
		if len(info.Ignored) > 0 {
			said = append(said, "ignored "+strings.Join(info.Ignored, " "))
		}
		if len(info.Unknown) > 0 {
			said = append(said, "unknown "+strings.Join(info.Unknown, " "))
		}
		m.notice += ": " + strings.Join(said, "; ")
	}
	return m, nil
}

// isBearer reports whether a header carries a bearer token in
// Authorization.
func isBearer(name, value string) bool {
	scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
	return strings.EqualFold(name, "Authorization") && strings.EqualFold(scheme, "Bearer")
}

// copyCurl puts the composed request on the clipboard as a curl command
// whose token comes from $(keyhole token NAME): it carries no secret.
func (m Model) copyCurl() (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil || e.Config == nil {
		m.notice = "select a provider first"
		return m, nil
	}
	if m.opts.Demo {
		m.notice = "the built-in demo dies with keyhole: run keyhole serve-demo and use its config to export"
		return m, nil
	}
	method, path, headerText, body := m.composer.Request()
	headers, err := exchange.ParseHeaders(headerText)
	if err != nil {
		m.notice = err.Error()
		return m, nil
	}
	opts := curl.Options{ConfigPath: m.opts.ConfigPath, Token: e.tok, Reveal: !m.redact}
	if e.Session != nil {
		opts.Redact = e.Session.Redact
	}
	r := exchange.Request{Method: method, Target: path, Header: headers, Body: body}
	if refs, err := composedRefs(r.Target, headerText, r.Body); err != nil || len(refs) > 0 || m.bodyFromFile(r.Body) {
		return m.copyCurlExpanded(e, r, opts)
	}
	c, err := curl.Export(e.Config, r, opts)
	if err != nil {
		// The error may quote the path, and a secret typed into it.
		m.notice = "copy as curl: " + m.composerMask(ui.FieldBody, err.Error())
		return m, nil
	}
	m.notice = "copied as curl; " + curlSources(e.Config, e.tok, e.name)
	return m, tea.SetClipboard(c.Command)
}
