package secret

import (
	"bytes"
	"strings"
)

// redactParams masks the values of sensitive name=value pairs wherever they
// stand in free text: URLs inside error messages and bodies, form bodies.
// It returns b itself when nothing was masked.
func redactParams(b []byte) ([]byte, bool) {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		eq := bytes.IndexByte(b[i:], '=')
		if eq < 0 {
			break
		}
		eq += i
		// The parameter name runs back from '=' to the previous separator.
		start := eq
		for start > i && isNameByte(b[start-1]) {
			start--
		}
		i = eq + 1
		if !SensitiveParam(paramName(b, start, eq)) {
			continue
		}
		if maskedAlready(b, i) {
			// Masked already (a URL masked, then quoted in an error that
			// is masked again): what follows the mask is the text's own,
			// such as the ": " before the cause, not the value's.
			i += len(Mask)
			continue
		}
		end := i
		for end < len(b) && !valueEnds(b, end) {
			end++
		}
		if end == i {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, Mask...)
		last, i = end, end
	}
	if out == nil {
		return b, false
	}
	return append(out, b[last:]...), true
}

// maskedAlready reports whether the value at b[i:] is the mask alone. A
// value that only starts with it goes on with a token's characters (a
// known secret masked at the start of a longer one): the rest is masked
// too.
func maskedAlready(b []byte, i int) bool {
	if !bytes.HasPrefix(b[i:], []byte(Mask)) {
		return false
	}
	j := i + len(Mask)
	return j == len(b) || !isNameByte(b[j]) && strings.IndexByte(".~+/=%", b[j]) < 0
}

// paramName is the name before an '=' at b[start:eq]. A URL inside JSON
// written by an HTML-escaping encoder (Go's, by default) has its '&' as
// \u0026, which the name would otherwise start with.
func paramName(b []byte, start, eq int) string {
	name := string(b[start:eq])
	if start > 0 && b[start-1] == '\\' && len(name) > 5 && (name[:5] == "u0026" || name[:5] == "U0026") {
		return name[5:]
	}
	return name
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// valueEnds reports whether a parameter's value ends at b[i]: at a
// separator, or at a JSON escape that stands for one (\u0026 is '&', \"
// a quote); \/ is a slash, part of the value.
func valueEnds(b []byte, i int) bool {
	switch b[i] {
	case '&', ' ', '"', '\'', '\n', '\r', '\t', '#', ';', ',', '>', ')', '<':
		return true
	case '\\':
		return i+1 >= len(b) || b[i+1] != '/'
	}
	return false
}
