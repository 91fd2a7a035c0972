package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/collection/check"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// C in the Response pane captures the value under the path filter as a
// variable, for the session: the requests sent after it may use it as
// {{name}}. A value from a credential field (password, access_token) is
// secret, masked wherever it shows. The picker lists the variables.

// capturedMsg is a value read from the body off the UI loop (a body may
// be megabytes).
type capturedMsg struct {
	name, path string
	value      string
	secret     bool
	err        error
}

// openCapture asks the name of the variable to capture the filtered value
// as: the path's last key, to begin with.
func (m Model) openCapture() (tea.Model, tea.Cmd) {
	path := strings.TrimSpace(m.insp.filter)
	switch {
	case m.insp.body() == nil:
		m.notice = "no body to capture from"
		return m, nil
	case path == "":
		m.notice = "f first: C captures the value under the JSON path filter"
		return m, nil
	case m.insp.filterErr != nil:
		// The filter is there: "f first" sent the person to do what
		// they had done. The filter's own words say what is wrong.
		m.notice = "nothing to capture: " + m.insp.filterErr.Error()
		return m, nil
	}
	p, cmd := ui.NewPrompt(m.styles, m.keys, "capture as ", "variable name", suggestedVar(path))
	p.Suggest()
	m.open(&popup{Popup: p, kind: popCapture})
	return m, cmd
}

// suggestedVar is a variable name from a path's last key: "data.0.id"
// gives "id".
func suggestedVar(path string) string {
	keys := strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '|' || r == '#' })
	for i := len(keys) - 1; i >= 0; i-- {
		k := strings.Trim(keys[i], `\`)
		if validVarName(k) && strings.Trim(k, "0123456789") != "" {
			return k
		}
	}
	return ""
}

// validVarName reports whether name can stand in {{name}}: letters,
// digits, _ and -, not starting with $.
func validVarName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ok {
			return false
		}
	}
	return true
}

// captureClosed reads the value for the name typed, off the UI loop.
func (m Model) captureClosed(p *popup, kept bool) (tea.Model, tea.Cmd) {
	if !kept {
		return m, nil
	}
	name := strings.TrimSpace(p.Popup.(*ui.Prompt).Value())
	if !validVarName(name) {
		m.notice = "not captured: a variable's name is letters, digits, _ and -"
		return m, nil
	}
	path, resp := strings.TrimSpace(m.insp.filter), m.insp.resp
	if resp == nil {
		return m, nil
	}
	c := check.Capture{Name: name, Path: path, Subject: check.Body, Key: path}
	return m, func() tea.Msg {
		v, err := c.Value(check.Response{Status: resp.Status, Header: resp.Header, Body: resp.Body})
		return capturedMsg{name: name, path: path, value: v, secret: c.Secret(), err: err}
	}
}

// onCaptured keeps a captured variable. The map is replaced, never
// written into: a send's command may be reading the one before.
func (m Model) onCaptured(msg capturedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.notice = "not captured: " + m.insp.maskShown(msg.err.Error())
		return m, nil
	}
	m.setCapture(msg.name, msg.value, msg.secret)
	shown := msg.value
	if msg.secret && m.redact {
		shown = secret.Mask
	}
	m.notice = fmt.Sprintf("{{%s}} = %s (captured from %s; o lists the variables)", msg.name, clip(m.insp.maskShown(shown), 40), msg.path)
	return m, nil
}

// setCapture sets a variable of the session. A captured value is used as
// it stands: braces a server put in it are never expanded.
func (m *Model) setCapture(name, value string, isSecret bool) {
	next := maps.Clone(m.captures)
	if next == nil {
		next = map[string]vars.Value{}
	}
	v := vars.Literal(value)
	if isSecret {
		v = v.AsSecret()
	}
	next[name] = v
	m.captures = next
}

// fileCaptures runs the # @capture lines of the collection request just
// answered, as keyhole run does: the requests sent after it see them.
// What fails is said, not fatal.
func (m *Model) fileCaptures(from *collOrigin, ex *exchange.Exchange, seen vars.Message) []string {
	if from == nil || ex == nil || ex.Response == nil || len(from.req.Captures) == 0 {
		return nil
	}
	declared := map[string]bool{}
	for _, s := range from.req.Secrets {
		declared[s] = true
	}
	resp := ex.Response
	// Read as keyhole run reads it: the token the request carried masked
	// wherever the server echoed it (seen).
	cr := check.Response{Status: resp.Status, Header: seen.Header, Body: seen.Body, Duration: resp.Duration}
	var said []string
	for _, d := range from.req.Captures {
		c, err := check.ParseCapture(d.Text)
		if err == nil {
			var v string
			if v, err = c.Value(cr); err == nil {
				m.setCapture(c.Name, v, declared[c.Name] || c.Secret() || secret.SensitiveField(c.Name))
				said = append(said, "{{"+c.Name+"}}")
				continue
			}
		}
		said = append(said, fmt.Sprintf("line %d: %s", d.Line, err.Error()))
	}
	return said
}

// captureRows are the session's variables in the requests picker, names
// sorted, secret values masked while redacting.
func captureRows(captures map[string]vars.Value, redact bool) ([]ui.PickerItem, []pick) {
	var items []ui.PickerItem
	var picks []pick
	for _, name := range slices.Sorted(maps.Keys(captures)) {
		v := captures[name]
		shown := v.Reveal()
		if v.IsSecret() && redact {
			shown = secret.Mask
		}
		items = append(items, ui.PickerItem{Group: "Variables · this session's (C, @capture, S)", Source: "var", Title: termtext.Line("{{" + name + "}}"), Detail: termtext.Line(clip(shown, 60))})
		picks = append(picks, pick{capture: name})
	}
	return items, picks
}

// clip cuts text to n runes, with an ellipsis.
func clip(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n-1]) + "…"
}
