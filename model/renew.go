package model

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
)

// refreshExpiring starts a refresh for every token that entered its
// refresh window: by refresh token when one is held, else by the grant when
// it needs no person; otherwise the session answers needs_login and the
// provider says so. A failed refresh leaves the error showing, and is not
// retried on every tick.
func (m Model) refreshExpiring(next tea.Cmd) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{next}
	for i, e := range m.entries {
		if e.Session == nil || !m.renewable(e) {
			continue
		}
		nm, cmd := m.fetch(i, true)
		m = nm.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// minAutoRenew is the least time between a token's arrival and its
// renewal without the person. A token can arrive inside the refresh window
// or already expired — a lifetime shorter than refresh_before, an expiry
// the server put in the past (an absolute expires_in, a clock far off) —
// and would otherwise be fetched again on every tick of the clock, for as
// long as keyhole runs. A send still gets a fresh one when it needs it.
const minAutoRenew = 10 * time.Second

// renewable reports whether e's token should be renewed now without the
// person: inside the refresh window, or already expired (after a suspend,
// or loaded expired from the cache) with an automatic way back — and not
// just obtained.
func (m *Model) renewable(e *entry) bool {
	if e.tok != nil && !e.tok.Obtained.IsZero() && m.now.Sub(e.tok.Obtained) < minAutoRenew {
		return false
	}
	switch m.state(e) {
	case providers.StateExpiring:
		return true
	case providers.StateExpired:
		return !e.Config.Interactive() || !e.tok.Refresh.IsZero()
	}
	return false
}
