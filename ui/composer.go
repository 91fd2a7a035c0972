package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Field is one part of the composer.
type Field int

// The composer's fields, top to bottom.
const (
	FieldMethod Field = iota
	FieldPath
	FieldQuery
	FieldHeaders
	FieldBody
	fieldCount
)

// Methods are offered in this order by the method picker.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// Composer edits a request: method, path, headers (one "Key: Value" per
// line) and body. While browsing, a cursor marks a field, the arrows move
// it (and the method on its field), and enter (or i) starts typing into
// it; esc leaves. The root sets what the composer shows beside the fields
// (SetContext, SetNote, SetMasked); View only draws.
type Composer struct {
	st   *Styles
	keys *KeyMap
	// Method is the method picked.
	Method string
	// Field is the field under the cursor.
	Field   Field
	path    textinput.Model
	query   textarea.Model // the query, a name=value parameter a line
	headers textarea.Model
	body    textarea.Model
	typing  bool
	w, h    int

	auth    string   // the line the token will ride on, masked
	sent    []string // the request as last sent, masked
	focused bool
	note    string // beside the Body label: whether a JSON body parses
	// masked is what each field shows while not typed in; "" shows the
	// field as it is.
	masked [fieldCount]string
	// blanks are the query's, the headers' and the body's text areas
	// drawn empty (keepBlanks).
	blanks [3]blankView

	// The rows each part gets, set by relayout.
	queryH, headerH, bodyH, sentH int
}

// NewComposer builds an empty composer.
func NewComposer(st *Styles, keys *KeyMap) Composer {
	c := Composer{Method: "GET", keys: keys, path: textinput.New(), query: newArea(), headers: newArea(), body: newArea()}
	c.path.Prompt = ""
	c.path.Placeholder = "/path or https://full.url"
	c.query.Placeholder = "name=value, one a line"
	c.headers.Placeholder = "Accept: application/json"
	c.body.Placeholder = "request body"
	c.SetStyles(st)
	return c
}

func newArea() textarea.Model {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = ""
	a.MaxHeight = 0
	a.MaxWidth = 0
	a.CharLimit = 0
	return a
}

// SetStyles applies light or dark input styles.
func (c *Composer) SetStyles(st *Styles) {
	c.st = st
	c.path.SetStyles(textinput.DefaultStyles(st.IsDark))
	c.query.SetStyles(textarea.DefaultStyles(st.IsDark))
	c.headers.SetStyles(textarea.DefaultStyles(st.IsDark))
	c.body.SetStyles(textarea.DefaultStyles(st.IsDark))
	c.keepBlanks()
}

// SetRequest fills every field. The query gets its own field, a
// parameter a line, as written: kept raw (not decoded) so that what goes
// out is exactly what was typed.
//
// What fills it may be someone else's text (a spec, a .http file, a
// config): a bidirectional override or isolate in it would reorder what
// the terminal draws after it, so each is written out — percent-encoded
// in the path and the query, as it goes on the wire; as a \uXXXX escape in
// the headers and the body, the same string in a JSON body.
func (c *Composer) SetRequest(method, path, headers, body string) {
	c.Method = strings.ToUpper(method)
	if c.Method == "" {
		c.Method = "GET"
	}
	p, q, _ := strings.Cut(path, "?")
	c.path.SetValue(spellBidi(p, percentBidi))
	c.path.CursorEnd()
	c.query.SetValue(spellBidi(strings.Join(nonEmpty(strings.Split(q, "&")), "\n"), percentBidi))
	c.headers.SetValue(spellBidi(headers, escapeBidi))
	c.body.SetValue(spellBidi(body, escapeBidi))
	// SetValue leaves the cursor, and so the view, at the end: a long
	// body would show only its closing braces. It starts at the top,
	// where a body is read from (the query and the headers keep theirs
	// at the end, where a line is added).
	c.body.MoveToBegin()
	c.relayout()
}

// isBidi reports the bidirectional overrides and isolates (U+202A–U+202E,
// U+2066–U+2069): format characters, not controls, so the text fields keep
// them where they drop an escape.
func isBidi(r rune) bool { return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 }

