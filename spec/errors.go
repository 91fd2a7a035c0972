package spec

import (
	"fmt"
	"strings"
)

// Error is a problem in a spec, located as precisely as the bytes allow:
// by JSON pointer in a document that parsed, by line and column in one
// that did not.
type Error struct {
	File    string // the path or URL the spec came from
	Pointer string // "/paths/~1items/get/parameters/0", "" when not known
	Line    int    // 0 when not known
	Column  int
	Reason  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.Pointer != "" {
		fmt.Fprintf(&b, ": %s", e.Pointer)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	return b.String()
}

// pointerEscape escapes one JSON pointer token (RFC 6901).
func pointerEscape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// pointerUnescape undoes pointerEscape.
func pointerUnescape(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// lineCol is the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
