package ui

import (
	"strings"

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
// line) and body. While browsing, a cursor marks a field; enter (or i)
// starts typing into it and esc leaves.
type Composer struct {
	Method string
	// BodyNote is shown beside the Body label: whether a JSON body
	// parses.
	BodyNote string
	Field    Field
	path     textinput.Model
	query    textarea.Model // the query, a name=value parameter a line
	headers  textarea.Model
	body     textarea.Model
	typing   bool
	w, h     int
}

// NewComposer builds an empty composer.
func NewComposer(st Styles) Composer {
	c := Composer{Method: "GET", path: textinput.New(), query: newArea(), headers: newArea(), body: newArea()}
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
func (c *Composer) SetStyles(st Styles) {
	c.path.SetStyles(textinput.DefaultStyles(st.IsDark))
	c.query.SetStyles(textarea.DefaultStyles(st.IsDark))
	c.headers.SetStyles(textarea.DefaultStyles(st.IsDark))
	c.body.SetStyles(textarea.DefaultStyles(st.IsDark))
}

// SetRequest fills every field. The query gets its own field, a
// parameter a line, as written: kept raw (not decoded) so that what goes
// out is exactly what was typed.
func (c *Composer) SetRequest(method, path, headers, body string) {
	c.Method = strings.ToUpper(method)
	if c.Method == "" {
		c.Method = "GET"
	}
	p, q, _ := strings.Cut(path, "?")
	c.path.SetValue(p)
	c.path.CursorEnd()
	c.query.SetValue(strings.Join(nonEmpty(strings.Split(q, "&")), "\n"))
	c.headers.SetValue(headers)
	c.body.SetValue(body)
}

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
}

// SingleLine reports whether the field being typed in is one line, where
// tab moves on instead of going into the text.
func (c *Composer) SingleLine() bool { return c.Field != FieldBody }

// Update feeds a message to the field being typed in. In the body, tab
// inserts two spaces: it belongs to the text there.
func (c *Composer) Update(msg tea.Msg) tea.Cmd {
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

// View draws the composer: the fields, the line the token will be sent
// in (auth, already masked), and the request as last sent.
//
// mask, when not nil, gives the text a field shows while it is not being
// typed in — the model masks credentials there (a key in a header, a token
// in the query) while redaction is on; the field being typed in always
// shows what is typed.
func (c *Composer) View(st Styles, auth string, sent []string, focused bool, mask func(Field, string) string) string {
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
	shown := func(f Field, view func() string, value string, h int) string {
		if mask == nil || (c.typing && c.Field == f) {
			return view()
		}
		text := mask(f, value)
		if text == value {
			return view()
		}
		rows := strings.Split(text, "\n")
		for len(rows) < h {
			rows = append(rows, "")
		}
		return strings.Join(rows[:h], "\n")
	}
	lines = append(lines, st.FieldFocused.Render(methodMark)+st.Method.Render(Fit(c.Method, 7))+st.FieldFocused.Render(pathMark)+shown(FieldPath, c.path.View, c.path.Value(), 1))

	queryLines := max(1, min(4, strings.Count(c.query.Value(), "\n")+1))
	if c.typing && c.Field == FieldQuery {
		queryLines = min(queryLines+1, 5)
	}
	headerLines := max(1, min(5, strings.Count(c.headers.Value(), "\n")+1))
	if c.typing && c.Field == FieldHeaders {
		headerLines = min(headerLines+1, 6)
	}
	sentH := 0
	if len(sent) > 0 {
		sentH = 1 + len(sent)
	}
	authH := 0
	if auth != "" {
		authH = 1
	}
	fixed := 1 + 1 + queryLines + 1 + headerLines + authH + 1
	bodyH := max(2, c.h-fixed-sentH)
	if rest := c.h - fixed - bodyH; sentH > rest {
		sentH = max(0, rest)
	}
	c.query.SetHeight(queryLines)
	c.headers.SetHeight(headerLines)
	c.body.SetHeight(bodyH)

	lines = append(lines, label(FieldQuery, "Query"))
	lines = append(lines, indent(shown(FieldQuery, c.query.View, c.query.Value(), queryLines), "  "))
	lines = append(lines, label(FieldHeaders, "Headers"))
	lines = append(lines, indent(shown(FieldHeaders, c.headers.View, c.headers.Value(), headerLines), "  "))
	if auth != "" {
		lines = append(lines, "  "+st.Muted.Render(auth))
	}
	bodyLabel := label(FieldBody, "Body")
	if c.BodyNote != "" {
		bodyLabel += "  " + st.Muted.Render(c.BodyNote)
	}
	lines = append(lines, bodyLabel)
	lines = append(lines, indent(shown(FieldBody, c.body.View, c.body.Value(), bodyH), "  "))
	if sentH > 1 {
		lines = append(lines, st.Field.Render("  Sent"))
		for _, s := range sent[:sentH-1] {
			lines = append(lines, "  "+st.Muted.Render(s))
		}
	}
	return strings.Join(lines, "\n")
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
