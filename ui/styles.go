package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

// Styles are every style keyhole draws with, built for a light or a dark
// background.
type Styles struct {
	IsDark bool

	Header     lipgloss.Style
	HeaderMark lipgloss.Style
	Footer     lipgloss.Style
	Muted      lipgloss.Style
	Bold       lipgloss.Style
	Selected   lipgloss.Style
	Key        lipgloss.Style

	Border        lipgloss.Style // pane frame, unfocused
	BorderFocused lipgloss.Style
	Title         lipgloss.Style
	TitleFocused  lipgloss.Style

	// Tone colours, shared by states and statuses.
	Good, Warn, Bad, Info lipgloss.Style

	// Danger is the header's badge for a dangerous environment: white on
	// red in both themes, bold and reversed where there is no colour.
	Danger lipgloss.Style

	Field        lipgloss.Style // a composer field label
	FieldFocused lipgloss.Style
	Method       lipgloss.Style

	BarFull, BarEmpty color.Color

	// Body is the body viewer's: JSON syntax, search hits (the current
	// one stands out), and bytes shown in place of control characters.
	Body bodyview.Styles
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A58BFF"))
	muted := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	border := ld(lipgloss.Color("#B8B8B8"), lipgloss.Color("#4A4A4A"))
	green := ld(lipgloss.Color("#17803D"), lipgloss.Color("#4ADE80"))
	yellow := ld(lipgloss.Color("#A16207"), lipgloss.Color("#FACC15"))
	red := ld(lipgloss.Color("#B91C1C"), lipgloss.Color("#F87171"))
	blue := ld(lipgloss.Color("#1D4ED8"), lipgloss.Color("#60A5FA"))
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	bold := func(c color.Color) lipgloss.Style { return fg(c).Bold(true) }
	return Styles{
		IsDark:        isDark,
		Header:        lipgloss.NewStyle().Bold(true),
		HeaderMark:    bold(accent),
		Footer:        fg(muted),
		Muted:         fg(muted),
		Bold:          lipgloss.NewStyle().Bold(true),
		Selected:      bold(accent),
		Key:           fg(accent),
		Border:        fg(border),
		BorderFocused: fg(accent),
		Title:         fg(muted),
		TitleFocused:  bold(accent),
		Good:          fg(green),
		Warn:          fg(yellow),
		Bad:           fg(red),
		Info:          fg(blue),
		Danger:        lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#B91C1C")),
		Field:         fg(muted),
		FieldFocused:  bold(accent),
		Method:        bold(blue),
		BarFull:       green,
		BarEmpty:      border,
		Body: bodyview.Styles{
			JSONKey:    fg(blue),
			JSONString: fg(green),
			JSONNumber: fg(yellow),
			JSONBool:   fg(accent),
			JSONNull:   fg(muted).Italic(true),
			JSONPunct:  fg(muted),
			// Hits are underlined too, so they still show without colour
			// (NO_COLOR drops the background).
			Hit: lipgloss.NewStyle().Underline(true).Foreground(lipgloss.Color("#000000")).
				Background(ld(lipgloss.Color("#FDE68A"), lipgloss.Color("#FACC15"))),
			HitCurrent: lipgloss.NewStyle().Underline(true).Bold(true).
				Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#000000"))).
				Background(ld(lipgloss.Color("#C2410C"), lipgloss.Color("#FB923C"))),
			Escaped: fg(red),
			Muted:   fg(muted),
		},
	}
}

// Tone is a meaning a piece of text carries, drawn as a colour.
type Tone int

// The tones.
const (
	ToneNone Tone = iota
	ToneGood
	ToneWarn
	ToneBad
	ToneInfo
	ToneMuted
)

// Render draws s in the tone's colour.
func (st Styles) Render(t Tone, s string) string {
	switch t {
	case ToneGood:
		return st.Good.Render(s)
	case ToneWarn:
		return st.Warn.Render(s)
	case ToneBad:
		return st.Bad.Render(s)
	case ToneInfo:
		return st.Info.Render(s)
	case ToneMuted:
		return st.Muted.Render(s)
	}
	return s
}
