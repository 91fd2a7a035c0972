package model

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	webbrowser "github.com/keyhole-sh/keyhole/internal/browser"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/ui"
)

// pendingMsg reports an interactive grant that now waits for the person.
type pendingMsg struct {
	name    string
	seq     int
	pending *providers.Pending
	err     error
}

func authorizeCmd(ctx context.Context, sess *providers.Session, name string, seq int, opts providers.AuthorizeOptions) tea.Cmd {
	return func() tea.Msg {
		p, err := sess.Authorize(ctx, opts)
		return pendingMsg{name: name, seq: seq, pending: p, err: err}
	}
}

// waitCmd waits for the person to finish; its answer is a tokenMsg.
func waitCmd(ctx context.Context, p *providers.Pending, name string, seq int) tea.Cmd {
	return func() tea.Msg {
		tok, err := p.Wait(ctx)
		return tokenMsg{name: name, seq: seq, tok: tok, err: err}
	}
}

// cancelPendingCmd abandons a sign-in off the UI loop: Cancel waits for
// the grant to wind down (its listener, a store write).
func cancelPendingCmd(p *providers.Pending) tea.Cmd {
	return func() tea.Msg {
		p.Cancel()
		return nil
	}
}

// revokedMsg and introspectedMsg are the token pane's x and i.
type revokedMsg struct {
	name string
	err  error
}

type introspectedMsg struct {
	name   string
	result map[string]any
	err    error
}

func revokeCmd(sess *providers.Session, name string) tea.Cmd {
	return func() tea.Msg { return revokedMsg{name: name, err: sess.Revoke(context.Background())} }
}

func introspectCmd(sess *providers.Session, name string) tea.Cmd {
	return func() tea.Msg {
		r, err := sess.Introspect(context.Background())
		return introspectedMsg{name: name, result: r, err: err}
	}
}

