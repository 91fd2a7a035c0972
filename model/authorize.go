package model

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
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
	e := m.entry(msg.name)
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
	m.paste.SetValue("")
	m.setFocus(paneToken)
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	return m, waitCmd(ctx, msg.pending, e.name, e.seq)
}

// startPaste gives the keyboard to the paste box.
func (m Model) startPaste() (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil || e.pending == nil || !e.pending.CanPaste() {
		return m, nil
	}
	m.pasting = true
	return m, m.paste.Focus()
}

// submitPaste hands the pasted redirect to the waiting grant.
func (m Model) submitPaste() (tea.Model, tea.Cmd) {
	m.pasting = false
	m.paste.Blur()
	e := m.active()
	if e == nil || e.pending == nil {
		return m, nil
	}
	if err := e.pending.Paste(m.paste.Value()); err != nil {
		m.notice = err.Error()
	}
	return m, nil
}

func newPasteInput() textinput.Model {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = "paste the address the browser ended on"
	return ti
}

// overlay is a titled text shown where the request and response stand:
// decoded claims, an introspection answer.
type overlay struct {
	title string
	body  string
}

// claimsOverlay shows the token's JWT claims, marked unverified.
func claimsOverlay(e *entry) *overlay {
	if e.tok == nil || e.tok.Claims == nil {
		return &overlay{title: "Claims", body: "The token is not a JWT: there are no claims to decode.\nIntrospection (i) asks the provider instead, where it has the endpoint."}
	}
	return &overlay{title: "Claims · decoded, NOT verified", body: prettyJSON(e.tok.Claims.Raw) + "\n\n" + claimTimes(e.tok.Claims)}
}

func claimTimes(c *providers.Claims) string {
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

// signInView is what the person must do for the pending grant, drawn in
// the bottom area, which has the room a URL and a QR code need. The
// addresses and the user code come from the server: they are drawn
// sanitized, and an address keyhole would not open gets no QR code.
func (m *Model) signInView(e *entry, w int) string {
	st := m.styles
	p := e.pending
	line := termtext.Line
	var lines []string
	scopes := strings.Join(p.Scopes, " ")
	if scopes == "" {
		scopes = "(none asked)"
	}
	approving := st.Muted.Render(fmt.Sprintf("approving client %s for scopes %s", line(p.ClientID), line(scopes)))
	left := FormatRemaining(p.Expires.Sub(m.now))
	if p.Grant == "device_code" {
		lines = append(lines, "On any device, open "+st.Bold.Render(line(p.URL))+" and enter the code", "", "    "+st.HeaderMark.Render(line(p.UserCode)), "")
		if errors.Is(p.OpenErr, providers.ErrNotWebURL) {
			lines = append(lines, st.Warn.Render(line("Not opened: "+p.OpenErr.Error()+"; check the address before you open it.")), "")
		}
		if p.CompleteURL != "" && providers.CheckBrowserURL(p.CompleteURL) == nil {
			if q := ui.QR(p.CompleteURL); q != "" && lipgloss.Height(q)+8 <= m.layout().bottomH {
				lines = append(lines, q, "")
			} else if q != "" {
				lines = append(lines, st.Muted.Render("(enlarge the terminal to see a QR code)"), "")
			}
		}
		lines = append(lines, approving, st.Muted.Render("code expires in "+left+" · c copies the address · esc cancels"))
		return strings.Join(lines, "\n")
	}
	lines = append(lines, "Open this address in a browser to sign in:")
	lines = append(lines, wrapHard(line(p.URL), w)...)
	switch {
	case p.Opened:
		lines = append(lines, st.Good.Render("A browser was opened with it."))
	case errors.Is(p.OpenErr, providers.ErrNotWebURL):
		lines = append(lines, st.Warn.Render(line("Not opened: "+p.OpenErr.Error()+"; check the address before you open it.")))
	case p.OpenErr != nil:
		lines = append(lines, st.Warn.Render("No browser could be opened ("+line(p.OpenErr.Error())+"): open it yourself."))
	case m.opts.SSH:
		lines = append(lines, st.Warn.Render("This is an SSH session: open it on your own machine, then paste below."))
	default:
		lines = append(lines, st.Muted.Render("No browser was opened: open it yourself."))
	}
	lines = append(lines, "", approving, "", "If the browser cannot reach this machine, it ends on an address starting "+p.Redirect+".", "Paste that address here (enter to type, enter again to send):", m.paste.View(), "", st.Muted.Render("waits "+left+" more · c copies the address · esc cancels"))
	return strings.Join(lines, "\n")
}

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
