package model

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/collection/runner"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	nm, cmd := m.update(msg)
	next := nm.(Model)
	next.sync()
	next.publish()
	return next, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.Theme == "" || m.opts.Theme == "auto" {
			m.setStyles(ui.NewStyles(msg.IsDark()))
		}
		return m, nil
	case tickMsg:
		m.now = m.opts.Now()
		read := m.readHistory() // before m is copied as the receiver below
		return m.refreshExpiring(tea.Batch(tick(), read))
	case spinner.TickMsg:
		if !m.inFlight() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case backendMsg:
		return m.onBackend(msg)
	case historyLoadedMsg:
		return m.onHistoryLoaded(msg)
	case SharingChangedMsg:
		return m.onSharingChanged()
	case envSwitchedMsg:
		return m.onEnvSwitched(msg)
	case autoSelectMsg:
		if len(m.entries) == 0 {
			return m, nil
		}
		return m.selectProvider(0)
	case tokenMsg:
		return m.onToken(msg)
	case pendingMsg:
		return m.onPending(msg)
	case peekedAllMsg:
		for _, p := range msg {
			// Matched by session too: a peek of an environment left
			// behind finds no provider of its own.
			if e := m.entries.named(p.name); e != nil && e.Session == p.sess && e.tok == nil && e.act == providers.Idle {
				e.tok = p.tok
				if p.err != nil {
					m.notice = p.err.Error()
				}
			}
		}
		return m, nil
	case revokedMsg:
		if errors.Is(msg.err, providers.ErrNoEndpoint) {
			// Nothing was sent and nothing forgotten: the token and its
			// state stay as they were, and the notice says why.
			// Short enough for the status line at 80 columns: the longer
			// one was cut before it said what became of the token.
			m.notice = msg.name + ": no revocation endpoint (set revoke_url): nothing sent, the token kept"
			return m, nil
		}
		if e := m.entries.named(msg.name); e != nil {
			// The session knows what it still holds: a revocation that
			// failed before forgetting anything leaves the token in place.
			e.tok, e.err = e.Session.Cached(), msg.err
			if msg.err == nil {
				m.notice = "token revoked at the provider and forgotten here"
			}
		}
		return m, nil
	case introspectedMsg:
		if msg.err != nil {
			m.openText("Introspection · failed", termtext.Line(msg.err.Error())+"\n"+termtext.Line(providers.Hint(msg.err)))
		} else {
			// The answer is the server's text: a token or secret echoed
			// in it is masked like any other on screen.
			m.openMaskedText(m.entries.named(msg.name), "Introspection · the provider's answer", prettyJSON(msg.result))
		}
		return m, nil
	case sentMsg:
		return m.onSent(msg)
	case specMsg:
		return m.onSpec(msg)
	case collectionMsg:
		return m.onCollection(msg)
	case capturedMsg:
		return m.onCaptured(msg)
	case collSavedMsg:
		return m.onCollSaved(msg)
	case curlMsg:
		return m.onCurl(msg)
	case opMsg:
		return m.onOp(msg)
	case contractMsg:
		return m.onContract(msg)
	case docMsg:
		return m, m.insp.onDoc(msg)
	case searchMsg:
		m.insp.onSearch(msg)
		return m, nil
	case filterMsg:
		return m, m.insp.onFilter(msg)
	case savedMsg:
		return m.onSaved(msg)
	case browsedMsg:
		m.onBrowsed(msg)
		return m, nil
	case tea.PasteMsg:
		switch p := m.popups.top(); {
		case m.tooSmall():
			// Into a field or a filter not drawn.
		case p != nil:
			return m.afterPopup(p, p.Update(msg))
		case isCurl(msg.Content) && m.focus == paneRequest:
			return m.importCurl(msg.Content)
		case m.composer.Typing():
			return m, m.composer.Update(msg)
		case m.focus == paneRequest && m.composer.Field != ui.FieldMethod:
			// Pasted on a field not yet edited, the text went nowhere,
			// without a word: it goes in, as after enter.
			start := m.composer.StartTyping()
			return m, tea.Batch(start, m.composer.Update(msg))
		case m.focus == paneRequest:
			m.notice = "the method takes no paste: ↓ to a field, or paste a curl command for the whole request"
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.onMouse(msg.(tea.MouseMsg))
	}
	return m, nil
}

