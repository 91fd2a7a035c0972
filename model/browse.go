package model

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/ui"
)

// browsing is the provider whose operations the picker lists: the one in
// use, else the one under the cursor.
func (m *Model) browsing() *entry {
	if e := m.active(); e != nil {
		return e
	}
	if i := m.list.Cursor(); i >= 0 && i < len(m.entries) {
		return m.entries[i]
	}
	return nil
}

// specRows are e's rows in the requests picker: its operations grouped
// by their first tag, in the order the tags first appear, each in spec
// order; or one row saying the spec is loading, or why it is
// unavailable. Everything drawn comes from the spec, someone else's
// text: it is made safe first.
func specRows(e *entry, redact bool) ([]ui.PickerItem, []pick) {
	if e == nil || e.spec == nil {
		return nil, nil
	}
	group := termtext.Line("OpenAPI · " + e.name)
	st := e.spec
	switch {
	case st.loading:
		return []ui.PickerItem{{Group: group, Source: "spec", Title: "loading the spec…", Detail: termtext.Line(maskFor(e, e.Config.OpenAPI, redact))}},
			[]pick{{provider: e.name}}
	case st.err != nil:
		why := termtext.Line(maskFor(e, st.err.Error(), redact))
		return []ui.PickerItem{{Group: group, Source: "spec", Title: "unavailable (enter for the whole reason):", Detail: why}},
			[]pick{{provider: e.name, note: why}}
	}
	if why := st.s.Index.Empty(); why != "" {
		why = termtext.Line(why)
		return []ui.PickerItem{{Group: group, Source: "spec", Title: "no operations (enter for why):", Detail: why}},
			[]pick{{provider: e.name, note: why, empty: true}}
	}
	ops := st.s.Index.Operations
	byTag := map[string][]int{}
	var tags []string
	for i := range ops {
		tag := ""
		if len(ops[i].Tags) > 0 {
			tag = ops[i].Tags[0]
		}
		if _, ok := byTag[tag]; !ok {
			tags = append(tags, tag)
		}
		byTag[tag] = append(byTag[tag], i)
	}
	// The ids line up in a column, as wide as the widest up to a limit:
	// the summaries then read as a column too (requestRows lines up the
	// paths, with the saved requests').
	idW := 0
	for i := range ops {
		idW = max(idW, len(ops[i].ID))
	}
	idW = min(idW, 24)
	items := make([]ui.PickerItem, 0, len(ops))
	picks := make([]pick, 0, len(ops))
	for _, tag := range tags {
		heading := group
		if tag != "" {
			heading += " · " + termtext.Line(tag)
		}
		for _, i := range byTag[tag] {
			op := &ops[i]
			it := ui.PickerItem{
				Group:  heading,
				Source: "spec",
				// The text keyhole ops ranks, "METHOD path operationId
				// summary tags", so both rank alike.
				Parts: []ui.PickerPart{
					{Text: termtext.Line(op.Method), Look: ui.LookMethod, Width: methodW},
					{Text: termtext.Line(op.Path)},
					{Text: termtext.Line(op.ID), Look: ui.LookMuted, Width: idW, Name: true},
					{Text: termtext.Line(op.Summary)},
				},
				// Scored alike, the shorter path first, then spec order
				// (a saved request, at a multiple, before an operation
				// of a path as long).
				Tie: 1 + len(op.Path)*(spec.MaxOperations+1) + i,
			}
			// The tags follow the summary, muted after a dot: "Who the
			// token belongs to · account", not one sentence.
			if len(op.Tags) > 0 {
				it.Parts = append(it.Parts, ui.PickerPart{Text: termtext.Line(strings.Join(op.Tags, " ")), Look: ui.LookMuted, Prefix: "· "})
			}
			if op.Deprecated {
				it.Mark = "deprecated"
			}
			items = append(items, it)
			picks = append(picks, pick{provider: e.name, op: op})
		}
	}
	return items, picks
}

// maskFor masks e's secrets in a text about its spec while redacting: a
// credential in the spec URL's query (masked where the URL is quoted,
// so that what follows it stays readable), and the provider's own
// secrets.
func maskFor(e *entry, text string, redact bool) string {
	if !redact {
		return text
	}
	// The URL stands aside while the rest is masked: a masker reading
	// "api_key=KEY:2:12: reason" would take the line for the key's.
	const mark = "\x00spec\x00"
	ref := e.Config.OpenAPI
	if ref != "" {
		text = strings.ReplaceAll(text, ref, mark)
	}
	if e.Session != nil {
		text = e.Session.Redact(text)
	}
	if ref != "" {
		text = strings.ReplaceAll(text, mark, secret.RedactURL(ref))
	}
	return text
}

// chosenOp is the operation last chosen in the picker: what the response
// pane describes until an answer comes, and where its token may go.
type chosenOp struct {
	provider string
	op       *spec.Operation
	desc     string
	// remain are the path parameters left for the person to fill.
	remain []string
	// foreign is the origin of the operation's own server when it is not
	// base_url's: sending the token there needs a yes (asked, answered).
	foreign         string
	asked, answered bool
	// shown: the response pane describes the operation (until an answer
	// comes); offset is the first of its lines on screen.
	shown  bool
	offset int
}

