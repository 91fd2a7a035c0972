package model

import (
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/ui"
)

// paneAt is the pane drawn at screen cell (x, y), and whether there is one.
func (m *Model) paneAt(x, y int) (pane, bool) { return paneIn(m.layout(), m.lastBottom, x, y) }

// paneIn is the pane at (x, y) in layout l, where lastBottom is the bottom
// pane shown when only one fits. It follows draw's layout: a header line,
// the top row, the bottom row.
func paneIn(l layout, lastBottom pane, x, y int) (pane, bool) {
	switch {
	case y < 1 || y >= l.h-1:
		return 0, false
	case y < 1+l.topH:
		if x < l.provW {
			return paneProviders, true
		}
		return paneToken, true
	case l.single:
		return lastBottom, true
	case x < l.reqW:
		return paneRequest, true
	}
	return paneResponse, true
}

// click is a left click's work at row y of pane p: p takes the focus,
// and on the provider list the row under the pointer takes the cursor.
// The presenter's screen and a viewer's share it.
func click(list *ui.ProviderList, setFocus func(pane), p pane, y int) {
	setFocus(p)
	if p == paneProviders {
		// Rows start under the pane's top border, below the header.
		list.Click(y - 2)
	}
}

// onMouse: a click focuses the pane under the pointer (and picks a
// provider row); the wheel scrolls what is under the pointer.
func (m Model) onMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.tooSmall() {
		return m, nil
	}
	if top := m.popups.top(); top != nil {
		// A popup takes the mouse as it takes the keys: the wheel
		// scrolls it, a click elsewhere does nothing.
		return m.afterPopup(top, top.Update(msg))
	}
	mouse := msg.Mouse()
	p, ok := m.paneAt(mouse.X, mouse.Y)
	if !ok || m.typing() {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft {
			click(&m.list, m.setFocus, p, mouse.Y)
		}
	case tea.MouseWheelMsg:
		switch p {
		case paneResponse:
			return m, m.insp.Update(msg)
		case paneProviders:
			return m, m.list.Update(msg)
		}
	}
	return m, nil
}
