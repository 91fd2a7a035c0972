package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// PickerItem is one row of the picker.
type PickerItem struct {
	// Group is the heading the row stands under while the filter is empty:
	// its source, tag or file.
	Group string
	// Source marks where the row comes from ("saved", "history"); it is
	// drawn at the start of the row, so a filtered list still says it.
	Source string
	// Title names the row (a saved request's name, a time); Detail
	// follows it (the method and the path). The filter matches both.
	Title, Detail string
	// Parts, when set, are the row's text in place of Title and Detail
	// (an operation's method, path, id, summary and tags), each drawn in
	// its own look; the filter matches them joined by spaces.
	Parts []PickerPart
	// Mark is drawn after the text, in the warning colour, and not
	// matched ("deprecated").
	Mark string
	// Tie is for a ranker (SetRanker): it orders rows scored alike, the
	// lower first. The picker's own filter keeps them in the order given.
	Tie int
}

// Text is what the filter matches, and what a PickerHit's Matched
// offsets index: Title and Detail, or the Parts joined by single spaces.
func (it PickerItem) Text() string {
	if it.Parts == nil {
		return it.Title + "  " + it.Detail
	}
	var b strings.Builder
	for i, pt := range it.Parts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pt.Text)
	}
	return b.String()
}

// PickerHit is a row a ranker kept.
type PickerHit struct {
	// Index is the row's in the picker's items.
	Index int
	// Matched are the byte offsets of the row's Text that matched, to be
	// underlined.
	Matched []int
}

// PickerRanker makes the filter for a set of rows: it is called with
// each set the picker is given, and what it returns with the filter's
// text on every keystroke, to return the rows that match, best first.
// Work that does not depend on the text belongs in the first call.
type PickerRanker func(items []PickerItem) func(query string) []PickerHit

// PickerKeys are the keys the picker answers to; every other key goes to
// its filter.
type PickerKeys struct {
	Up, Down, PageUp, PageDown, Choose, Back key.Binding
}

// PickerKeys is the picker's part of the key map.
func (k KeyMap) PickerKeys() PickerKeys {
	return PickerKeys{Up: k.PickUp, Down: k.PickDown, PageUp: k.PickPageUp, PageDown: k.PickPageDown, Choose: k.Choose, Back: k.PickBack}
}

// Picker is a list to choose one row from, opened ready for typing: every
// printable key (q and j too) goes to the filter, which matches fuzzily and
// puts the best match first; the arrows and ctrl+p/ctrl+n move; enter
// chooses; esc clears the filter, then closes. With the filter empty the
// rows stand under their group's heading, in the order given.
type Picker struct {
	title  string
	items  []PickerItem
	texts  []string // each item's text, made once: the filter reads them on every key
	srcW   int      // the widest Source, so that the rows' text lines up
	ranker PickerRanker
	rank   func(query string) []PickerHit // ranker's for items; nil: fuzzy
	keys   PickerKeys
	st     *Styles
	filter textinput.Model
	query  string // the filter's text the list was made for

	shown  []int         // indexes into items, in the order drawn
	marks  map[int][]int // item → byte offsets of its text the filter matched
	lines  []pickerLine  // what is drawn: rows of shown, and headings
	cursor int           // index into shown
	offset int           // the first of lines on screen
	w, h   int
	result Result
}

// pickerLine is a heading (row < 0) or the row shown[row].
type pickerLine struct {
	heading string
	row     int
}

// NewPicker builds a picker over items, cursor on the first.
func NewPicker(st *Styles, keys PickerKeys, title string, items []PickerItem) *Picker {
	f := newInput(st, "filter: ", "type to filter")
	f.Focus()
	p := &Picker{title: title, keys: keys, st: st, filter: f, w: 40, h: 10}
	p.setItems(items)
	p.refilter()
	return p
}

// Snapshot is a copy of the picker as it stands that the picker's later
// keys and sets do not change (they refill the list in place), to be laid
// out at another size and drawn elsewhere — a narrower screen watching
// this one. Only View and SetSize belong on it.
func (p *Picker) Snapshot() *Picker {
	q := *p
	q.shown = slices.Clone(p.shown)
	q.lines = slices.Clone(p.lines)
	// The filter's text is edited in place as keys arrive: the copy gets
	// its own.
	q.filter.SetValue(p.filter.Value())
	return &q
}

// SetRanker makes r the picker's filter in place of its own, which
// fuzzy-matches each row's text as one string.
func (p *Picker) SetRanker(r PickerRanker) {
	p.ranker = r
	p.Reset(p.items)
}

// Title implements Popup.
func (p *Picker) Title() string { return p.title }

// Typing implements Popup: the picker opens ready for typing.
func (p *Picker) Typing() bool { return true }

// Result implements Popup.
func (p *Picker) Result() Result { return p.result }

// Chosen is the index in the picker's items of the row enter chose.
func (p *Picker) Chosen() (int, bool) {
	if p.result != Done || p.cursor >= len(p.shown) {
		return 0, false
	}
	return p.shown[p.cursor], true
}

// Cursor is the index in the picker's items of the row under the cursor,
// -1 when none is shown.
func (p *Picker) Cursor() int {
	if p.cursor >= len(p.shown) {
		return -1
	}
	return p.shown[p.cursor]
}

// Filter is the filter's text.
func (p *Picker) Filter() string { return p.filter.Value() }

// SetSize implements Component: the list gets what the filter line and
// the count line leave.
func (p *Picker) SetSize(w, h int) {
	p.w, p.h = max(10, w), max(4, h)
	fitInput(&p.filter, p.w)
	p.scroll()
}

