package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"rsc.io/qr"
)

// qrStyle draws dark modules on a light ground whatever the terminal's
// theme: phone scanners read the usual polarity best.
var qrStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFFFFF"))

// QR draws text as a QR code, two modules per character cell (half
// blocks), with the quiet zone the standard asks for. It returns "" when
// the text does not fit a QR code.
func QR(text string) string {
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return ""
	}
	const quiet = 2
	n := code.Size + 2*quiet
	black := func(x, y int) bool {
		x, y = x-quiet, y-quiet
		return x >= 0 && y >= 0 && x < code.Size && y < code.Size && code.Black(x, y)
	}
	var rows []string
	for y := 0; y < n; y += 2 {
		var b strings.Builder
		for x := 0; x < n; x++ {
			top, bottom := black(x, y), black(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		rows = append(rows, qrStyle.Render(b.String()))
	}
	return strings.Join(rows, "\n")
}