// spellBidi writes each bidirectional control of s with spell.
func spellBidi(s string, spell func(rune) string) string {
	if !strings.ContainsFunc(s, isBidi) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isBidi(r) {
			b.WriteString(spell(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// percentBidi is r's UTF-8 percent-encoded: %E2%80%AE.
func percentBidi(r rune) string {
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// escapeBidi is r as a JSON escape: \u202E.
func escapeBidi(r rune) string { return fmt.Sprintf("\\u%04X", r) }

// Request returns every field's text; path carries the query field joined
// back on.
func (c *Composer) Request() (method, path, headers, body string) {
	path = c.path.Value()
	var params []string
	for _, line := range strings.Split(c.query.Value(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			params = append(params, line)
		}
	}
	if len(params) > 0 {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + strings.Join(params, "&")
	}
	return c.Method, path, c.headers.Value(), c.body.Value()
}

func nonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SetSize sets the content area the composer draws in.
func (c *Composer) SetSize(w, h int) {
	c.w, c.h = w, h
	c.path.SetWidth(max(1, w-10)) // the method column, and a cell for the cursor
	c.query.SetWidth(max(1, w-2))
	c.headers.SetWidth(max(1, w-2))
	c.body.SetWidth(max(1, w-2))
	c.relayout()
}

// Typing reports whether a field has the keyboard.
func (c *Composer) Typing() bool { return c.typing }

// MoveField moves the field cursor by delta, stopping at the ends.
func (c *Composer) MoveField(delta int) {
	c.Field = Field(min(int(fieldCount)-1, max(0, int(c.Field)+delta)))
}

// CycleMethod moves the method picker by delta, wrapping around.
func (c *Composer) CycleMethod(delta int) {
	i := 0
	for j, m := range Methods {
		if m == c.Method {
			i = j
		}
	}
	c.Method = Methods[(i+delta+len(Methods))%len(Methods)]
}

// StartTyping gives the keyboard to the field under the cursor. On the
// method field it moves the picker instead, as there is nothing to type.
func (c *Composer) StartTyping() tea.Cmd {
	defer c.relayout()
	switch c.Field {
	case FieldMethod:
		c.CycleMethod(1)
		return nil
	case FieldPath:
		c.typing = true
		return c.path.Focus()
	case FieldQuery:
		c.typing = true
		return c.query.Focus()
	case FieldHeaders:
		c.typing = true
		return c.headers.Focus()
	default:
		c.typing = true
		return c.body.Focus()
	}
}

// StopTyping takes the keyboard back.
func (c *Composer) StopTyping() {
	c.typing = false
	c.path.Blur()
	c.query.Blur()
	c.headers.Blur()
	c.body.Blur()
	c.relayout()
}

// SingleLine reports whether the field being typed in is one line, where
// tab moves on instead of going into the text.
func (c *Composer) SingleLine() bool { return c.Field != FieldBody }

// Value is the text of field f as typed.
func (c *Composer) Value(f Field) string {
	switch f {
	case FieldMethod:
		return c.Method
	case FieldPath:
		return c.path.Value()
	case FieldQuery:
		return c.query.Value()
	case FieldHeaders:
		return c.headers.Value()
	}
	return c.body.Value()
}

// SetContext sets what the composer shows beside its fields: the line the
// token will ride on (auth, already masked), the request as last sent, and
// whether the pane has the focus.
func (c *Composer) SetContext(auth string, sent []string, focused bool) {
	c.auth, c.sent, c.focused = auth, sent, focused
	c.relayout()
}

// SetNote sets the words beside the Body label.
func (c *Composer) SetNote(note string) { c.note = note }

// SetMasked sets what field f shows while it is not typed in: the model
// masks credentials there (a key in a header, a token in the query) while
// redaction is on; "" shows the field as it is. The field being typed in
// always shows what is typed.
func (c *Composer) SetMasked(f Field, text string) { c.masked[f] = text }

// ShortHelp implements help.KeyMap.
func (c *Composer) ShortHelp() []key.Binding {
	if c.typing {
		return []key.Binding{c.keys.Cancel, c.keys.Send}
	}
	return []key.Binding{c.keys.Up, c.keys.Down, c.keys.Select, c.keys.PrevMethod}
}

// FullHelp implements help.KeyMap.
func (c *Composer) FullHelp() [][]key.Binding {
	return [][]key.Binding{c.ShortHelp(), {c.keys.Edit, c.keys.FormatBody, c.keys.CopyCurl}}
}

// Update implements Component. Typing, it feeds the message to the field
// (in the body, tab inserts two spaces: it belongs to the text there);
// browsing, it moves the field cursor and the method, and starts typing.
func (c *Composer) Update(msg tea.Msg) tea.Cmd {
	if !c.typing {
		k, ok := msg.(tea.KeyPressMsg)
		if !ok {
			return nil
		}
		switch {
		case key.Matches(k, c.keys.Up):
			c.MoveField(-1)
		case key.Matches(k, c.keys.Down):
			c.MoveField(1)
		case key.Matches(k, c.keys.PrevMethod) && c.Field == FieldMethod:
			c.CycleMethod(-1)
		case key.Matches(k, c.keys.NextMethod) && c.Field == FieldMethod:
			c.CycleMethod(1)
		case key.Matches(k, c.keys.Select), key.Matches(k, c.keys.Edit):
			return c.StartTyping()
		}
		return nil
	}
	defer c.relayout()
	msg = c.spellTyped(msg)
	var cmd tea.Cmd
	switch c.Field {
	case FieldPath:
		if k, ok := msg.(tea.KeyPressMsg); ok && k.Code == tea.KeyEnter {
			c.StopTyping()
			return nil
		}
		c.path, cmd = c.path.Update(msg)
	case FieldQuery:
		c.query, cmd = c.query.Update(msg)
	case FieldHeaders:
		c.headers, cmd = c.headers.Update(msg)
	case FieldBody:
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "tab" {
			c.body.InsertString("  ")
			return nil
		}
		c.body, cmd = c.body.Update(msg)
	}
	return cmd
}

// spellTyped writes out the bidirectional controls of text pasted or
// typed into the field being edited, as SetRequest writes them: pasted
// text is someone else's as often as a spec is.
func (c *Composer) spellTyped(msg tea.Msg) tea.Msg {
	spell := escapeBidi
	if c.Field == FieldPath || c.Field == FieldQuery {
		spell = percentBidi
	}
	switch m := msg.(type) {
	case tea.PasteMsg:
		m.Content = spellBidi(m.Content, spell)
		return m
	case tea.KeyPressMsg:
		if strings.ContainsFunc(m.Text, isBidi) {
			return tea.PasteMsg{Content: spellBidi(m.Text, spell)}
		}
	}
	return msg
}

// relayout gives each part its rows: the query and the headers as many as
// they have lines (one more while typed in), the body the rest, the sent
// request what the body leaves.
func (c *Composer) relayout() {
	c.queryH = max(1, min(4, strings.Count(c.query.Value(), "\n")+1))
	if c.typing && c.Field == FieldQuery {
		c.queryH = min(c.queryH+1, 5)
	}
	c.headerH = max(1, min(5, strings.Count(c.headers.Value(), "\n")+1))
	if c.typing && c.Field == FieldHeaders {
		c.headerH = min(c.headerH+1, 6)
	}
	c.sentH = 0
	if len(c.sent) > 0 {
		c.sentH = 1 + len(c.sent)
	}
	authH := 0
	if c.auth != "" {
		authH = 1
	}
	fixed := 1 + 1 + c.queryH + 1 + c.headerH + authH + 1
	c.bodyH = max(2, c.h-fixed-c.sentH)
	if rest := c.h - fixed - c.bodyH; c.sentH > rest {
		c.sentH = max(0, rest)
	}
	c.query.SetHeight(c.queryH)
	c.headers.SetHeight(c.headerH)
	c.body.SetHeight(c.bodyH)
	c.keepBlanks()
}

// View implements Component: the fields, the line the token will be sent
// in, and the request as last sent.
func (c *Composer) View() string {
	st, focused := c.st, c.focused
	label := func(f Field, name string) string {
		mark := "  "
		style := st.Field
		if focused && c.Field == f {
			mark, style = "> ", st.FieldFocused
		}
		return style.Render(mark + name)
	}
	var lines []string
	methodMark := " "
	if focused && c.Field == FieldMethod {
		methodMark = ">"
	}
	pathMark := " "
	if focused && c.Field == FieldPath {
		pathMark = ">"
	}
	shown := func(f Field, view func() string, h int) string {
		text := c.masked[f]
		if text == "" || (c.typing && c.Field == f) {
			return view()
		}
		rows := strings.Split(text, "\n")
		for len(rows) < h {
			rows = append(rows, "")
		}
		return strings.Join(rows[:h], "\n")
	}
	lines = append(lines, st.FieldFocused.Render(methodMark)+st.Method.Render(Fit(c.Method, 7))+st.FieldFocused.Render(pathMark)+shown(FieldPath, c.path.View, 1))
	lines = append(lines, label(FieldQuery, "Query"))
	lines = append(lines, indent(shown(FieldQuery, c.blankOr(0, &c.query), c.queryH), "  "))
	lines = append(lines, label(FieldHeaders, "Headers"))
	lines = append(lines, indent(shown(FieldHeaders, c.blankOr(1, &c.headers), c.headerH), "  "))
	if c.auth != "" {
		lines = append(lines, "  "+st.Muted.Render(c.auth))
	}
	bodyLabel := label(FieldBody, "Body")
	if c.note != "" {
		bodyLabel += "  " + st.Muted.Render(c.note)
	}
	lines = append(lines, bodyLabel)
	lines = append(lines, indent(shown(FieldBody, c.blankOr(2, &c.body), c.bodyH), "  "))
	if c.sentH > 1 {
		lines = append(lines, st.Field.Render("  Sent"))
		for _, s := range c.sent[:c.sentH-1] {
			lines = append(lines, "  "+st.Muted.Render(s))
		}
	}
	return strings.Join(lines, "\n")
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
