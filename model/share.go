package model

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/share"
	"github.com/keyhole-sh/keyhole/ui"
)

// Sharing is the SSH share the session is shown through (keyhole share;
// share.Server is one). The presenter's model publishes a frame there at
// the end of every Update while anyone watches, and never waits for a
// viewer: Publish only stores into each viewer's slot.
type Sharing interface {
	Publish(frame any)
	Viewers() []share.Viewer
	DisconnectAll(why string)
	JoinCode() string
	RenewCode() (string, error)
	Fingerprint() string
	Addr() string
}

// SharingChangedMsg says a viewer came or left: the header's count and
// the W list follow, and a newcomer gets a frame at once. Send it from
// the share's Changed callback, off the server's goroutines.
type SharingChangedMsg struct{}

// The lines a viewer's session ends with.
const (
	goodbyeDisconnected = "keyhole share: the presenter disconnected every viewer."
	// GoodbyeQuit is what viewers read when the presenter quits.
	GoodbyeQuit = "keyhole share: the presenter ended the session. Goodbye."
)

// sharingKeys switches W, and X and R on its list, on while sharing and
// off (out of the help too) otherwise.
func sharingKeys(k *ui.KeyMap, on bool) {
	k.Watching.SetEnabled(on)
	k.Disconnect.SetEnabled(on)
	k.RenewCode.SetEnabled(on)
}

// publish hands viewers the frame of the model as it now stands. It runs
// at the end of Update, after sync, and costs the presenter one frame's
// worth of copying (frame.go) — only while someone watches.
func (m *Model) publish() {
	if m.opts.Share == nil || m.watching == 0 {
		return
	}
	m.opts.Share.Publish(m.frame())
}

// onSharingChanged counts the viewers again, redraws W's list if it is
// open, and publishes at once for the one who just came.
func (m Model) onSharingChanged() (tea.Model, tea.Cmd) {
	if m.opts.Share == nil {
		return m, nil
	}
	before := m.watching
	m.watching = len(m.opts.Share.Viewers())
	if p := m.popups.find(popWatching); p != nil {
		p.Popup.(*ui.TextPopup).SetBody(m.watchingText())
	}
	if m.watching > before {
		m.notice = fmt.Sprintf("a viewer joined: %d watching (W: who)", m.watching)
	}
	return m, nil
}

// sharingFlag is the header's mark while sharing: how many watch.
func (m *Model) sharingFlag() string {
	if m.opts.Share == nil {
		return ""
	}
	return m.styles.Warn.Render(fmt.Sprintf("⇄ SHARED · %d watching", m.watching))
}

// openWatching opens W's list of who watches.
func (m *Model) openWatching() {
	if m.opts.Share == nil {
		return
	}
	m.watching = len(m.opts.Share.Viewers())
	acts := []key.Binding{m.keys.Disconnect}
	if m.opts.Share.JoinCode() != "" {
		acts = append(acts, m.keys.RenewCode)
	}
	tp := ui.NewActionTextPopup(m.keys, "Watching", m.watchingText(), acts...)
	m.open(&popup{Popup: tp, kind: popWatching})
}

// watchingAct acts on a key of W's list: X asks before disconnecting
// everyone, R makes a new join code (the old one admits no one more;
// viewers in stay).
func (m Model) watchingAct(p *popup) (tea.Model, tea.Cmd) {
	if p.Popup.(*ui.TextPopup).Acted() == 0 {
		m.askDisconnect()
		return m, nil
	}
	code, err := m.opts.Share.RenewCode()
	if err != nil {
		m.notice = "no new join code: " + err.Error()
		return m, nil
	}
	m.notice = "new join code " + code + ": the old one admits no one more"
	m.openWatching()
	return m, nil
}

// watchingText is W's list: how to join, and who watches.
func (m *Model) watchingText() string {
	s := m.opts.Share
	host, port := splitAddr(s.Addr())
	lines := []string{
		"Viewers connect with:  ssh -p " + port + " " + host,
		"Host key " + s.Fingerprint() + " (viewers can check it on their first connection)",
	}
	if code := s.JoinCode(); code != "" {
		lines = append(lines, "Join code: "+code+" (typed at the viewer's prompt; never shown to viewers)")
	} else {
		lines = append(lines, "Who gets in: the keys of the authorized keys file")
	}
	viewers := s.Viewers()
	lines = append(lines, "")
	if len(viewers) == 0 {
		lines = append(lines, "No one is watching.")
	} else {
		lines = append(lines, fmt.Sprintf("%d watching:", len(viewers)))
	}
	for _, v := range viewers {
		lines = append(lines, fmt.Sprintf("  %-24s %s@%s  since %s", termtext.Line(v.Who), termtext.Line(v.User), v.Addr, v.Since.In(m.opts.Location).Format(time.TimeOnly)))
	}
	lines = append(lines, "", "X disconnects every viewer (after a question); R makes a new join code. Viewers see your session masked, whatever you reveal.")
	if s.JoinCode() == "" {
		lines[len(lines)-1] = "X disconnects every viewer (after a question). Viewers see your session masked, whatever you reveal."
	}
	return strings.Join(lines, "\n")
}

// splitAddr is host and port of a listening address, for the ssh line.
func splitAddr(addr string) (host, port string) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return addr, "22"
	}
	return strings.Trim(addr[:i], "[]"), addr[i+1:]
}

// askDisconnect asks before X disconnects everyone.
func (m *Model) askDisconnect() {
	n := m.watching
	cf := ui.NewConfirm(m.styles, m.keys, "Disconnect every viewer?", fmt.Sprintf("%d watching. They can connect again while the join code or their key admits them.\n\nDisconnect every viewer?", n))
	cf.OthersSayNo()
	m.open(&popup{Popup: cf, kind: popDisconnect})
}

// disconnectConfirmed acts on the answer to askDisconnect.
func (m Model) disconnectConfirmed(p *popup) (tea.Model, tea.Cmd) {
	if !p.Popup.(*ui.Confirm).Yes() || m.opts.Share == nil {
		return m, nil
	}
	m.opts.Share.DisconnectAll(goodbyeDisconnected)
	m.notice = "every viewer was disconnected"
	return m, nil
}
