// Package tomltext reads and writes TOML as text, for what a decoder does
// not give: where a key stands in a file (BurntSushi/toml gives no position
// for a key it did not decode, nor for a value of the wrong type), a
// decoder's error in the file's own words, and a string quoted for a file
// a person reads or pastes from.
package tomltext

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// Quote writes s as a TOML basic string. strconv.Quote is not enough:
// TOML has no \x, \a or \v escapes. Control characters, C1 ones included,
// are escaped, so the file shows no raw control byte when printed.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Problem is a decoding error located in the file.
type Problem struct {
	Line int    // 0 when unknown
	Key  string // dotted key path, "" when none applies
	Msg  string
	Hint string // what is allowed, or a likely fix
}

// DecodeProblem reads an error from BurntSushi/toml's decoder: a syntax
// error, or a value of the wrong type, with its line and key.
func DecodeProblem(err error) Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return Problem{Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message, Hint: firstLine(pe.Usage)}
	}
	// Type mismatches (scopes = "x", redirect_port = "a") are not
	// ParseErrors: BurntSushi/toml writes the line and the key into the
	// text only, as `toml: line 5 (last key "providers.x.scopes"): ...`.
	// Read them back so these errors are located like every other one.
	if m := decodeErrRE().FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg, hint := typeMismatch(m[3])
		return Problem{Line: line, Key: m[2], Msg: msg, Hint: hint}
	}
	return Problem{Msg: err.Error()}
}

// The decoder's messages are read back only when a config is broken, so
// their patterns are compiled then: at package init they would cost every
// start of keyhole (about 0.4 ms), broken config or not.
var (
	decodeErrRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?s)^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)
	})
	incompatibleRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (.+)$`)
	})
	mismatchRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^type mismatch for \S+: expected table but found (\S+)$`)
	})
)

// typeMismatch rewrites the decoder's Go-flavoured type message in the
// file's own words.
func typeMismatch(msg string) (string, string) {
	if m := incompatibleRE().FindStringSubmatch(msg); m != nil {
		want := map[string]string{"slice": "an array", "map": "a table", "string": "a string", "integer": "an integer",
			"float": "a number", "boolean": "true or false", "primitive (string-like)": "a string"}[m[2]]
		if want == "" {
			want = m[2]
		}
		hint := ""
		switch m[2] {
		case "slice":
			hint = `write an array, like ["a", "b"]`
		case "string", "primitive (string-like)":
			hint = "quote the value"
		}
		return fmt.Sprintf("wrong type: want %s, got %s", want, typeName(m[1])), hint
	}
	if m := mismatchRE().FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("wrong type: want a table, got %s", typeName(m[1])), ""
	}
	return msg, ""
}

// typeName names the Go type BurntSushi/toml decoded a value into as the
// TOML type the person wrote.
func typeName(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "int64":
		return "an integer"
	case goType == "float64":
		return "a float"
	case goType == "bool":
		return "a boolean"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["):
		return "a table"
	case strings.Contains(goType, "Date") || strings.Contains(goType, "Time"):
		return "a date/time"
	}
	return goType
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return first
}
