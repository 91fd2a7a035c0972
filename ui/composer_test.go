package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestTypedBidiIsWrittenOut: a bidirectional override pasted or typed
// into a field is written out as SetRequest writes it — percent-encoded
// in the path and the query, a \u202E escape in the headers and the body
// — so it cannot reorder what the screen draws after it. Pasted text
// kept it, and the field drew it.
func TestTypedBidiIsWrittenOut(t *testing.T) {
	st := NewStyles(true)
	keys := DefaultKeyMap()
	for _, c := range []struct {
		field Field
		want  string
	}{
		{FieldPath, "/up%E2%80%AEtxt"},
		{FieldQuery, "q=%E2%80%AEtxt"},
		{FieldHeaders, `X-A: \u202Etxt`},
		{FieldBody, `{"a": "\u202Etxt"}`},
	} {
		c0 := NewComposer(&st, &keys)
		c0.SetSize(100, 30)
		c0.Field = c.field
		c0.StartTyping()
		pasted := strings.ReplaceAll(c.want, "%E2%80%AE", "\u202E")
		pasted = strings.ReplaceAll(pasted, `\u202E`, "\u202E")
		c0.Update(tea.PasteMsg{Content: pasted})
		c0.Update(tea.KeyPressMsg{Code: 0x2066, Text: "\u2066"})
		_, path, headers, body := c0.Request()
		all := path + headers + body
		if strings.ContainsFunc(all, isBidi) {
			t.Errorf("field %d holds a bidi control: %q", c.field, all)
		}
		if !strings.Contains(all, c.want) {
			t.Errorf("field %d: %q, want %q in it", c.field, all, c.want)
		}
	}
}