// opKey takes the Response pane's keys while it describes an operation:
// the arrows and pages scroll, esc puts the last answer back.
func (m Model) opKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	c := *m.op
	page := max(1, m.layout().bottomH-3)
	switch {
	case key.Matches(msg, k.Up):
		c.offset--
	case key.Matches(msg, k.Down):
		c.offset++
	case key.Matches(msg, k.PageUp):
		c.offset -= page
	case key.Matches(msg, k.PageDown):
		c.offset += page
	case key.Matches(msg, k.Top):
		c.offset = 0
	case key.Matches(msg, k.Bottom):
		c.offset = 1 << 20
	case key.Matches(msg, k.Cancel):
		c.shown = false
	default:
		return m, nil
	}
	w := m.layout().respW - 2
	c.offset = max(0, min(c.offset, len(m.opLines(w))-(m.layout().bottomH-2)))
	m.op = &c
	return m, nil
}

// opMsg is a chosen operation's skeleton and description, built off the
// UI loop (the first one parses the whole document).
type opMsg struct {
	provider string
	op       *spec.Operation
	sk       spec.Skeleton
	desc     string
	// place is where the operation goes for the provider's base_url.
	place spec.Place
}

// chooseOp makes the operation's provider the one in use and builds its
// skeleton off the UI loop; onOp fills the composer with it.
func (m Model) chooseOp(p pick) (tea.Model, tea.Cmd) {
	e := m.entries.named(p.provider)
	if e == nil || e.spec == nil || e.spec.s == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	if i := m.entries.index(p.provider); i >= 0 && i != m.list.Active() {
		nm, cmd := m.selectProvider(i)
		m = nm.(Model)
		cmds = append(cmds, cmd)
	}
	s, op := e.spec.s, p.op
	base := ""
	if e.Config != nil {
		base = e.Config.BaseURL
	}
	cmds = append(cmds, func() tea.Msg {
		return opMsg{provider: p.provider, op: op, sk: s.Skeleton(op), desc: s.Description(op), place: s.Place(op, base)}
	})
	m.setFocus(paneRequest)
	return m, tea.Batch(cmds...)
}

// onOp fills the composer with an operation: its method; its path with
// each path parameter as {{name}} (filled from the provider's vars when
// sent), where spec.Spec.Place puts it (base_url, the document's base
// path, or the operation's own server); its required
// query parameters as name= lines; its documented headers; its JSON body
// skeleton. The status line says which parameters are left to fill.
func (m Model) onOp(msg opMsg) (tea.Model, tea.Cmd) {
	e := m.entries.named(msg.provider)
	if e == nil || e.Config == nil {
		return m, nil
	}
	sk := msg.sk
	c := &chosenOp{provider: msg.provider, op: msg.op, desc: msg.desc, shown: true}
	target := msg.place.Prefix + sk.Path
	c.foreign = msg.place.Foreign
	if len(sk.Query) > 0 {
		// After the query a path key may carry as written (OpenAI's
		// "/responses?beta=true").
		sep := "?"
		if strings.Contains(sk.Path, "?") {
			sep = "&"
		}
		target += sep + strings.Join(sk.Query, "&")
	}
	hdr := []string{"Accept: application/json"}
	if sk.ContentType != "" {
		hdr = append(hdr, "Content-Type: "+sk.ContentType)
	}
	hdr = append(hdr, sk.Headers...)
	m.composer.StopTyping()
	m.composer.SetRequest(sk.Method, target, strings.Join(hdr, "\n"), sk.Body)
	// The path is what is most often left to fill: enter edits it.
	m.composer.Field = ui.FieldPath
	for _, name := range config.TemplateNames(sk.Path) {
		if _, ok := e.Config.Vars[name]; !ok {
			c.remain = append(c.remain, name)
		}
	}
	m.op = c
	m.notice = m.opNotice(c)
	return m, nil
}

// opNotice is what the status line says once an operation is in the
// composer: what is left to fill, and where its description is.
func (m *Model) opNotice(c *chosenOp) string {
	name := c.op.ID
	if name == "" {
		name = c.op.Method + " " + c.op.Path
	}
	var parts []string
	if len(c.remain) > 0 {
		parts = append(parts, "fill "+braced(c.remain)+" in the path")
	}
	if c.foreign != "" {
		parts = append(parts, "its server is "+c.foreign+": the token goes there only if you say yes")
	}
	if m.layout().single {
		parts = append(parts, "tab: its description")
	}
	if len(parts) == 0 {
		return name + " is ready: ctrl+s sends it"
	}
	return name + ": " + strings.Join(parts, " · ")
}

// braced writes names as {{a}}, {{b}}.
func braced(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{{" + n + "}}"
	}
	return strings.Join(out, ", ")
}
