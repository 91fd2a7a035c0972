package model

import (
	"context"
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/ui"
)

// environment is the environment in force: its name ("" for none), its
// danger, its variables (Vars) and which of them are secret. Nil where
// there can be none (keyhole demo).
func (m *Model) environment() *collenv.Layer { return m.env }

// setEnvironment puts l in force, and what it has to say on the status
// line (an env-file provider the config shadows).
func (m *Model) setEnvironment(l *collenv.Layer) {
	m.env = l
	if l != nil && len(l.Warnings) > 0 {
		m.notice = strings.Join(l.Warnings, "; ")
	}
}

// envLabel names an environment for the screen.
func envLabel(name string) string {
	if name == "" {
		return "no environment"
	}
	return "environment " + termtext.Line(name)
}

// envDangerous reports whether the environment called name, one of l's
// Known, asks before a send that may change something: as collenv.Build
// decides, the config's danger = true, or a name prod or production.
func envDangerous(l *collenv.Layer, name string) bool {
	if l.Config != nil {
		if te, ok := l.Config.Environment(name); ok {
			return te.Dangerous()
		}
	}
	return config.DangerousEnv(name, false)
}

// envSource says where an environment is written.
func envSource(l *collenv.Layer, name string) string {
	inConfig := false
	if l.Config != nil {
		_, inConfig = l.Config.Environment(name)
	}
	switch inFiles := l.Files.Has(name); {
	case inConfig && inFiles:
		return "config and env file"
	case inFiles:
		return "env file"
	}
	return "config"
}

// openEnvironments opens the picker on the environments: none first, then
// the config's and the env files', the one in force and the dangerous
// ones marked.
func (m Model) openEnvironments() (tea.Model, tea.Cmd) {
	if m.env == nil || m.opts.SwitchEnv == nil {
		m.notice = "the built-in demo has no environments"
		return m, nil
	}
	known := m.env.Known()
	if len(known) == 0 {
		m.notice = "no environments: add [environments.NAME] to the config, or an " + collenv.PublicFile + " beside it"
		return m, nil
	}
	items, picks := envRows(m.env, known)
	m.openPicker(popEnvs, "Environments", items, picks)
	return m, nil
}

// envRows are the environment picker's rows: no environment, then known.
// The names come from files: they are made safe to draw.
func envRows(l *collenv.Layer, known []string) ([]ui.PickerItem, []pick) {
	names := append([]string{""}, known...)
	items := make([]ui.PickerItem, len(names))
	picks := make([]pick, len(names))
	for i, name := range names {
		it := ui.PickerItem{Group: "Environments", Title: termtext.Line(name), Detail: envSource(l, name)}
		if name == "" {
			it.Title, it.Detail = "no environment", "the config as written"
		}
		if name == l.Name {
			it.Source = "in force"
		}
		if name != "" && envDangerous(l, name) {
			it.Mark = "⚠ dangerous: a write asks first"
		}
		items[i] = it
		picks[i] = pick{env: &names[i]}
	}
	// The names padded to the widest, so that where each is written
	// stands in one column ("staging  config" and "no environment  the
	// config as written" did not line up).
	width := 0
	for _, it := range items {
		width = max(width, lipgloss.Width(it.Title))
	}
	for i := range items {
		items[i].Title += strings.Repeat(" ", width-lipgloss.Width(items[i].Title))
	}
	return items, picks
}

// chooseEnv switches to the environment called name, off the UI loop:
// the config with it applied is wired again through app.
func (m Model) chooseEnv(name string) (tea.Model, tea.Cmd) {
	if m.env != nil && name == m.env.Name {
		m.notice = "already in " + envLabel(name)
		return m, nil
	}
	m.envSeq++
	m.notice = "switching to " + envLabel(name) + "…"
	switchEnv, seq := m.opts.SwitchEnv, m.envSeq
	return m, func() tea.Msg {
		l, b, err := switchEnv(context.Background(), name)
		return envSwitchedMsg{seq: seq, name: name, layer: l, backend: b, err: err}
	}
}

// envSwitchedMsg is an environment wired, or why it could not be.
type envSwitchedMsg struct {
	seq     int
	name    string
	layer   *collenv.Layer
	backend *app.Backend
	err     error
}

