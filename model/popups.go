package model

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/ui"
)

// popupKind says what a popup on the stack is for: what its result means
// and where it is drawn.
type popupKind int

const (
	popHelp     popupKind = iota // the full help, over every pane
	popText                      // claims, introspection, the doctor's why: where the request and response stand
	popRequests                  // the picker on the requests you can send (o)
	popHistory                   // the picker on history (H)
	popSignIn                    // an interactive grant waiting for the person
	popSearch                    // the response pane's prompts, on its last line
	popFilter
	popSave
	popConfirm // a yes-or-no question, over every pane (the token to an operation's own server)
	popEnvs    // the picker on the environments (e)
	popDanger  // a write in a dangerous environment: y sends it

	// The collection's: C's name for a captured value (the response
	// pane's last line), and S's file and name for a request to save.
	popCapture
	popSaveFile
	popSavePath
	popSaveName

	// Sharing's (keyhole share): W's list of viewers, and X's question
	// whether to disconnect them all.
	popWatching
	popDisconnect
)

// popup is one entry of the stack: a ui component and what the root needs
// to act on its result.
type popup struct {
	ui.Popup
	kind popupKind
	// picks says what each row of a picker stands for.
	picks []pick
	// entry is the provider a sign-in is for, and qr its address as a QR
	// code (device grant), drawn once.
	entry string
	qr    string
	// follow, when set, redraws the popup for the redaction switch: a
	// text or a list that shows secrets keeps a masked and a revealed
	// form, made when it opened, and ctrl+r picks one while it is open.
	follow func(redact bool)
	// why marks the 401/403 doctor's answer, redrawn when the spec it
	// waits for arrives.
	why bool
}

// popupStack holds the open popups, the last on top. It is copied with
// the model: push and without make a new slice rather than write into one
// an older model may share.
type popupStack []*popup

// top is the popup that gets keys first, or nil.
func (s popupStack) top() *popup {
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}

// push puts p on top.
func (s popupStack) push(p *popup) popupStack { return append(slices.Clip(s), p) }

// without is the stack less p.
func (s popupStack) without(p *popup) popupStack {
	return slices.DeleteFunc(slices.Clone(s), func(q *popup) bool { return q == p })
}

// withoutKinds is the stack less every popup of the kinds given.
func (s popupStack) withoutKinds(kinds ...popupKind) popupStack {
	return slices.DeleteFunc(slices.Clone(s), func(q *popup) bool { return slices.Contains(kinds, q.kind) })
}

// find is the topmost popup of one of the kinds given, or nil.
func (s popupStack) find(kinds ...popupKind) *popup {
	for i := len(s) - 1; i >= 0; i-- {
		if slices.Contains(kinds, s[i].kind) {
			return s[i]
		}
	}
	return nil
}

// open puts a popup on the stack, sized for where it is drawn.
func (m *Model) open(p *popup) {
	m.popups = m.popups.push(p)
	m.layout().sizePopup(p)
}

// openText shows a titled text where the request and response stand.
func (m *Model) openText(title, body string) {
	m.open(&popup{Popup: ui.NewTextPopup(m.keys, title, body), kind: popText})
}

// openMaskedText shows a server's text, or one decoded from the token,
// its secrets masked by e's session (its own secrets, the token,
// credential fields) while redacting — whatever the switch was when it
// opened: ctrl+r switches it while it is open.
func (m *Model) openMaskedText(e *entry, title, body string) {
	masked := body
	if e != nil && e.Session != nil {
		masked = e.Session.Redact(body)
	}
	m.openTextPair(title, body, masked)
}

// openTextPair shows text, or masked while redacting; ctrl+r switches
// it while it is open.
func (m *Model) openTextPair(title, text, masked string) {
	if masked == text {
		m.openText(title, text)
		return
	}
	pick := func(redact bool) string {
		if redact {
			return masked
		}
		return text
	}
	tp := ui.NewTextPopup(m.keys, title, pick(m.redact))
	m.open(&popup{Popup: tp, kind: popText, follow: func(redact bool) { tp.SetBody(pick(redact)) }})
}

// followRedact redraws every open popup that shows secrets for the
// switch as it now stands.
func (m *Model) followRedact() {
	for _, p := range m.popups {
		if p.follow != nil {
			p.follow(m.redact)
		}
	}
}