// ShortHelp implements help.KeyMap.
func (p *Picker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.Choose, p.keys.Back}
}

// FullHelp implements help.KeyMap.
func (p *Picker) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.ShortHelp(), {p.keys.PageUp, p.keys.PageDown}}
}

// Update implements Component.
func (p *Picker) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Up):
			p.move(-1)
		case key.Matches(msg, p.keys.Down):
			p.move(1)
		case key.Matches(msg, p.keys.PageUp):
			p.move(-p.listHeight())
		case key.Matches(msg, p.keys.PageDown):
			p.move(p.listHeight())
		case key.Matches(msg, p.keys.Choose):
			if len(p.shown) > 0 {
				p.result = Done
			}
		case key.Matches(msg, p.keys.Back):
			if p.filter.Value() == "" {
				p.result = Dismissed
				return nil
			}
			p.filter.SetValue("")
			p.refilter()
		default:
			return p.typed(msg)
		}
		return nil
	case tea.PasteMsg:
		return p.typed(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.move(-1)
		case tea.MouseWheelDown:
			p.move(1)
		}
	}
	return nil
}

// typed hands msg to the filter and makes the list again if its text
// changed.
func (p *Picker) typed(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() != p.query {
		p.refilter()
	}
	return cmd
}

// SetItems puts other rows in place of the items, as many and in the same
// order — the same rows drawn another way, masked or not — keeping the
// filter and the row the cursor is on. The filter matches what is drawn.
func (p *Picker) SetItems(items []PickerItem) {
	if len(items) != len(p.items) {
		return
	}
	offset := p.offset
	p.Reset(items)
	p.offset = offset
	p.scroll()
}

// Reset puts other rows in place of the items — more or fewer, as when
// the operations of a spec arrive while the picker is open — keeping the
// filter, and the cursor on the same row when it is still there.
func (p *Picker) Reset(items []PickerItem) {
	at := -1
	if p.cursor < len(p.shown) {
		at = p.shown[p.cursor]
	}
	p.setItems(items)
	p.refilter()
	for i, it := range p.shown {
		if it == at {
			p.cursor = i
			break
		}
	}
	p.scroll()
}

// setItems keeps items, their texts and the ranker's filter for them.
func (p *Picker) setItems(items []PickerItem) {
	p.items = items
	p.texts = make([]string, len(items))
	p.srcW = 0
	for i, it := range items {
		p.texts[i] = it.Text()
		if it.Source != "" {
			p.srcW = max(p.srcW, lipgloss.Width(it.Source)+2)
		}
	}
	p.rank = nil
	if p.ranker != nil {
		p.rank = p.ranker(items)
	}
}

// listHeight is how many lines of the list fit: the filter line, a blank
// and the count line take three.
func (p *Picker) listHeight() int { return max(1, p.h-3) }

// scroll keeps the cursor's line on screen, with its heading when it is
// the first row of its group.
func (p *Picker) scroll() {
	at := 0
	for i, l := range p.lines {
		if l.row == p.cursor {
			at = i
			break
		}
	}
	top := at
	if top > 0 && p.lines[top-1].row < 0 {
		top-- // show the heading over its first row
	}
	h := p.listHeight()
	switch {
	case top < p.offset:
		p.offset = top
	case at >= p.offset+h:
		p.offset = at - h + 1
	}
	p.offset = max(0, min(p.offset, len(p.lines)-h))
}

// View implements Component.
func (p *Picker) View() string {
	st := p.st
	out := []string{p.filter.View()}
	h := p.listHeight()
	for i := p.offset; i < len(p.lines) && i < p.offset+h; i++ {
		l := p.lines[i]
		if l.row < 0 && i == p.offset+h-1 {
			// A heading on the last line would stand over nothing:
			// its rows are below, and scrolling shows it with them.
			out = append(out, "")
			continue
		}
		if l.row < 0 {
			out = append(out, st.Bold.Render(Fit(l.heading, p.w)))
			continue
		}
		out = append(out, p.row(l.row))
	}
	for len(out) < h+1 {
		out = append(out, "")
	}
	count := fmt.Sprintf("%d of %d", len(p.shown), len(p.items))
	if len(p.shown) == 0 && p.query != "" {
		count = "nothing matches " + fmt.Sprintf("%q", p.query)
	}
	if first, last := p.rowsOnScreen(); len(p.lines) > h && first >= 0 {
		count += fmt.Sprintf(" · %d–%d shown", first+1, last+1)
	}
	out = append(out, "", st.Muted.Render(Fit(count+" · enter chooses · esc clears the filter, then closes", p.w)))
	return strings.Join(out, "\n")
}

// rowsOnScreen are the first and last rows (indexes into shown) among
// the lines on screen, -1 when there are none: the count speaks of rows,
// as "N of M" does, not of lines, of which headings are some.
func (p *Picker) rowsOnScreen() (first, last int) {
	first, last = -1, -1
	for i := p.offset; i < len(p.lines) && i < p.offset+p.listHeight(); i++ {
		if r := p.lines[i].row; r >= 0 {
			if first < 0 {
				first = r
			}
			last = r
		}
	}
	return first, last
}

// move moves the cursor by delta rows, stopping at the ends.
func (p *Picker) move(delta int) {
	if len(p.shown) == 0 {
		return
	}
	p.cursor = min(len(p.shown)-1, max(0, p.cursor+delta))
	p.scroll()
}
