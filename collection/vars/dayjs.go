package vars

import (
	"strconv"
	"strings"
	"time"
)

// dayjsTokens are the Day.js format tokens VS Code's $datetime takes, each
// with the Go layout that writes it (or "" for the ones Go has no layout
// for), longest first so "YYYY" is not read as two "YY".
var dayjsTokens = []struct{ token, layout string }{
	{"YYYY", "2006"}, {"YY", "06"},
	{"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"},
	{"DD", "02"}, {"D", "2"},
	{"dddd", "Monday"}, {"ddd", "Mon"}, {"dd", ""}, {"d", ""},
	{"HH", "15"}, {"H", ""}, {"hh", "03"}, {"h", "3"},
	{"mm", "04"}, {"m", "4"},
	{"ss", "05"}, {"s", "5"},
	{"SSS", ""},
	{"A", "PM"}, {"a", "pm"},
	{"ZZ", "-0700"}, {"Z", "-07:00"},
	{"X", ""}, {"x", ""},
}

// dayjsFormat writes t in a Day.js format: YYYY-MM-DD, "DD MMM YYYY
// HH:mm:ss", [text in brackets] kept as it stands. Each token is written
// on its own through Go's layout for it, so literal text between tokens is
// never taken for a Go layout ("Jan", "2"). Characters that are not
// tokens stand as they are, as in Day.js.
func dayjsFormat(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); {
		if format[i] == '[' {
			if end := strings.IndexByte(format[i:], ']'); end > 0 {
				b.WriteString(format[i+1 : i+end])
				i += end + 1
				continue
			}
		}
		n := writeToken(&b, t, format[i:])
		if n == 0 {
			b.WriteByte(format[i])
			n = 1
		}
		i += n
	}
	return b.String()
}

// writeToken writes the token format starts with, returning its length
// (0: no token).
func writeToken(b *strings.Builder, t time.Time, format string) int {
	for _, tk := range dayjsTokens {
		if !strings.HasPrefix(format, tk.token) {
			continue
		}
		switch tk.token {
		case "dd":
			b.WriteString(t.Weekday().String()[:2])
		case "d":
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		case "H":
			b.WriteString(strconv.Itoa(t.Hour()))
		case "SSS":
			b.WriteString(t.Format(".000")[1:])
		case "X":
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case "x":
			b.WriteString(strconv.FormatInt(t.UnixMilli(), 10))
		default:
			b.WriteString(t.Format(tk.layout))
		}
		return len(tk.token)
	}
	return 0
}
