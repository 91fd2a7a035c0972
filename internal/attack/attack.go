// Package attack holds what the tests of several packages throw at
// keyhole: a payload that tries to drive a terminal, the forms a leaked
// secret would show in, and the check that a terminal's text holds nothing
// it would act on. Only tests import it.
package attack

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Payload is what a server, or a config someone else wrote, sends to take
// over the terminal keyhole prints or draws on.
const Payload = "\x1b]52;c;cm0gLXJmIH4K\x07" + // OSC 52: write the clipboard
	"\x1b]0;pwned\x07" + // OSC 0: the window title
	"\x1b]8;;https://evil.test/\x1b\\click\x1b]8;;\x1b\\" + // OSC 8: a hyperlink
	"\x1b[2J\x1b[H" + // CSI 2J: clear the screen
	"\x1b[5;33;41mALERT\x1b[0m" + // SGR: blinking colours
	"\u009b6n" + // C1 CSI: ask the terminal to answer
	"\u202Etxt.exe" // RLO: what follows reads backwards

// PayloadShown is the start of the payload as the sanitizer shows it, and
// PayloadShownWhole its whole first sequence: finding either proves the
// text was shown, not dropped.
const (
	PayloadShown      = "␛]52;c;"
	PayloadShownWhole = PayloadShown + "cm0gLXJmIH4K␇"
)

// OwnSGR matches the styling keyhole itself puts on a terminal (the error
// badge, help's colours, the TUI's): colours only, no other sequence.
var OwnSGR = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// PayloadColour is the payload's own colour code, which keyhole never
// draws with: finding it means the payload's styling reached the terminal.
const PayloadColour = "\x1b[5;33;41m"

// LeakForms lists the forms a secret would show in: as is, percent-encoded
// with upper- or lower-case hex, base64 of every kind, JSON-escaped with
// and without \/.
func LeakForms(s string) []string {
	q := url.QueryEscape(s)
	j := strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`)
	return []string{s, q, strings.ToLower(q), url.PathEscape(s),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s)),
		base64.URLEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
		j, strings.ReplaceAll(j, "/", `\/`)}
}

// JSONForms lists s as encoding/json writes it inside a string, escaped
// once and twice (a JSON body echoed inside another JSON string). Unlike
// LeakForms' escape, encoding/json also writes <, > and & as \u003c,
// \u003e and \u0026.
func JSONForms(s string) []string {
	once := jsonEscape(s)
	return []string{once, jsonEscape(once)}
}

func jsonEscape(s string) string {
	j, _ := json.Marshal(s)
	return string(j[1 : len(j)-1])
}

// BasicForms lists the HTTP Basic credentials a client id and secret make:
// base64 of id:secret, as is and with both form-encoded first (RFC 6749
// §2.3.1).
func BasicForms(id, secret string) []string {
	b64 := base64.StdEncoding.EncodeToString
	return []string{b64([]byte(id + ":" + secret)), b64([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))}
}

// Unsafe returns the byte offset and the rune of the first thing in text
// a terminal would act on — an escape or other control character not in
// keep (a '\r' in keep allows it only as part of a \r\n); a C1 control; a
// byte that is not UTF-8; a bidirectional override — or -1 when there is
// none.
func Unsafe(text, keep string) (int, rune) {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		kept := strings.ContainsRune(keep, r) && (r != '\r' || strings.HasPrefix(text[i+1:], "\n"))
		if r == utf8.RuneError && n == 1 || r < 0x20 && !kept || r >= 0x7F && r <= 0x9F ||
			r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return i, r
		}
		i += n
	}
	return -1, 0
}
