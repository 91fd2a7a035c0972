package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
)

// TokenView is what the token pane shows, already masked and formatted.
type TokenView struct {
	// Heading names the provider, grant, token type and source.
	Heading string
	// Alarm is drawn in red, bold, between the state and the heading:
	// "TLS NOT VERIFIED" for a provider with insecure = true, "PLAIN HTTP"
	// for one whose credentials go somewhere in plain http.
	Alarm string
	Glyph string
	State string
	Tone  Tone
	// HasExpiry is false when the expiry is unknown: no bar is drawn then.
	HasExpiry bool
	Fraction  float64 // of the lifetime left, 0..1
	Countdown string  // "0:41", "7:59:12", "29d 23h"
	ExpiresAt string  // "14:32:05"
	// Expiry is the line shown instead of the bar when there is none.
	Expiry  string
	Details []string // scope, audience, subject lines
	Error   string
	Hint    string
	// Warnings are said under the hint, each once: credentials sent in
	// clear, a token type keyhole cannot prove.
	Warnings []string
	// Keys are the pane's keys that apply, the most used first: a narrow
	// pane shows as many whole ones as fit.
	Keys []string
}

// TokenPane draws a TokenView. Its keys (r, a, x, i, c, v) act on the
// provider, which the root holds: the root matches them, and the pane
// lists them for the help.
type TokenPane struct {
	st   *Styles
	keys *KeyMap
	bar  progress.Model
	v    TokenView
	w, h int
}

// NewTokenPane builds the pane for the given styles.
func NewTokenPane(st *Styles, keys *KeyMap) TokenPane {
	return TokenPane{st: st, keys: keys, bar: newBar(*st), w: 40, h: 6}
}

func newBar(st Styles) progress.Model {
	return progress.New(progress.WithoutPercentage(), progress.WithColors(st.BarFull), progress.WithFillCharacters('█', '░'))
}

// SetStyles rebuilds the bar's colours.
func (p *TokenPane) SetStyles(st *Styles) { p.st, p.bar = st, newBar(*st) }

// SetView sets what the pane shows, already masked and made safe to draw.
func (p *TokenPane) SetView(v TokenView) {
	p.v = v
	p.layout()
}

// SetSize sets the content area.
func (p *TokenPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// layout sizes the bar for the countdown beside it.
func (p *TokenPane) layout() {
	tail := "  expires in " + p.v.Countdown + " (at " + p.v.ExpiresAt + ")"
	if p.v.Fraction <= 0 {
		tail = "  expired at " + p.v.ExpiresAt
	}
	p.bar.SetWidth(max(10, min(40, p.w-len([]rune(tail)))))
	p.bar.FullColor = p.st.BarFull
	p.bar.EmptyColor = p.st.BarEmpty
}

// Update implements Component: the pane's keys act on the provider, and
// the root matches them.
func (p *TokenPane) Update(tea.Msg) tea.Cmd { return nil }

// ShortHelp implements help.KeyMap.
func (p *TokenPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Refresh, p.keys.Authorize, p.keys.Copy, p.keys.Claims}
}

// FullHelp implements help.KeyMap.
func (p *TokenPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{p.ShortHelp(), {p.keys.Revoke, p.keys.Introspect}}
}

// View implements Component.
func (p *TokenPane) View() string {
	st, v, w := p.st, p.v, p.w
	var lines []string
	head := st.Render(v.Tone, v.Glyph+" "+v.State) + "  "
	if v.Alarm != "" {
		// Before the heading, so a narrow pane cuts the heading, not this.
		head += st.Bad.Bold(true).Render(v.Alarm) + "  "
	}
	lines = append(lines, head+st.Bold.Render(v.Heading))
	switch {
	case v.HasExpiry:
		tail := "  expires in " + v.Countdown + " (at " + v.ExpiresAt + ")"
		if v.Fraction <= 0 {
			tail = "  expired at " + v.ExpiresAt
		}
		lines = append(lines, p.bar.ViewAs(v.Fraction)+st.Render(v.Tone, tail))
	case v.Expiry != "":
		lines = append(lines, st.Muted.Render(v.Expiry))
	}
	// The error and its hint come before the details: the pane is short,
	// and they are what the person needs to see.
	if v.Error != "" {
		lines = append(lines, st.Bad.Render(ansi.Wordwrap(v.Error, w, " /&?=")))
	}
	if v.Hint != "" {
		lines = append(lines, st.Warn.Render(ansi.Wordwrap("hint: "+v.Hint, w, " ")))
	}
	for _, warning := range v.Warnings {
		lines = append(lines, st.Warn.Render(ansi.Wordwrap("warning: "+warning, w, " ")))
	}
	lines = append(lines, v.Details...)
	if len(v.Keys) > 0 {
		// The keys stay on the pane's last row: warnings and details
		// that do not fit give way to them (they pushed the keys out
		// of a short pane, and nothing said what the pane answers to).
		rows := strings.Split(strings.Join(lines, "\n"), "\n")
		if p.h > 1 && len(rows) >= p.h {
			rows = rows[:p.h-1]
		}
		lines = append(rows, st.Muted.Render(FitList(v.Keys, " · ", w)))
	}
	return strings.Join(lines, "\n")
}
