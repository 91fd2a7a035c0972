package ui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestInsecureProviderIsMarkedInRed(t *testing.T) {
	st := NewStyles(true)
	red := st.Bad.Bold(true).Render(InsecureMark)
	keys := DefaultKeyMap()
	l := NewProviderList(&st, &keys)
	items := []ProviderItem{
		{Name: "safe", Glyph: "●", Tone: ToneGood},
		{Name: "corp", Glyph: "●", Tone: ToneGood, Insecure: true},
		{Name: "a-very-long-insecure-provider-name", Glyph: "·", Tone: ToneMuted, Insecure: true},
	}
	l.SetItems(items)
	// The providers pane is 18 to 28 columns wide, its frame included.
	for _, w := range []int{16, 26} {
		for _, focused := range []bool{false, true} {
			for cursor := range items {
				l.SetCursor(cursor)
				l.SetFocused(focused)
				l.SetSize(w, 5)
				rows := strings.Split(l.View(), "\n")
				if len(rows) != 3 {
					t.Fatalf("%d rows", len(rows))
				}
				for i, row := range rows {
					if got := lipgloss.Width(row); got != w {
						t.Errorf("w %d row %d is %d wide: %q", w, i, got, ansi.Strip(row))
					}
					marked := strings.Contains(row, red)
					if marked != items[i].Insecure {
						t.Errorf("w %d focused %v cursor %d row %d: red mark %v: %q", w, focused, cursor, i, marked, row)
					}
				}
				if plain := ansi.Strip(rows[1]); !strings.HasPrefix(strings.TrimLeft(plain, "> "), "corp "+InsecureMark+" ") {
					t.Errorf("the mark does not follow the name: %q", plain)
				}
				if plain := ansi.Strip(rows[2]); !strings.Contains(plain, "…") || !strings.Contains(plain, "… "+InsecureMark) {
					t.Errorf("a long name gives way to the mark: %q", plain)
				}
			}
		}
	}
}

func TestTokenPaneAlarmIsRed(t *testing.T) {
	st := NewStyles(false)
	keys := DefaultKeyMap()
	p := NewTokenPane(&st, &keys)
	p.SetSize(60, 6)
	p.SetView(TokenView{Glyph: "●", State: "valid", Heading: "corp · client_credentials", Alarm: "TLS NOT VERIFIED"})
	out := p.View()
	if !strings.Contains(out, st.Bad.Bold(true).Render("TLS NOT VERIFIED")) {
		t.Errorf("no red alarm: %q", out)
	}
	if first := ansi.Strip(strings.Split(out, "\n")[0]); first != "● valid  TLS NOT VERIFIED  corp · client_credentials" {
		t.Errorf("heading line %q", first)
	}
	p.SetView(TokenView{Glyph: "●", State: "valid", Heading: "safe"})
	if out := p.View(); strings.Contains(out, "NOT VERIFIED") {
		t.Errorf("alarm without one: %q", out)
	}
}
