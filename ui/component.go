package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

// Component is the contract every part of the screen keeps, the panes and
// the popups alike: it takes messages in Update (keys, pastes, the wheel)
// and changes only itself there; View draws what Update left and changes
// nothing; SetSize is the content area, given by the root when the window
// changes; ShortHelp and FullHelp list the keys it answers to, which are
// the bindings its Update matches (help.KeyMap).
//
// Components have pointer receivers: the root keeps each one in one place.
type Component interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	help.KeyMap
}

// Every component keeps the contract; every popup is a Popup.
var (
	_ Component = (*ProviderList)(nil)
	_ Component = (*TokenPane)(nil)
	_ Component = (*Composer)(nil)
	_ Component = (*bodyview.Model)(nil)
	_ Popup     = (*Picker)(nil)
	_ Popup     = (*TextPopup)(nil)
	_ Popup     = (*Prompt)(nil)
	_ Popup     = (*SignIn)(nil)
)

// Result is where a popup stands after a message.
type Result int

// The results.
const (
	// Open: the popup stays and keeps the keyboard.
	Open Result = iota
	// Dismissed: esc closed it; nothing was chosen.
	Dismissed
	// Done: enter closed it with a choice (a row, a text).
	Done
)

// Popup is a component drawn over the panes (the help, a picker, the
// sign-in, a text, a prompt). The root keeps them in one stack; the one on
// top gets every key first, and the root reads its Result after each.
type Popup interface {
	Component
	// Title is drawn in the popup's frame.
	Title() string
	// Typing reports whether printable keys go to an input of the popup
	// (a filter, a file name, a pasted address): q and ? are then text,
	// and the footer says "typing".
	Typing() bool
	// Result says whether the popup is still open.
	Result() Result
}
