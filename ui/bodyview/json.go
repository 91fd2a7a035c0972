package bodyview

// A JSON highlighter for one row at a time: given the bytes of a row and
// the string state at its start (jsonState), it colours keys, strings,
// numbers, true/false, null and punctuation. It never looks further than
// keyLookahead bytes past the row, so a row costs about its own length
// even inside a 10 MB line. Invalid JSON just gets fewer colours.

// Colour classes of the bytes of a row.
const (
	clsPlain uint8 = iota
	clsKey
	clsString
	clsNumber
	clsBool
	clsNull
	clsPunct
	clsEscaped // a control character or stray byte, drawn as ␛ or \xNN
	clsHit
	clsHitCurrent
	clsMuted // the ellipsis, the gutter
	numClasses
)

// keyLookahead bounds the search for the end of a string that runs past
// the row, to tell a key (followed by ':') from a value. A string longer
// than this is coloured as a value.
const keyLookahead = 1024

// classifyJSON sets cls[k] for byte line[from+k], k < to-from, starting in
// string state st.
func classifyJSON(cls []uint8, line []byte, from, to int, st uint8) {
	fill := func(a, b int, c uint8) int {
		for k := max(a, from); k < min(b, to); k++ {
			cls[k-from] = c
		}
		return b
	}
	i := from
	if st != jsOut {
		// The row starts inside a string: colour up to its end.
		i = fill(from, stringEnd(line, from, to, st == jsEsc), stringClass(line, from, to, st == jsEsc))
	} else if j := wordStart(line, from); j < from {
		// The row starts inside a number or a literal: colour it whole.
		end := wordEnd(line, j)
		i = fill(from, end, wordClass(line[j:end]))
	}
	for i < to {
		c := line[i]
		switch {
		case c == '"':
			i = fill(i, stringEnd(line, i+1, to, false), stringClass(line, i+1, to, false))
		case c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z':
			end := wordEnd(line, i)
			i = fill(i, end, wordClass(line[i:end]))
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':':
			i = fill(i, i+1, clsPunct)
		default:
			i = fill(i, i+1, clsPlain)
		}
	}
}

// stringEnd is the offset just past the closing quote of the string whose
// content starts at line[i] (escaped: right after a backslash), or the end
// of the lookahead when it is not found there.
func stringEnd(line []byte, i, to int, escaped bool) int {
	limit := min(len(line), to+keyLookahead)
	for ; i < limit; i++ {
		switch {
		case escaped:
			escaped = false
		case line[i] == '\\':
			escaped = true
		case line[i] == '"':
			return i + 1
		}
	}
	return limit
}

// stringClass tells a key from a string value by what follows the string.
func stringClass(line []byte, i, to int, escaped bool) uint8 {
	end := stringEnd(line, i, to, escaped)
	if end == 0 || line[end-1] != '"' || end == i {
		return clsString
	}
	for ; end < len(line) && (line[end] == ' ' || line[end] == '\t'); end++ {
	}
	if end < len(line) && line[end] == ':' {
		return clsKey
	}
	return clsString
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '+'
}

// wordStart backs up from line[i] to the start of the number or literal
// the row edge cut, at most 64 bytes.
func wordStart(line []byte, i int) int {
	j := i
	for j > 0 && j > i-64 && isWordByte(line[j-1]) {
		j--
	}
	return j
}

func wordEnd(line []byte, i int) int {
	for i < len(line) && isWordByte(line[i]) {
		i++
	}
	return i
}

func wordClass(w []byte) uint8 {
	switch string(w) {
	case "true", "false":
		return clsBool
	case "null":
		return clsNull
	}
	if len(w) > 0 && (w[0] == '-' || w[0] >= '0' && w[0] <= '9') {
		return clsNumber
	}
	return clsPlain
}
