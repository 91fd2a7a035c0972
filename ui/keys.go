// Package ui holds keyhole's leaf components — the provider list, the token
// pane, the composer, the response viewer, the help — with the key map and
// the styles. It imports nothing of keyhole's: the model hands it plain,
// already-masked data.
package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

// Moves are the keys that move: between panes, through a list or a body,
// sideways, and from one search hit to the next. A viewer of a shared
// session moves with the presenter's keys, so both key maps hold the same
// Moves, and the body viewer takes its keys from them.
type Moves struct {
	NextPane key.Binding
	PrevPane key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Left     key.Binding
	Right    key.Binding
	NextHit  key.Binding
	PrevHit  key.Binding
}

// BodyKeys is the body viewer's part of the key map: the response pane
// (and a viewer's) hands these to it, so the keys the help lists for
// scrolling and for n/N are the ones it matches.
func (m Moves) BodyKeys() bodyview.KeyMap {
	return bodyview.KeyMap{
		Up: m.Up, Down: m.Down, PageUp: m.PageUp, PageDown: m.PageDown, Top: m.Top, Bottom: m.Bottom,
		Left: m.Left, Right: m.Right, NextHit: m.NextHit, PrevHit: m.PrevHit,
	}
}

// KeyMap is every key keyhole answers to. The help view is generated from
// it, so the documented keys and the working keys cannot drift apart.
type KeyMap struct {
	// Global, both modes.
	Send   key.Binding
	Redact key.Binding
	Cancel key.Binding
	Quit   key.Binding

	// Browsing mode.
	Moves
	Select  key.Binding
	Edit    key.Binding
	Refresh key.Binding
	Help    key.Binding
	QuitKey key.Binding

	// Response pane (and y in the request pane).
	Search  key.Binding
	Filter  key.Binding
	Headers key.Binding
	Raw     key.Binding
	WrapKey key.Binding
	Yank    key.Binding
	Save    key.Binding
	Why     key.Binding
	History key.Binding
	Open    key.Binding

	// AllHeaders lists every header of the answer: the pane shows as
	// many as a third of it holds.
	AllHeaders key.Binding

	// Environments is e, anywhere while browsing: the environment
	// picker.
	Environments key.Binding

	// Documented and Check hold the answer against the spec: what it
	// documents for the status, and the body checked against its schema.
	Documented key.Binding
	Check      key.Binding

	// FormatBody and CopyCurl are f and y in the Request pane; they share
	// keys with the response pane's and are listed apart in the help. The
	// Request pane matches these, so the help says what the keys do there.
	FormatBody key.Binding
	CopyCurl   key.Binding
	// PrevMethod and NextMethod move the method picker on the method field.
	PrevMethod key.Binding
	NextMethod key.Binding

	// The picker (o, H): printable keys go to its filter.
	PickUp       key.Binding
	PickDown     key.Binding
	PickPageUp   key.Binding
	PickPageDown key.Binding
	Choose       key.Binding
	PickBack     key.Binding

	// Popups that show a text (the help, claims, the doctor's why) and the
	// sign-in.
	Close    key.Binding
	PasteURL key.Binding
	CopyURL  key.Binding
	// CopyCode is c on a device code whose address does not carry it.
	CopyCode key.Binding
	// BrowseURL opens the sign-in's address in the browser again (it was
	// closed, or opened on the wrong profile).
	BrowseURL  key.Binding
	StopSignIn key.Binding

	// The collection's: S saves the composed request into a .http file,
	// C captures the value under the path filter as a variable.
	SaveRequest key.Binding
	Capture     key.Binding

	// Watching (W) lists who watches a shared session; Disconnect (X)
	// there ends their sessions and RenewCode (R) makes a new join code.
	// They are off unless keyhole share runs.
	Watching   key.Binding
	Disconnect key.Binding
	RenewCode  key.Binding

	// Token pane.
	Authorize  key.Binding
	Revoke     key.Binding
	Introspect key.Binding
	Copy       key.Binding
	Claims     key.Binding
}