// popupKey gives a key to the popup on top: the one place where a popup
// gets a key. A popup that is not typing leaves q and ? to the root: q
// quits from anywhere, ? opens the help over it. Everything else is the
// popup's: a key it does not answer to does nothing, so nothing opens
// hidden behind it — except beside a sign-in (besideSignIn).
func (m Model) popupKey(p *popup, msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if !p.Typing() {
		switch {
		case key.Matches(msg, m.keys.QuitKey):
			m.cancelAll()
			return m, tea.Quit
		case key.Matches(msg, m.keys.Help) && p.kind != popHelp:
			m.open(&popup{Popup: ui.NewHelpPopup(m.styles, m.keys), kind: popHelp})
			return m, nil
		case p.kind == popSignIn && !answers(p, msg):
			return m.besideSignIn(msg)
		}
	}
	return m.afterPopup(p, p.Update(msg))
}

// answers reports whether msg is one of the keys p lists in its help,
// which are the bindings its Update matches (ui.Component).
func answers(p ui.Popup, msg tea.KeyPressMsg) bool {
	for _, group := range p.FullHelp() {
		if key.Matches(msg, group...) {
			return true
		}
	}
	return false
}

// besideSignIn takes a key the sign-in does not answer to. A sign-in
// waits minutes for the person, drawn where the request and response
// stand, with the Providers and Token panes in view: a key acts as it
// would without it — o and H open the picker over it, the pane in view
// that has the focus takes its keys — but tab moves between those two
// panes only, so that no key reaches a pane the sign-in hides.
func (m Model) besideSignIn(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	inView := m.focus == paneProviders || m.focus == paneToken
	switch {
	case key.Matches(msg, k.NextPane, k.PrevPane):
		next := paneProviders
		if m.focus == paneProviders {
			next = paneToken
		}
		m.setFocus(next)
		return m, nil
	case inView, key.Matches(msg, k.Open, k.History):
		// (A row chosen in the picker leaves the focus on the hidden
		// Request pane: o and H still act, and tab brings it back.)
		return m.browsingKey(msg)
	}
	return m, nil
}

// afterPopup acts on what a popup says after it took a message: the one
// place a popup's result is read. Open popups may have news (the text of
// a live search, an address pasted); a closed one leaves the stack and its
// result is acted on.
func (m Model) afterPopup(p *popup, cmd tea.Cmd) (tea.Model, tea.Cmd) {
	if p.Result() == ui.Open {
		return m, tea.Batch(cmd, m.popupNews(p))
	}
	m.popups = m.popups.without(p)
	next, more := m.popupClosed(p)
	return next, tea.Batch(cmd, more)
}

// popupNews acts on an open popup's news.
func (m *Model) popupNews(p *popup) tea.Cmd {
	switch p.kind {
	case popSearch, popFilter:
		return m.promptChanged(p)
	case popSignIn:
		sp := p.Popup.(*ui.SignIn)
		if text, ok := sp.TakePaste(); ok {
			m.submitPaste(p.entry, text)
		}
		if address, ok := sp.TakeOpen(); ok {
			return browseCmd(m.opts.OpenURL, address)
		}
	}
	return nil
}

// popupClosed acts on a popup that closed: a row chosen, a prompt kept or
// dropped, a sign-in abandoned.
func (m Model) popupClosed(p *popup) (tea.Model, tea.Cmd) {
	done := p.Result() == ui.Done
	switch p.kind {
	case popRequests, popHistory:
		if i, ok := p.Popup.(*ui.Picker).Chosen(); ok && done {
			return m.choose(p.picks[i])
		}
	case popSearch, popFilter, popSave:
		return m.promptClosed(p, done)
	case popSignIn:
		m.cancelSignIn(p.entry)
	case popConfirm:
		return m.confirmed(p)
	case popEnvs:
		if i, ok := p.Popup.(*ui.Picker).Chosen(); ok && done {
			return m.chooseEnv(*p.picks[i].env)
		}
	case popDanger:
		return m.dangerConfirmed(p)
	case popWatching:
		if done {
			return m.watchingAct(p)
		}
	case popDisconnect:
		return m.disconnectConfirmed(p)
	case popCapture:
		return m.captureClosed(p, done)
	case popSaveFile, popSavePath, popSaveName:
		return m.saveStep(p, done)
	}
	return m, nil
}

// bottom is the topmost popup drawn where the request and response
// stand, or nil.
func (s popupStack) bottom() *popup {
	return s.find(popText, popRequests, popHistory, popSignIn, popConfirm, popEnvs, popDanger, popSaveFile, popSavePath, popSaveName, popWatching, popDisconnect)
}

// prompt is the response pane's open prompt, or nil.
func (s popupStack) prompt() *popup { return s.find(popSearch, popFilter, popSave, popCapture) }

// sizePopup gives p the content area of where it is drawn.
func (l layout) sizePopup(p *popup) {
	switch p.kind {
	case popHelp:
		p.SetSize(l.w-2, l.h-4)
	case popSearch, popFilter, popSave, popCapture:
		p.SetSize(l.respW-2, 1)
	default:
		p.SetSize(l.w-2, l.bottomH-2)
	}
}