func (m Model) onBackend(msg backendMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.startErr = msg.err
		m.entries = nil
		m.syncList()
		return m, nil
	}
	m.setBackend(msg.backend)
	m.syncList()
	peek := m.peekAll()
	if m.opts.AutoFetch && len(m.entries) > 0 {
		nm, cmd := m.selectProvider(0)
		return nm, tea.Batch(peek, cmd)
	}
	return m, peek
}

func (m Model) onToken(msg tokenMsg) (tea.Model, tea.Cmd) {
	e := m.entries.named(msg.name)
	if e == nil || msg.seq != e.seq {
		return m, nil // a newer request has replaced this one
	}
	e.act, e.cancel, e.pending = providers.Idle, nil, nil
	if p := m.popups.find(popSignIn); p != nil && p.entry == e.name {
		m.popups = m.popups.without(p) // signed in, or failed: the token pane says which
	}
	e.noteDiscovery()
	if msg.err != nil {
		e.err = msg.err
	} else {
		e.tok, e.err = msg.tok, nil
		m.sayCacheErr(msg.tok)
	}
	if e.tell {
		// r on a provider the Token pane does not show: only its
		// glyph changed, which read as r doing nothing.
		e.tell = false
		switch {
		case msg.err != nil:
			m.notice = e.name + ": " + m.state(e).String() + " (enter shows why)"
		case msg.tok == nil || msg.tok.CacheErr == nil:
			m.notice = e.name + ": new token (enter uses it)"
		}
		// else sayCacheErr's notice stands: it names the provider, and
		// the next start will want the token again.
	}
	return m, nil
}

// sayCacheErr puts on the status line that the token just issued could
// not be cached: it is in use, but the next start will need another.
func (m *Model) sayCacheErr(tok *providers.Token) {
	if tok != nil && tok.CacheErr != nil {
		m.notice = tok.CacheErr.Error()
	}
}

func (m Model) onSent(msg sentMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.sendSeq {
		return m, nil
	}
	m.sending, m.sendCancel = false, nil
	if e := m.entries.named(msg.name); e != nil {
		if e.act == providers.Fetching {
			e.act = providers.Idle
		}
		e.noteDiscovery()
		switch {
		case msg.tokErr != nil:
			e.err = msg.tokErr
		case msg.tok != nil && e.tok != nil && msg.tok.Access.Equal(e.tok.Access):
			// The token held was sent: it keeps where it came from
			// (the session reports a reused token as from its cache,
			// which read as if the one fetched a minute ago had not
			// been).
			e.err = nil
		case msg.tok != nil:
			e.tok, e.err = msg.tok, nil
			m.sayCacheErr(msg.tok)
		}
	}
	if msg.tokErr != nil {
		m.ex = &exchange.Exchange{Err: fmt.Errorf("no token, request not sent: %w", msg.tokErr)}
	} else {
		m.ex = msg.ex
	}
	m.newBody(msg.docs, msg.red)
	if msg.from != nil && msg.ex != nil {
		m.keepAnswer(msg.from.req.Name, msg.ex, msg.seen)
		if said := m.fileCaptures(msg.from, msg.ex, msg.seen.Response); len(said) > 0 {
			m.notice = "@capture: " + msg.red.Redact(strings.Join(said, ", "))
		}
	}
	// Where only one bottom pane fits, the answer is what the person
	// wants to see next.
	if m.layout().single {
		m.lastBottom = paneResponse
		if m.focus == paneRequest {
			m.focus = paneResponse
		}
	}
	return m, nil
}

// setFocus moves the focus, remembering which bottom pane was last seen.
func (m *Model) setFocus(p pane) {
	m.focus = p
	if p == paneRequest || p == paneResponse {
		m.lastBottom = p
	}
}

// selectProvider makes provider i the one in use and fetches its token if
// none is held.
func (m Model) selectProvider(i int) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.entries) {
		return m, nil
	}
	changed := m.list.Active() != i
	m.list.SetActive(i)
	m.list.SetCursor(i)
	e := m.entries[i]
	if changed {
		m.loadComposer(e)
		m.ex = nil
		m.newBody(docPair{}, nil)
	}
	if e.tok != nil || e.act != providers.Idle {
		return m, nil
	}
	return m.fetch(i, false)
}

