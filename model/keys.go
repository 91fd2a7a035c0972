package model

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// Keys: onKey is the one place a key press is routed. The ctrl-keys act
// over everything; then the popup on top of the stack gets the key; then
// the composer, while a field is typed in; then the keys of browsing mode
// that act anywhere; then the focused pane.

func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	m.notice = "" // a notice lasts until the next key
	if m.tooSmall() {
		// The screen says only "enlarge it, or press q to quit": any
		// other key acted on panes and inputs not drawn (q typed into a
		// hidden filter, x revoked a token out of sight).
		if key.Matches(msg, k.Quit) || key.Matches(msg, k.QuitKey) {
			m.cancelAll()
			return m, tea.Quit
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		m.cancelAll()
		return m, tea.Quit
	case key.Matches(msg, k.Redact):
		return m.toggleRedact()
	case key.Matches(msg, k.Send):
		m.composer.StopTyping()
		return m.send()
	}
	if p := m.popups.top(); p != nil {
		return m.popupKey(p, msg)
	}
	if m.composer.Typing() {
		switch {
		case key.Matches(msg, k.Cancel) && m.sending:
			return m.cancel(), nil // what is in flight first, then the input
		case key.Matches(msg, k.Cancel):
			m.composer.StopTyping()
			return m, nil
		case m.composer.SingleLine() && (key.Matches(msg, k.NextPane) || key.Matches(msg, k.PrevPane)):
			m.composer.StopTyping() // and tab moves on, below
		default:
			return m, m.composer.Update(msg)
		}
	}
	return m.browsingKey(msg)
}

// browsingKey is a key in browsing mode: the keys that act anywhere, then
// the focused pane's.
func (m Model) browsingKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel) && m.focus == paneResponse && m.op != nil && m.op.shown:
		return m.opKey(msg) // puts the last answer back
	case key.Matches(msg, k.Cancel):
		return m.cancel(), nil
	case key.Matches(msg, k.QuitKey):
		m.cancelAll()
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.open(&popup{Popup: ui.NewHelpPopup(m.styles, m.keys), kind: popHelp})
		return m, nil
	case key.Matches(msg, k.History):
		return m.openHistory()
	case key.Matches(msg, k.Open):
		return m.openRequests()
	case key.Matches(msg, k.Environments):
		return m.openEnvironments()
	case key.Matches(msg, k.Watching):
		m.openWatching()
		return m, nil
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
		if m.op != nil && m.op.shown {
			return m.opKey(msg)
		}
		return m.inspectorKey(msg)
	}
	return m, nil
}

func (m Model) providersKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Select):
		return m.selectProvider(m.list.Cursor())
	case key.Matches(msg, k.Refresh):
		nm, cmd := m.fetch(m.list.Cursor(), true)
		m = nm.(Model)
		if i := m.list.Cursor(); i != m.list.Active() && i >= 0 && i < len(m.entries) && m.entries[i].act != providers.Idle {
			m.entries[i].tell = true
		}
		return m, cmd
	case key.Matches(msg, k.Authorize):
		// The Token pane beside says "press a to sign in" while the
		// cursor is still here, after enter: a signs in to the provider
		// under the cursor, used from then on, as enter would.
		var first tea.Cmd
		if i := m.list.Cursor(); i >= 0 && i < len(m.entries) && m.entries[i].Config != nil && !m.entries[i].Config.Interactive() {
			// Nothing to sign in to: the provider in use stays.
			m.notice = m.entries[i].name + " needs no sign-in: r gets a new token"
			return m, nil
		}
		if m.list.Cursor() != m.list.Active() {
			nm, cmd := m.selectProvider(m.list.Cursor())
			m, first = nm.(Model), cmd
		}
		nm, cmd := m.authorize()
		return nm, tea.Batch(first, cmd)
	}
	return m, m.list.Update(msg)
}

func (m Model) tokenKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	e := m.active()
	if e == nil {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return m.fetch(m.list.Active(), true)
	case key.Matches(msg, k.Authorize):
		return m.authorize()
	case key.Matches(msg, k.Copy):
		return m.copyToken(e)
	case key.Matches(msg, k.Claims):
		title, body := claimsText(e)
		m.openMaskedText(e, title, body)
	case e.Session == nil:
	case key.Matches(msg, k.Revoke):
		return m, revokeCmd(e.Session, e.name)
	case key.Matches(msg, k.Introspect):
		return m, introspectCmd(e.Session, e.name)
	}
	return m, nil
}

// copyToken puts the token on the clipboard with OSC 52, which reaches
// the person's own clipboard over SSH too. (While signing in, the sign-in
// popup's c copies the address instead.)
func (m Model) copyToken(e *entry) (tea.Model, tea.Cmd) {
	if e.tok != nil && e.Config != nil && !providers.Sent(e.Config, e.tok).IsZero() {
		m.notice = "token copied to the clipboard (OSC 52)"
		return m, tea.SetClipboard(providers.Sent(e.Config, e.tok).Reveal())
	}
	m.notice = "no token to copy"
	return m, nil
}

// requestKey: the Request pane's own keys act on the request; the
// composer moves its cursor and starts typing.
func (m Model) requestKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.CopyCurl):
		return m.copyCurl()
	case key.Matches(msg, k.FormatBody):
		return m.formatBody()
	case key.Matches(msg, k.SaveRequest):
		return m.openSaveRequest()
	}
	return m, m.composer.Update(msg)
}