// DefaultKeyMap returns keyhole's keys, as documented in DESIGN.md.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Send:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Redact: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/mask secrets")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel / leave")),
		Quit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),

		Moves: Moves{
			NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
			PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
			Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
			Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
			PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
			PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
			Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
			Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
			Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "scroll sideways")),
			Right:    key.NewBinding(key.WithKeys("right")),
			NextHit:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next hit")),
			PrevHit:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous hit")),
		},
		Select:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "select / edit / paste")),
		Edit:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "edit field")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "new token")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		QuitKey: key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),

		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the body")),
		Filter:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "JSON path filter")),
		Headers:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "headers on/off")),
		AllHeaders: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "every header")),
		Raw:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pretty/raw")),
		WrapKey:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap on/off")),
		Yank:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the body")),
		Save:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save the body")),
		Why:        key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "why? (401/403 doctor)")),
		Documented: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "documented response")),
		Check:      key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "check the body against it")),
		History:    key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "history")),
		Open:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "requests you can send")),

		Environments: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "environment")),

		FormatBody: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "format a JSON body")),
		CopyCurl:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy as curl")),
		PrevMethod: key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "method")),
		NextMethod: key.NewBinding(key.WithKeys("right")),

		PickUp:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/ctrl+p", "up")),
		PickDown:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓/ctrl+n", "down")),
		PickPageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PickPageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Choose:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		PickBack:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear, then close")),

		Close:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		PasteURL:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "paste the address")),
		CopyURL:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy the address")),
		CopyCode:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy the code")),
		BrowseURL:  key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "open it in the browser")),
		StopSignIn: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel the sign-in")),

		SaveRequest: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "save to a .http file")),
		Capture:     key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "capture as {{variable}}")),

		Watching:   key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "who is watching (sharing)")),
		Disconnect: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "disconnect every viewer")),
		RenewCode:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "a new join code")),

		Authorize:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sign in")),
		Revoke:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "revoke")),
		Introspect: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "introspect")),
		Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy token")),
		Claims:     key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "claims")),
	}
}

// ShortHelp is the footer line while browsing.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Send, k.Refresh, k.Redact, k.Help, k.QuitKey}
}

// ExchangeHelp is the footer line while browsing in the Request or the
// Response pane: ShortHelp without r, which acts in the Providers and
// Token panes only (offered there, it did nothing).
func (k KeyMap) ExchangeHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Send, k.Redact, k.Help, k.QuitKey}
}

// TypingHelp is the footer line while an input has focus: only ctrl-keys
// and esc act then.
func (k KeyMap) TypingHelp() []key.Binding {
	return []key.Binding{k.Cancel, k.Send, k.Redact, k.Quit}
}

// FullHelp is the help view, one column per area.
func (k KeyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.HelpGroups() {
		out = append(out, g.Bindings)
	}
	return out
}

// HelpGroup is a titled group of keys in the help view.
type HelpGroup struct {
	Title    string
	Bindings []key.Binding
}

// HelpGroups is every key, grouped by where it acts.
func (k KeyMap) HelpGroups() []HelpGroup {
	return []HelpGroup{
		{"Move", []key.Binding{k.NextPane, k.PrevPane, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left}},
		{"Act", []key.Binding{k.Select, k.Edit, k.Send, k.Cancel}},
		{"Request pane", []key.Binding{k.PrevMethod, k.FormatBody, k.CopyCurl, k.SaveRequest}},
		{"Providers and Token panes", []key.Binding{k.Refresh, k.Authorize}},
		{"Token pane", []key.Binding{k.Revoke, k.Introspect, k.Copy, k.Claims}},
		{"Response pane", []key.Binding{k.Search, k.NextHit, k.PrevHit, k.Filter, k.Headers, k.AllHeaders, k.Raw, k.WrapKey, k.Yank, k.Save, k.Why, k.Documented, k.Check, k.Capture}},
		{"Picker (o, H, e)", []key.Binding{k.PickUp, k.PickDown, k.Choose, k.PickBack}},
		{"Anywhere", []key.Binding{k.Open, k.History, k.Environments, k.Watching, k.Redact, k.Help, k.QuitKey, k.Quit}},
	}
}

// ViewerKeyMap is every key a viewer of a shared session answers to. None
// of them reaches the presenter: scrolling, tab and search work on the
// viewer's own copy of the screen (and detach it from the presenter's),
// F follows the presenter again.
type ViewerKeyMap struct {
	Moves
	Search key.Binding
	Follow key.Binding
	Help   key.Binding
	Close  key.Binding
	Quit   key.Binding
}

// DefaultViewerKeyMap returns a viewer's keys: the presenter's for moving
// and searching, so that a viewer who knows keyhole knows them.
func DefaultViewerKeyMap() ViewerKeyMap {
	k := DefaultKeyMap()
	return ViewerKeyMap{
		Moves:  k.Moves,
		Search: k.Search,
		Follow: key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "follow the presenter")),
		Help:   k.Help,
		Close:  k.Close,
		Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "leave")),
	}
}

// Scroll is the part of the key map a text popup scrolls by.
func (k ViewerKeyMap) Scroll() KeyMap {
	return KeyMap{Moves: k.Moves, Close: k.Close, Help: k.Help}
}

// ShortHelp is a viewer's footer line.
func (k ViewerKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Follow, k.NextPane, k.Search, k.Help, k.Quit}
}

// HelpGroups is every key of a viewer, grouped.
func (k ViewerKeyMap) HelpGroups() []HelpGroup {
	return []HelpGroup{
		{"Your copy (detaches it)", []key.Binding{k.NextPane, k.PrevPane, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left}},
		{"Search your copy", []key.Binding{k.Search, k.NextHit, k.PrevHit}},
		{"Session", []key.Binding{k.Follow, k.Help, k.Quit}},
	}
}
