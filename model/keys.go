package model

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/ui"
)

// Keys: onKey routes a key press by mode, then by the focused pane.

func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	m.notice = "" // a notice lasts until the next key
	switch {
	case key.Matches(msg, k.Quit):
		m.cancelAll()
		return m, tea.Quit
	case key.Matches(msg, k.Redact):
		return m.toggleRedact()
	case key.Matches(msg, k.Send):
		m.composer.StopTyping()
		return m.send()
	case key.Matches(msg, k.Cancel):
		return m.cancel(), nil
	}
	if m.insp.prompt != promptNone {
		return m.promptKey(msg)
	}
	if m.hist != nil {
		return m.historyKey(msg)
	}
	if m.saved != nil {
		return m.savedKey(msg)
	}
	if m.pasting {
		if msg.Code == tea.KeyEnter {
			return m.submitPaste()
		}
		var cmd tea.Cmd
		m.paste, cmd = m.paste.Update(msg)
		return m, cmd
	}
	if m.composer.Typing() {
		if m.composer.SingleLine() && (key.Matches(msg, k.NextPane) || key.Matches(msg, k.PrevPane)) {
			m.composer.StopTyping()
		} else {
			return m, m.composer.Update(msg)
		}
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Help):
			m.showHelp = false
		case key.Matches(msg, k.QuitKey):
			m.cancelAll()
			return m, tea.Quit
		case key.Matches(msg, k.Down), key.Matches(msg, k.PageDown):
			m.helpOffset++
		case key.Matches(msg, k.Up), key.Matches(msg, k.PageUp):
			m.helpOffset = max(0, m.helpOffset-1)
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.QuitKey):
		m.cancelAll()
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpOffset = true, 0
		return m, nil
	case key.Matches(msg, k.History):
		return m.openHistory()
	case key.Matches(msg, k.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return m, nil
	case key.Matches(msg, k.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return m, nil
	}
	switch m.focus {
	case paneProviders:
		return m.providersKey(msg)
	case paneToken:
		return m.tokenKey(msg)
	case paneRequest:
		return m.requestKey(msg)
	case paneResponse:
		if nm, cmd, ok := m.inspectorKey(msg); ok {
			return nm, cmd
		}
	}
	return m, nil
}

func (m Model) providersKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.list.MoveUp()
	case key.Matches(msg, k.Down):
		m.list.MoveDown()
	case key.Matches(msg, k.Select):
		return m.selectProvider(m.list.Cursor)
	case key.Matches(msg, k.Refresh):
		return m.fetch(m.list.Cursor, true)
	}
	return m, nil
}

func (m Model) tokenKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	e := m.active()
	if e == nil {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return m.fetch(m.list.Active, true)
	case key.Matches(msg, k.Authorize):
		return m.authorize()
	case key.Matches(msg, k.Select) && e.pending != nil:
		return m.startPaste()
	case key.Matches(msg, k.Copy):
		return m.copyToken(e)
	case key.Matches(msg, k.Claims):
		m.overlay = claimsOverlay(e)
	case e.Session == nil:
	case key.Matches(msg, k.Revoke):
		return m, revokeCmd(e.Session, e.name)
	case key.Matches(msg, k.Introspect):
		return m, introspectCmd(e.Session, e.name)
	}
	return m, nil
}

// copyToken puts the token (or, while signing in, the address to open) on
// the clipboard with OSC 52, which reaches the person's own clipboard over
// SSH too.
func (m Model) copyToken(e *entry) (tea.Model, tea.Cmd) {
	switch {
	case e.pending != nil:
		target := e.pending.URL
		if e.pending.CompleteURL != "" {
			target = e.pending.CompleteURL
		}
		m.notice = "address copied to the clipboard"
		return m, tea.SetClipboard(target)
	case e.tok != nil:
		m.notice = "token copied to the clipboard (OSC 52)"
		return m, tea.SetClipboard(e.tok.Access.Reveal())
	}
	m.notice = "no token to copy"
	return m, nil
}

func (m Model) requestKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.composer.MoveField(-1)
	case key.Matches(msg, k.Down):
		m.composer.MoveField(1)
	case msg.String() == "left" && m.composer.Field == ui.FieldMethod:
		m.composer.CycleMethod(-1)
	case msg.String() == "right" && m.composer.Field == ui.FieldMethod:
		m.composer.CycleMethod(1)
	case key.Matches(msg, k.Select), key.Matches(msg, k.Edit):
		return m, m.composer.StartTyping()
	case key.Matches(msg, k.Yank):
		return m.copyCurl()
	case key.Matches(msg, k.Open):
		return m.openSaved()
	case key.Matches(msg, k.Filter):
		return m.formatBody()
	}
	return m, nil
}
