package model

import (
	"fmt"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
)

// Starting returns the program's first model: it builds the real one with
// New on another goroutine and becomes it as soon as it is built.
//
// Why: a Bubble Tea program draws its first frame on its renderer's first
// tick, a frame interval (8 ms at the 120 fps keyhole asks for) after Run
// starts, and sets the terminal up before that. New (the composer's text
// areas, the styles, the first layout) takes a few milliseconds of a cold
// process; built
// while Run sets up and waits for that tick, on the second core, it no
// longer comes before the first frame. Messages that arrive first (the
// window size, the colour profile, an early key) are kept and given to
// the real model in the order they came, right after its Init.
func Starting(opts Options) tea.Model {
	built := make(chan builtMsg, 1)
	go func() {
		defer func() {
			// Update raises it again: Bubble Tea prints that stack, so
			// New's goes with the value.
			if p := recoverWithStack(recover()); p != nil {
				built <- builtMsg{panicked: p}
			}
		}()
		built <- builtMsg{model: New(opts)}
	}()
	return &starting{built: built}
}

// starting stands in for the model until it is built.
type starting struct {
	built   <-chan builtMsg
	pending []tea.Msg
}

// builtMsg carries the built model, or what New panicked with: the panic
// is raised again in Update, where Bubble Tea puts the terminal back
// before it ends the program.
type builtMsg struct {
	model    Model
	panicked any
}

func (s *starting) Init() tea.Cmd {
	return func() tea.Msg { return <-s.built }
}

func (s *starting) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	b, ok := msg.(builtMsg)
	if !ok {
		s.pending = append(s.pending, msg)
		return s, nil
	}
	if b.panicked != nil {
		panic(b.panicked)
	}
	var m tea.Model = b.model
	cmds := []tea.Cmd{m.Init()}
	for _, msg := range s.pending {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		cmds = append(cmds, cmd)
	}
	s.pending = nil
	return m, tea.Batch(cmds...)
}

// View draws nothing until the model is built: a frame drawn before that
// would be replaced by the real one a tick later.
func (s *starting) View() tea.View { return tea.View{} }

// recoverWithStack is r, a recovered panic value, with the stack of the
// goroutine that panicked, to raise again on another; nil when r is.
func recoverWithStack(r any) any {
	if r == nil {
		return nil
	}
	return fmt.Sprintf("%v\n\npanicked here:\n%s", r, debug.Stack())
}
