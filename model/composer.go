package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// bodyIsJSON reports whether the composed body is meant as JSON: the
// Content-Type says so, or, with none, the body looks like JSON.
func bodyIsJSON(headerText, body string) bool {
	fields, _ := exchange.ParseHeaders(headerText)
	for _, f := range fields {
		if strings.EqualFold(f.Name, "Content-Type") {
			return document.IsJSON(f.Value)
		}
	}
	t := strings.TrimSpace(body)
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

// bodyNote checks a JSON body as it is typed: "JSON ✓", or where it breaks.
func bodyNote(headerText, body string) string {
	if strings.TrimSpace(body) == "" || !bodyIsJSON(headerText, body) {
		return ""
	}
	var v any
	err := json.Unmarshal([]byte(body), &v)
	if err == nil {
		return "JSON ✓ · f formats"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + strings.Count(body[:min(int(se.Offset), len(body))], "\n")
		return fmt.Sprintf("JSON: %s (line %d)", se.Error(), line)
	}
	return "JSON: " + err.Error()
}

// formatBody indents a JSON body in the composer (f in the Request pane).
func (m Model) formatBody() (tea.Model, tea.Cmd) {
	method, path, headers, body := m.composer.Request()
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(strings.TrimSpace(body)), "", "  "); err != nil {
		m.notice = "the body is not valid JSON: " + err.Error()
		return m, nil
	}
	m.composer.SetRequest(method, path, headers, out.String())
	return m, nil
}

// savedPicker lists the provider's saved requests (o in the Request pane).
type savedPicker struct {
	requests []providers.SavedRequest
	cursor   int
}

func (m Model) openSaved() (tea.Model, tea.Cmd) {
	e := m.active()
	if e == nil || e.Config == nil || len(e.Config.Requests) == 0 {
		m.notice = "this provider has no saved requests ([[providers.NAME.requests]])"
		return m, nil
	}
	m.saved = &savedPicker{requests: e.Config.Requests}
	return m, nil
}

func (m Model) savedKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, p := m.keys, m.saved
	switch {
	case key.Matches(msg, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, k.Down):
		p.cursor = min(len(p.requests)-1, p.cursor+1)
	case key.Matches(msg, k.Select):
		m.loadSaved(p.requests[p.cursor])
		m.saved = nil
		m.setFocus(paneRequest)
	case key.Matches(msg, k.Open), key.Matches(msg, k.QuitKey):
		m.saved = nil
	}
	return m, nil
}

// savedList draws the picker in w×h cells.
func (m *Model) savedList(w, h int) string {
	st := m.styles
	var rows []string
	for i, r := range m.saved.requests {
		if len(rows) >= h-2 {
			break
		}
		// The path and query may carry a credential (a ${VAR} api_key):
		// masked as the composer masks them once loaded.
		target := m.composerMask(ui.FieldPath, withQuery(r.Path, r.Query))
		line := termtext.Line(fmt.Sprintf("%-28s %-7s %s", r.Name, strings.ToUpper(orGET(r.Method)), target))
		if i == m.saved.cursor {
			rows = append(rows, "> "+st.Selected.Render(ui.Fit(line, w-2)))
		} else {
			rows = append(rows, "  "+line)
		}
	}
	rows = append(rows, "", st.Muted.Render("enter loads it into the composer · esc closes"))
	return strings.Join(rows, "\n")
}

func orGET(method string) string {
	if method == "" {
		return "GET"
	}
	return method
}
