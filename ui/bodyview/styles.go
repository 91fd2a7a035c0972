package bodyview

import "charm.land/lipgloss/v2"

// Styles are what the viewer draws with: JSON syntax, search hits (the
// current one stands out), bytes shown in place of control characters,
// and the muted text of the status row, the gutter and the ellipsis. ui
// builds them with its palette for a light or a dark background.
type Styles struct {
	JSONKey, JSONString, JSONNumber, JSONBool, JSONNull, JSONPunct lipgloss.Style
	Hit, HitCurrent                                                lipgloss.Style
	Escaped                                                        lipgloss.Style
	Muted                                                          lipgloss.Style
}