// onEnvSwitched puts the new environment in force, keeping what the
// person was doing: the provider in use (by name), the composer's text,
// the response on screen. What was in flight belonged to the environment
// left and is cancelled; its answers, if any still come, are dropped (a
// token of staging never lands on prod's provider).
func (m Model) onEnvSwitched(msg envSwitchedMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.envSeq {
		return m, nil // another switch overtook this one
	}
	if msg.err != nil {
		m.notice = envLabel(msg.name) + " not switched to: " + msg.err.Error()
		return m, nil
	}
	var using, cursor string
	if e := m.active(); e != nil {
		using = e.name
	}
	if i := m.list.Cursor(); i >= 0 && i < len(m.entries) {
		cursor = m.entries[i].name
	}
	var notes []string
	if m.sending {
		m.sendCancel()
		m.sending, m.sendCancel = false, nil
		m.sendSeq++
		notes = append(notes, "the request in flight was cancelled")
	}
	// A token answer is matched by provider name and attempt number:
	// the new sessions count on from the old ones', so that an answer of
	// the old environment matches no attempt of the new.
	seqs := map[string]int{}
	for _, e := range m.entries {
		if e.cancel != nil {
			e.cancel()
		}
		seqs[e.name] = e.seq
	}
	m.popups = m.popups.withoutKinds(popSignIn)
	m.contractWant = nil
	if m.op != nil {
		// A yes to the token going to an operation's own server was said
		// for the environment left: it is asked again here.
		c := *m.op
		c.asked, c.answered = false, false
		m.op = &c
	}
	// The history is the person's, not the environment's: this session's
	// exchanges stay listed (a history kept in memory only too).
	if m.backend != nil && m.backend.History != nil {
		msg.backend.History = m.backend.History
	}
	m.setBackend(msg.backend)
	for _, e := range m.entries {
		e.seq = seqs[e.name] + 1
	}
	backendNote := m.notice
	m.env = msg.layer
	notes = append([]string{"now in " + envLabel(msg.name)}, notes...)
	if msg.layer.Danger {
		notes[0] += " (dangerous: a send other than GET, HEAD or OPTIONS asks first)"
	}
	m.list.SetActive(m.entries.index(using))
	m.list.SetCursor(max(0, m.entries.index(cursor)))
	cmds := []tea.Cmd{m.peekAll()}
	if i := m.entries.index(using); i >= 0 {
		nm, cmd := m.fetch(i, false)
		m = nm.(Model)
		cmds = append(cmds, cmd)
	} else if using != "" {
		notes = append(notes, envLabel(msg.name)+" has no provider "+termtext.Line(using)+": choose one in the Providers pane")
	}
	notes = append(notes, msg.layer.Warnings...)
	notes = append(notes, msg.layer.Notes...)
	if backendNote != "" && !strings.HasPrefix(backendNote, "switching to ") {
		notes = append(notes, backendNote)
	}
	m.notice = strings.Join(notes, "; ")
	m.syncList()
	return m, tea.Batch(cmds...)
}

// writes reports whether method may change something: any but GET, HEAD
// and OPTIONS.
func writes(method string) bool {
	switch strings.ToUpper(strings.TrimSpace(method)) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// confirmDanger asks before e's composed request goes out in a dangerous
// environment with a method that may change something; it reports
// whether it asked. Every send passes here (sendWith): ctrl+s, a request
// reopened from history, one chosen in the picker. A y lets that one
// send through (dangerConfirmed).
func (m *Model) confirmDanger(e *entry) bool {
	if m.dangerOK {
		return false
	}
	method, target, _, _ := m.composer.Request()
	if m.env == nil || !m.env.Danger || !writes(method) {
		return false
	}
	if m.popups.find(popDanger) == nil {
		name := termtext.Line(m.env.Name)
		method = strings.ToUpper(termtext.Line(method))
		cf := ui.NewConfirm(m.styles, m.keys, "Send "+method+" to "+name+"?", strings.Join([]string{
			"⚠ " + name + " is a dangerous environment (production, or marked danger = true).",
			termtext.Line(method+" "+pathMask(e, target)) + " with " + termtext.Line(e.name) + " may change something there.",
			"",
			"Send " + method + " to " + name + "?",
		}, "\n"))
		// Only y sends: any other key is a no.
		cf.OthersSayNo()
		m.open(&popup{Popup: cf, kind: popDanger})
	}
	return true
}

// dangerConfirmed acts on the answer to confirmDanger: y sends the
// request, as composed; anything else sends nothing.
func (m Model) dangerConfirmed(p *popup) (tea.Model, tea.Cmd) {
	if !p.Popup.(*ui.Confirm).Yes() {
		m.notice = "not sent"
		return m, nil
	}
	m.dangerOK = true
	nm, cmd := m.send()
	// The yes was for this send only, whether or not it went.
	next := nm.(Model)
	next.dangerOK = false
	return next, cmd
}

// envNameW is the most of an environment's name the header draws.
const envNameW = 24

// envBadge is the header's mark of the environment in force: its name,
// and a dangerous one drawn white on red, in capitals, with a warning
// sign, so that no one sends to it by mistake. "" for none.
func (m *Model) envBadge() string { return envBadge(m.styles, m.env) }

// envBadge is how the header names env in styles st; "" for none.
func envBadge(st *ui.Styles, env *collenv.Layer) string {
	if env == nil || env.Name == "" {
		return ""
	}
	name := termtext.Line(env.Name)
	if lipgloss.Width(name) > envNameW {
		name = ansi.Truncate(name, envNameW, "…")
	}
	if env.Danger {
		return st.Danger.Render(" ⚠ " + strings.ToUpper(name) + " ")
	}
	return "env " + st.Info.Render(name)
}
