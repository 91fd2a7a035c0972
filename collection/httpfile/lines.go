package httpfile

import "strings"

// line is one line of the source, without its line ending. Offsets are
// into the source, so a block's bytes can be found again exactly (Append
// and a later rewrite rely on it).
type line struct {
	text  string // the line, without "\n" or "\r\n"
	start int    // offset of its first byte
	end   int    // offset just past its line ending: the next line's start
	num   int    // 1-based
}

// splitLines cuts src at "\n". A "\r" is dropped only right before "\n",
// so a CRLF file reads like an LF one and no other byte is lost.
func splitLines(src string) []line {
	lines := make([]line, 0, strings.Count(src, "\n")+1)
	for start, num := 0, 1; start < len(src); num++ {
		i := strings.IndexByte(src[start:], '\n')
		if i < 0 {
			lines = append(lines, line{text: src[start:], start: start, end: len(src), num: num})
			break
		}
		text := src[start : start+i]
		text = strings.TrimSuffix(text, "\r")
		lines = append(lines, line{text: text, start: start, end: start + i + 1, num: num})
		start += i + 1
	}
	return lines
}

// isSeparator: a line starting with ### (VS Code takes three or more #)
// ends one request block and starts the next.
func isSeparator(s string) bool {
	return strings.HasPrefix(s, "###")
}

// separatorName is the text after a separator's #s: the request's name
// in JetBrains' `### Get user`.
func separatorName(s string) string {
	return strings.TrimSpace(strings.TrimLeft(s, "#"))
}

func isBlank(s string) bool {
	return strings.TrimSpace(s) == ""
}

// commentText is the text after a comment's `#` or `//`, and whether s
// is a comment line at all. Both tools take either marker, indented or
// not.
func commentText(s string) (string, bool) {
	t := strings.TrimLeft(s, " \t")
	switch {
	case strings.HasPrefix(t, "//"):
		return t[2:], true
	case strings.HasPrefix(t, "#"):
		return t[1:], true
	}
	return "", false
}
