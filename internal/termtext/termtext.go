// Package termtext makes text from outside keyhole — a server's answer, a
// config value — safe to print on a terminal or draw in the TUI.
//
// A terminal acts on what it is sent: ESC and the C1 controls start
// sequences that set the clipboard (OSC 52), the window title (OSC 0),
// hyperlinks (OSC 8), clear the screen or recolour what follows, and
// bidirectional overrides reorder the text after them so that what is
// shown is not what was sent. A server must not drive the person's
// terminal, so every string keyhole did not write itself goes through Line
// or Text, which show such characters as visible symbols, the way the
// response inspector draws a body:
//
//   - a C0 control as its control picture (ESC as ␛, BEL as ␇), DEL as ␡;
//   - a byte that is not UTF-8 as \xNN;
//   - a C1 control, a bidirectional override or isolate, or a line or
//     paragraph separator as \uNNNN.
//
// Clean text, the common case, is returned as it is, without allocating.
package termtext

import (
	"unicode/utf8"
)

// Line makes s safe to show as one line: every control character is shown
// as a symbol, newlines and tabs included.
func Line(s string) string { return clean(s, false) }

// Text makes s safe to print as text of several lines: newlines, tabs and
// the \r of a \r\n stay, every other control character is shown as a
// symbol. A lone \r would move the cursor back over what was printed.
func Text(s string) string { return clean(s, true) }

func clean(s string, lines bool) string {
	i := firstUnsafe(s, lines)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	b, _ = appendSafe(b, s[i:], lines, false)
	return string(b)
}

// text is what the sanitizer reads: a string, or the bytes of a body.
type text interface{ string | []byte }

// firstUnsafe is the index of the first byte of s that cannot be shown as
// it is, or len(s).
func firstUnsafe[T text](s T, lines bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7F {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if !lines || !keptControl(s, i) {
				return i
			}
			i++
			continue
		}
		r, n := decode(s, i)
		if r == utf8.RuneError && n <= 1 || steers(r) {
			return i
		}
		i += n
	}
	return len(s)
}

// keptControl reports whether the control byte at s[i] stays in Text:
// \n, \t, and \r right before \n.
func keptControl[T text](s T, i int) bool {
	switch s[i] {
	case '\n', '\t':
		return true
	case '\r':
		return i+1 < len(s) && s[i+1] == '\n'
	}
	return false
}

// appendSafe appends s, made safe, to dst. With more set, s is the start
// of what follows in a later call (a body written in pieces): a trailing
// \r or a rune cut short is left, and n says how much of s was used.
func appendSafe[T text](dst []byte, s T, lines, more bool) (out []byte, n int) {
	const hexDigits = "0123456789ABCDEF"
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7F:
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x7F {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		case c == '\r' && more && i+1 == len(s) && lines:
			return dst, i
		case c < 0x20:
			if lines && keptControl(s, i) {
				dst = append(dst, c)
			} else {
				dst = utf8.AppendRune(dst, 0x2400+rune(c)) // ␀ … ␟
			}
			i++
			continue
		case c == 0x7F:
			dst = utf8.AppendRune(dst, '␡')
			i++
			continue
		}
		if more && !fullRune(s[i:]) {
			return dst, i
		}
		r, size := decode(s, i)
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xF])
		case steers(r):
			dst = append(dst, '\\', 'u',
				hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst, i
}

// steers reports whether r is a character a terminal may act on rather
// than print (the C1 controls: U+009B is CSI, U+009D OSC) or one that
// reorders or breaks what follows (bidirectional overrides and isolates,
// line and paragraph separators). It is the set the inspector escapes
// (ui/bodyview_layout.go), so that both show the same thing the same way.
func steers(r rune) bool {
	return r >= 0x80 && r <= 0x9F ||
		r >= 0x202A && r <= 0x202E ||
		r >= 0x2066 && r <= 0x2069 ||
		r == 0x2028 || r == 0x2029
}

// decode decodes the rune at s[i], which is not ASCII.
func decode[T text](s T, i int) (rune, int) {
	// For bytes, the conversion of at most four bytes does not escape and
	// costs no allocation; for a string it is free.
	return utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
}

// fullRune reports whether s starts with a full rune or with bytes that
// can never start one: only a sequence cut short is worth waiting for.
func fullRune[T text](s T) bool {
	return utf8.FullRuneInString(string(s[:min(len(s), utf8.UTFMax)]))
}
