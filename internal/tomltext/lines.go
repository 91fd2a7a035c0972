package tomltext

import (
	"bufio"
	"bytes"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// TableLine finds the line of a [table] header, or of the first key inside
// the table when it is written with dotted keys. 0 means not found.
func TableLine(data []byte, key toml.Key) int {
	if line := headerLine(data, key, false, 0); line > 0 {
		return line
	}
	return KeyLine(data, key)
}

// ArrayTableLine finds the line of the n-th (from 0) [[key]] header, or
// where key is assigned when it is written as an inline array.
func ArrayTableLine(data []byte, key toml.Key, n int) int {
	if line := headerLine(data, key, true, n); line > 0 {
		return line
	}
	return KeyLine(data, key)
}

// headerLine finds the n-th [key] header ([[key]] when array), or 0.
// The parsed header is compared, not its text: TOML allows [ providers.x ]
// and [providers."x"] for [providers.x].
func headerLine(data []byte, key toml.Key, array bool, n int) int {
	for line, text := range lines(data) {
		if !strings.HasPrefix(text, "[") || strings.HasPrefix(text, "[[") != array || !slices.Equal(parseHeader(text), key) {
			continue
		}
		if n == 0 {
			return line
		}
		n--
	}
	return 0
}

// KeyLine finds the line where key is assigned. BurntSushi/toml reports
// positions for syntax and type errors but not for keys it did not decode,
// so this follows table headers the way a reader would: the last element is
// searched for inside the table that holds it, as a plain key, a dotted key
// or inside an inline table. 0 means not found.
func KeyLine(data []byte, key toml.Key) int {
	if len(key) == 0 {
		return 0
	}
	leaf := key[len(key)-1]
	var table toml.Key
	fallback := 0
	for line, text := range lines(data) {
		if strings.HasPrefix(text, "[") {
			table = parseHeader(text)
			continue
		}
		name, value, ok := strings.Cut(text, "=")
		if !ok {
			continue
		}
		full := append(slices.Clone(table), splitDotted(strings.TrimSpace(name))...)
		if hasPrefix(key, full) || hasPrefix(full, key) {
			if len(full) >= len(key) || strings.Contains(value, leaf) {
				return line
			}
		}
		if fallback == 0 && (full[len(full)-1] == leaf || containsKey(value, leaf)) {
			fallback = line
		}
	}
	return fallback
}

// lines yields each line's number (from 1) and its text without a
// trailing comment or surrounding space.
func lines(data []byte) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		sc := bufio.NewScanner(bytes.NewReader(data))
		// A line is never longer than the file: a small config gets a small
		// buffer (this runs once per provider at every start).
		sc.Buffer(make([]byte, 0, min(64*1024, len(data)+1)), len(data)+1)
		for line := 1; sc.Scan(); line++ {
			if !yield(line, strings.TrimSpace(stripComment(sc.Text()))) {
				return
			}
		}
	}
}

func hasPrefix(k, prefix toml.Key) bool {
	return len(prefix) <= len(k) && slices.Equal(k[:len(prefix)], prefix)
}

func containsKey(inline, leaf string) bool {
	for _, sep := range []string{"{", ","} {
		for _, part := range strings.Split(inline, sep)[1:] {
			name, _, ok := strings.Cut(part, "=")
			if ok && unquote(strings.TrimSpace(name)) == leaf {
				return true
			}
		}
	}
	return false
}

func parseHeader(text string) toml.Key {
	return splitDotted(strings.Trim(text, "[] \t"))
}

// splitDotted splits a dotted key at the dots outside quotes, so
// providers."api.v2" is two elements, not three.
func splitDotted(s string) toml.Key {
	var out toml.Key
	start := 0
	unquoted(s, func(i int, c byte) bool {
		if c == '.' {
			out = append(out, unquote(strings.TrimSpace(s[start:i])))
			start = i + 1
		}
		return true
	})
	return append(out, unquote(strings.TrimSpace(s[start:])))
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		if u, err := strconv.Unquote(`"` + s[1:len(s)-1] + `"`); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	return s
}

// stripComment drops a trailing # comment that is not inside a string.
func stripComment(s string) string {
	end := len(s)
	unquoted(s, func(i int, c byte) bool {
		if c == '#' {
			end = i
			return false
		}
		return true
	})
	return s[:end]
}

// unquoted calls f with each byte of s that stands outside a quoted
// string, and its index, until f returns false.
func unquoted(s string, f func(i int, c byte) bool) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '"' && c == '\\':
			i++ // an escaped byte inside a basic string
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && !f(i, c):
			return
		}
	}
}
