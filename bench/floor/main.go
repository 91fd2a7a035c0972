// Command floor is the floor that bench/run measures keyhole's TUI
// against: the smallest Bubble Tea v2 program that draws what keyhole's
// first frame draws — a full screen (120x40 in the benchmark) on the
// alternate screen, with a "Providers" pane title — and scrolls its rows
// on j/k and pgdown/pgup, as keyhole's response viewer does. It reads no
// config, starts no goroutine of its own and does no I/O but the
// terminal's.
//
//	floor            the TUI; q or ctrl+c quits
//	floor version    exits at once (for GODEBUG=inittrace=1)
package main

import (
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
)

type model struct{ w, h, off int }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "j", "down":
			m.off++
		case "k", "up":
			m.off = max(0, m.off-1)
		case "pgdown":
			m.off += m.rows()
		case "pgup":
			m.off = max(0, m.off-m.rows())
		}
	}
	return m, nil
}

func (m model) size() (int, int) {
	if m.w <= 0 || m.h <= 0 {
		return 120, 40
	}
	return m.w, m.h
}

func (m model) rows() int { _, h := m.size(); return max(1, h-2) }

func (m model) View() tea.View {
	w, _ := m.size()
	var b strings.Builder
	line := func(s string) {
		r := []rune(s)
		if len(r) > w {
			r = r[:w]
		}
		b.WriteString(string(r))
		b.WriteString(strings.Repeat(" ", w-len(r)))
	}
	line(" Providers")
	for i := 0; i < m.rows(); i++ {
		b.WriteByte('\n')
		n := m.off + i
		line(fmt.Sprintf(`  {"index": %d, "id": "rec_%07d", "note": "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod"}`, n, n))
	}
	b.WriteByte('\n')
	line(fmt.Sprintf(" line %d · q quit", m.off+1))
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		return
	}
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}
