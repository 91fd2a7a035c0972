package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/config"
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

// loadComposer fills the composer with the provider's first saved request,
// or a GET of its base URL.
func (m *Model) loadComposer(e *entry) {
	m.composer.StopTyping()
	m.from = nil
	if e.Config == nil {
		return
	}
	if len(e.Config.Requests) == 0 {
		m.composer.SetRequest("GET", "/", "Accept: application/json", "")
		return
	}
	m.loadSaved(e.Config.Requests[0])
}

// loadSaved puts a saved request in the composer.
func (m *Model) loadSaved(r config.SavedRequest) {
	m.composer.StopTyping()
	var hdr []string
	if _, ok := r.Headers["Accept"]; !ok {
		hdr = append(hdr, "Accept: application/json")
	}
	for _, name := range slices.Sorted(maps.Keys(r.Headers)) {
		hdr = append(hdr, name+": "+r.Headers[name])
	}
	m.composer.SetRequest(r.Method, withQuery(r.Path, r.Query), strings.Join(hdr, "\n"), r.Body)
}