// fetch starts a token request for provider i.
func (m Model) fetch(i int, force bool) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.entries) {
		return m, nil
	}
	e := m.entries[i]
	if e.Session == nil {
		if e.Err == nil && m.backend == nil {
			m.notice = "still starting; try again in a moment"
		}
		return m, nil
	}
	if e.cancel != nil {
		e.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.seq++
	if e.act == providers.Idle {
		e.before = e.err
	}
	e.act, e.err, e.cancel = providers.Fetching, nil, cancel
	e.tell = false // r sets it again, after this
	if e.tok != nil {
		e.act = providers.Refreshing
	}
	return m, tea.Batch(fetchCmd(ctx, e.Session, e.name, e.seq, force), m.spinner.Tick)
}

// sendWith sends the composed request with the active provider's token;
// force sends it to another origin than base_url's too (a yes to an
// operation's own server).
func (m Model) sendWith(force bool) (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil {
		m.notice = "select a provider first (enter in the Providers pane)"
		return m, nil
	}
	if e.Session == nil {
		m.notice = "provider " + e.name + " cannot get a token: see the Token pane"
		return m, nil
	}
	if m.confirmDanger(e) {
		return m, nil
	}
	method, path, headerText, body := m.composer.Request()
	headers, err := exchange.ParseHeaders(headerText)
	if err != nil {
		m.ex = &exchange.Exchange{Err: err}
		m.newBody(docPair{}, nil)
		return m, nil
	}
	r := exchange.Request{Method: method, Target: path, Header: headers, Body: body}
	x, by := m.sendExpansion(e, r)
	if by == nil {
		return m, nil
	}
	e = by
	if m.sendCancel != nil {
		m.sendCancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.sendSeq++
	m.sending, m.sendCancel, m.sendStart = true, cancel, m.opts.Now()
	m.notice = ""
	if st := providers.StateOf(e.sentTok(), e.act, nil, m.now, m.opts.RefreshBefore); st != providers.StateValid && e.act == providers.Idle && (x == nil || !x.viaAuth) {
		e.act = providers.Fetching
	}
	opts := exchange.Options{MaxBody: m.opts.MaxBody, Now: m.opts.Now, Timeout: e.Config.Timeout.Std(), ForceToken: force}
	client := e.Client
	if client == nil {
		client = m.backend.Client
	}
	send := sendCmd(ctx, client, m.backend.History, e, r, m.sendSeq, opts, x)
	if from := m.from; from != nil {
		inner := send
		send = func() tea.Msg {
			msg := inner()
			if sm, ok := msg.(sentMsg); ok {
				sm.from = from
				if sm.ex != nil && sm.ex.Response != nil {
					sm.seen = vars.Exchange{Request: runner.RequestSeen(sm.ex, sm.tokens...), Response: runner.ResponseSeen(sm.ex, sm.tokens...)}
				}
				return sm
			}
			return msg
		}
	}
	return m, tea.Batch(send, m.spinner.Tick)
}

// cancel is esc while browsing with no popup open: it cancels what is in
// flight for the focused pane. (A popup takes esc first; the composer
// leaves its field on esc.)
func (m Model) cancel() Model {
	switch {
	case m.sending && (m.focus == paneRequest || m.focus == paneResponse):
		m.sendCancel()
		m.sending, m.sendCancel = false, nil
		m.sendSeq++
		m.ex = &exchange.Exchange{Err: errors.New("cancelled")}
		m.newBody(docPair{}, nil)
	case (m.focus == paneProviders || m.focus == paneToken) && m.active() != nil && m.active().cancel != nil:
		e := m.active()
		e.cancel() // ends the wait, which cancels the grant and its listener
		e.pending = nil
		e.seq++
		// A cancelled attempt changes nothing: the token held, if any,
		// is still good, and the session kept it.
		e.act, e.cancel, e.err = providers.Idle, nil, e.before
		m.notice = "cancelled"
	}
	return m
}

func (m *Model) cancelAll() {
	if m.sendCancel != nil {
		m.sendCancel()
	}
	for _, e := range m.entries {
		if e.cancel != nil {
			e.cancel()
		}
	}
}