// authorize starts the active provider's interactive grant. It is the only
// path that opens a browser, and only on a.
func (m Model) authorize() (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil || e.Session == nil {
		return m, nil
	}
	if !e.Config.Interactive() {
		m.notice = e.name + " needs no sign-in: r gets a new token"
		return m, nil
	}
	var cmds []tea.Cmd
	if e.cancel != nil {
		e.cancel()
	}
	if e.pending != nil {
		cmds = append(cmds, cancelPendingCmd(e.pending))
		e.pending = nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.seq++
	if e.act == providers.Idle {
		e.before = e.err
	}
	e.act, e.err, e.cancel = providers.AwaitingUser, nil, cancel
	opts := providers.AuthorizeOptions{Open: m.opts.OpenURL, NoBrowser: m.opts.NoBrowser || m.opts.OpenURL == nil}
	cmds = append(cmds, authorizeCmd(ctx, e.Session, e.name, e.seq, opts), m.spinner.Tick)
	return m, tea.Batch(cmds...)
}

func (m Model) onPending(msg pendingMsg) (tea.Model, tea.Cmd) {
	e := m.entries.named(msg.name)
	if e == nil || msg.seq != e.seq {
		if msg.pending != nil {
			return m, cancelPendingCmd(msg.pending)
		}
		return m, nil
	}
	// Discovery ran before the person is sent anywhere: say now where
	// the sign-in goes.
	e.noteDiscovery()
	if msg.err != nil {
		e.act, e.cancel, e.err = providers.Idle, nil, msg.err
		return m, nil
	}
	e.pending = msg.pending
	m.setFocus(paneToken)
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	m.openSignIn(e)
	return m, waitCmd(ctx, msg.pending, e.name, e.seq)
}

// openSignIn puts e's sign-in on the stack, in place of one still there.
func (m *Model) openSignIn(e *entry) {
	m.popups = m.popups.withoutKinds(popSignIn)
	p := e.pending
	opts := ui.SignInOptions{
		Title:    "Sign in · " + termtext.Line(e.name),
		Address:  p.URL,
		CanPaste: p.CanPaste(),
		CanOpen:  m.canBrowse(),
	}
	if p.Grant == config.GrantDeviceCode {
		opts.Title += " · device code"
		if p.CompleteURL != "" {
			opts.Address = p.CompleteURL
		} else {
			opts.Code = p.UserCode // the address does not carry it: c copies it
		}
	}
	sp := &popup{Popup: ui.NewSignIn(m.styles, m.keys, opts), kind: popSignIn, entry: e.name}
	if p.CompleteURL != "" && webbrowser.Check(p.CompleteURL) == nil {
		sp.qr = ui.QR(p.CompleteURL) // once: it is the same code until the sign-in ends
	}
	m.open(sp)
	m.syncSignIn()
}

// browsedMsg is the answer of b in the sign-in: the browser opened, or
// why not.
type browsedMsg struct{ err error }

// browseCmd opens a sign-in's address in the browser again, off the UI
// loop (the opener starts a program). An address the server gave that is
// not a web address is refused, as when the sign-in started.
func browseCmd(open func(string) error, address string) tea.Cmd {
	return func() tea.Msg {
		err := webbrowser.Check(address)
		if err == nil {
			err = open(address)
		}
		return browsedMsg{err: err}
	}
}

// onBrowsed says how b went.
func (m *Model) onBrowsed(msg browsedMsg) {
	if msg.err != nil {
		m.notice = "not opened: " + msg.err.Error() + "; c copies the address"
		return
	}
	m.notice = "the address is open in the browser"
}

// submitPaste hands the address pasted in the sign-in to the waiting
// grant.
func (m *Model) submitPaste(name, text string) {
	e := m.entries.named(name)
	if e == nil || e.pending == nil {
		return
	}
	if err := e.pending.Paste(text); err != nil {
		m.notice = err.Error()
	}
}

// cancelSignIn abandons e's sign-in (esc in its popup). A cancelled
// attempt changes nothing: the token held, if any, is still good, and the
// session kept it.
func (m *Model) cancelSignIn(name string) {
	e := m.entries.named(name)
	if e == nil || e.cancel == nil {
		return
	}
	e.cancel() // ends the wait, which cancels the grant and its listener
	e.pending = nil
	e.seq++
	e.act, e.cancel, e.err = providers.Idle, nil, e.before
	m.notice = "sign-in cancelled"
}

// claimsText shows the token's JWT claims, marked unverified. With
// inject.token = "id_token" the ID token is the one sent: its claims come
// first, the access token's below them.
func claimsText(e *entry) (title, body string) {
	if e.tok != nil && e.Config != nil && e.Config.SendsIDToken() && !e.tok.ID.IsZero() {
		return idClaimsText(e.tok)
	}
	if e.tok == nil {
		return "Claims", "There is no token yet: there are no claims to decode."
	}
	if e.tok.Claims == nil {
		return "Claims", "The token is not a JWT: there are no claims to decode.\nIntrospection (i) asks the provider instead, where it has the endpoint."
	}
	return "Claims · decoded, NOT verified", prettyJSON(e.tok.Claims.Raw) + "\n\n" + claimTimes(e.tok.Claims)
}

func claimTimes(c *jwt.Claims) string {
	var lines []string
	if !c.Expiry.IsZero() {
		lines = append(lines, "exp "+c.Expiry.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if !c.IssuedAt.IsZero() {
		lines = append(lines, "iat "+c.IssuedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if !c.NotBefore.IsZero() {
		lines = append(lines, "nbf "+c.NotBefore.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	return strings.Join(lines, "\n")
}

// prettyJSON writes what a server sent (claims, an introspection answer)
// as indented JSON, made safe to draw: JSON escapes C0 controls but leaves
// C1 controls and bidirectional overrides as they are.
func prettyJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return termtext.Text(fmt.Sprint(v))
	}
	return termtext.Text(string(b))
}

// syncSignIn gives the sign-in popup what the person must do for the
// pending grant: it is drawn where the request and response stand, which
// has the room a URL and a QR code need. The addresses and the user code
// come from the server: they are drawn sanitized, and an address keyhole
// would not open gets no QR code. The countdown moves with the clock, so
// this runs after every message.
func (m *Model) syncSignIn() {
	p := m.popups.find(popSignIn)
	if p == nil {
		return
	}
	e := m.entries.named(p.entry)
	if e == nil || e.pending == nil {
		return
	}
	l := m.layout()
	body, foot := m.signInLines(e, l.w-2, l.bottomH-2, p.qr)
	p.Popup.(*ui.SignIn).SetContent(body, foot)
}

// signInLines are the sign-in's lines above and under the paste box.
func (m *Model) signInLines(e *entry, w, h int, qr string) (body, foot []string) {
	st := m.styles
	p := e.pending
	line := termtext.Line
	scopes := strings.Join(p.Scopes, " ")
	if scopes == "" {
		scopes = "(none asked)"
	}
	approving := st.Muted.Render(fmt.Sprintf("approving client %s for scopes %s", line(p.ClientID), line(scopes)) + detailsAsked(e))
	left := durfmt.Clock(p.Expires.Sub(m.now))
	if p.Grant == config.GrantDeviceCode {
		// The address on lines of its own, wrapped: after "open" on one
		// line, a tenant's long address was cut at 80 columns, and any
		// at 60. The code stands apart below it where the pane has the
		// room, else it is said first, so that both show.
		code := st.HeaderMark.Render(line(p.UserCode))
		url := wrapHard(line(p.URL), w)
		for i := range url {
			url[i] = st.Bold.Render(url[i])
		}
		if 1+len(url)+2 <= h {
			body = append(body, "On any device, open this address and enter the code:")
			body = append(body, url...)
			body = append(body, "", "    "+code, "")
		} else {
			body = append(body, "On any device, enter the code "+code+" at:")
			body = append(body, url...)
			body = append(body, "")
		}
		if errors.Is(p.OpenErr, webbrowser.ErrNotWebURL) {
			body = append(body, st.Warn.Render(line("Not opened: "+p.OpenErr.Error()+"; check the address before you open it.")), "")
		}
		if qr != "" && lipgloss.Height(qr)+8 <= m.layout().bottomH {
			body = append(body, qr, "")
		} else if qr != "" {
			body = append(body, st.Muted.Render("(enlarge the terminal to see a QR code)"), "")
		}
		body = append(body, approving, st.Muted.Render("code expires in "+left+" · "+m.signInKeys(p)))
		return body, nil
	}
	body = append(body, "Open this address in a browser to sign in:")
	urlAt, url := len(body), wrapHard(line(p.URL), w)
	body = append(body, url...)
	switch {
	case p.Opened:
		body = append(body, st.Good.Render("A browser was opened with it."))
	case errors.Is(p.OpenErr, webbrowser.ErrNotWebURL):
		body = append(body, st.Warn.Render(line("Not opened: "+p.OpenErr.Error()+"; check the address before you open it.")))
	case p.OpenErr != nil:
		body = append(body, st.Warn.Render("No browser could be opened ("+line(p.OpenErr.Error())+"): open it yourself."))
	case m.opts.SSH:
		body = append(body, st.Warn.Render("This is an SSH session: open it on your own machine, then paste below."))
	default:
		body = append(body, st.Muted.Render("No browser was opened: open it yourself."))
	}
	foot = []string{"", st.Muted.Render("waits " + left + " more · " + m.signInKeys(p))}
	// A long address (many scopes, a tenant's parameters) must not push
	// the paste line and the keys out of a small pane. The blank lines
	// and the client and scopes give way first (the address is what a
	// person without a clipboard must read); then it is cut, and c
	// copies it whole (b opens it).
	// Wrapped, not cut: the address it ends on is how the person knows
	// what to paste.
	paste := strings.Split(ansi.Wordwrap("If the browser cannot reach this machine, paste here the address it ends on, starting "+p.Redirect+" (enter to type, enter again to send):", w, " "), "\n")
	switch room := h - len(body) - len(paste) - 1 - len(foot); {
	case room >= 3:
		body = append(body, "", approving, "")
	case room == 2:
		body = append(body, "", approving)
	case room == 1:
		body = append(body, approving)
	case room < 0:
		foot = foot[1:] // the blank line over the keys
	}
	body = append(body, paste...)
	if over := len(body) + 1 + len(foot) - h; over > 0 && len(url) > 2 {
		keep := max(1, len(url)-over-1)
		cut := append(slices.Clone(url[:keep]), st.Muted.Render("… the address goes on: c copies it whole"))
		body = slices.Concat(body[:urlAt], cut, body[urlAt+len(url):])
	}
	return body, foot
}

// detailsAsked names the types of the authorization_details (RFC 9396)
// the sign-in asks for, as the consent page will show them: "" when none.
func detailsAsked(e *entry) string {
	if e.Config == nil || len(e.Config.AuthorizationDetails) == 0 {
		return ""
	}
	var types []string
	for _, d := range e.Config.AuthorizationDetails {
		if t, _ := d["type"].(string); t != "" && !slices.Contains(types, termtext.Line(t)) {
			types = append(types, termtext.Line(t))
		}
	}
	if len(types) == 0 {
		return ""
	}
	return " and authorization_details of type " + strings.Join(types, ", ")
}

// signInKeys names the sign-in's keys under its text: c copies the code
// where the address does not carry it, b only where there is a browser.
func (m *Model) signInKeys(p *providers.Pending) string {
	keys := "c copies the address"
	if p.Grant == config.GrantDeviceCode && p.CompleteURL == "" {
		keys = "c copies the code"
	}
	if m.canBrowse() {
		keys += " · b opens it"
	}
	return keys + " · esc cancels"
}

// canBrowse reports whether there is a browser here to open an address in.
func (m *Model) canBrowse() bool { return m.opts.OpenURL != nil && !m.opts.NoBrowser }

// wrapHard cuts s into lines of w cells: a URL has no spaces to wrap at,
// and the person needs all of it.
func wrapHard(s string, w int) []string {
	if w <= 0 {
		return []string{s}
	}
	var out []string
	r := []rune(s)
	for len(r) > w {
		out = append(out, string(r[:w]))
		r = r[w:]
	}
	return append(out, string(r))
}
