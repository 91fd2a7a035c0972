package cli

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// writeResponseJSON writes what call --json prints (callJSON's shape,
// indented by two spaces) as a stream: the body goes out from the bytes
// already in memory, indented or escaped on the way, never copied whole.
// encoding/json would hold the body several times over — validated,
// compacted, indented, escaped, each into a buffer of its own — 9 to 11
// times max_body in all; this holds it once, plus a small buffer.
//
// The body is a JSON value when it is valid JSON in valid UTF-8; a string
// when it is UTF-8 text without NUL bytes; otherwise base64 with
// "body_encoding": "base64". Bytes that are not UTF-8 are never written
// raw into the output, which must stay JSON, nor replaced by U+FFFD,
// which would lose them: base64 gives back the exact bytes (jq's @base64d).
// A body cut at max_body may end inside a character: that partial
// character is dropped ("truncated" says the body is incomplete anyway)
// rather than turning the whole text into base64.
//
// Headers are masked exactly as -i masks them (exchange.HeaderValue).
func writeResponseJSON(out io.Writer, resp *exchange.Response, redact func(string) string) error {
	w := bufio.NewWriterSize(out, 64<<10)
	w.WriteString("{\n  \"status\": ")
	w.WriteString(strconv.Itoa(resp.Status))
	w.WriteString(",\n  \"headers\": ")
	writeHeadersJSON(w, resp, redact)
	w.WriteString(",\n  \"body\": ")
	body, encoding := resp.Body, ""
	switch {
	case jsonBody(resp) && utf8.Valid(body):
		indentJSONTo(w, bytes.TrimSpace(body), "  ")
	case isText(textPart(resp)):
		writeJSONString(w, textPart(resp))
	default:
		encoding = "base64"
		w.WriteByte('"')
		enc := base64.NewEncoder(base64.StdEncoding, w)
		enc.Write(body)
		enc.Close()
		w.WriteByte('"')
	}
	if encoding != "" {
		w.WriteString(",\n  \"body_encoding\": \"" + encoding + "\"")
	}
	if resp.Truncated {
		w.WriteString(",\n  \"truncated\": true")
	}
	ms, _ := json.Marshal(math.Round(float64(resp.Duration.Microseconds())/100) / 10)
	w.WriteString(",\n  \"time_ms\": ")
	w.Write(ms)
	w.WriteString("\n}\n")
	return w.Flush()
}

// writeHeadersJSON writes the response headers as an object of one string
// per name (values joined with ", "), names sorted, values masked as -i
// masks them: credential headers, and credential parameters inside any
// value (a Location's access_token=).
func writeHeadersJSON(w *bufio.Writer, resp *exchange.Response, redact func(string) string) {
	names := slices.Sorted(maps.Keys(resp.Header))
	if len(names) == 0 {
		w.WriteString("{}")
		return
	}
	w.WriteString("{")
	for i, name := range names {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n    ")
		writeJSONString(w, []byte(name))
		w.WriteString(": ")
		vs := make([]string, len(resp.Header[name]))
		for j, v := range resp.Header[name] {
			vs[j] = redact(exchange.HeaderValue(name, v, providers.Injection{}, secret.String{}, false))
		}
		writeJSONString(w, []byte(strings.Join(vs, ", ")))
	}
	w.WriteString("\n  }")
}

// textPart is the body to judge as text: without the partial character a
// body cut at max_body may end in.
func textPart(resp *exchange.Response) []byte {
	if !resp.Truncated {
		return resp.Body
	}
	return document.TrimPartialRune(resp.Body)
}

// writeJSONString writes s as a JSON string the way encoding/json does
// without HTML escaping: quotes, backslashes and control characters
// escaped, U+2028 and U+2029 too (JavaScript reads them as line ends),
// and any byte that is not UTF-8 as \ufffd.
func writeJSONString(w *bufio.Writer, s []byte) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			w.Write(s[start:i])
			switch c {
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\b':
				w.WriteString(`\b`)
			case '\f':
				w.WriteString(`\f`)
			case '\n':
				w.WriteString(`\n`)
			case '\r':
				w.WriteString(`\r`)
			case '\t':
				w.WriteString(`\t`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(hex[c>>4])
				w.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.Write(s[start:i])
			w.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.Write(s[start:i])
			w.WriteString(`\u202`)
			w.WriteByte(hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	w.Write(s[start:])
	w.WriteByte('"')
}

// indentJSONTo writes src, valid JSON, indented as json.Indent would with
// this prefix and two spaces a level (empty objects and arrays stay {}
// and []), without building the result in memory. Strings are copied as
// they are: src is valid UTF-8 JSON, so they are valid JSON strings.
func indentJSONTo(w *bufio.Writer, src []byte, prefix string) {
	depth := 0
	needIndent := false // an object or array was just opened
	newline := func(d int) {
		w.WriteByte('\n')
		w.WriteString(prefix)
		for range d {
			w.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if needIndent && c != ']' && c != '}' {
			needIndent = false
			newline(depth)
		}
		switch c {
		case '"':
			end := i + 1
			for {
				j := bytes.IndexByte(src[end:], '"')
				if j < 0 {
					end = len(src) - 1
					break
				}
				end += j
				n := 0
				for k := end - 1; k > i && src[k] == '\\'; k-- {
					n++
				}
				if n%2 == 0 {
					break
				}
				end++
			}
			w.Write(src[i : end+1])
			i = end
		case '{', '[':
			w.WriteByte(c)
			depth++
			needIndent = true
		case '}', ']':
			depth--
			if needIndent {
				needIndent = false // empty: {} or []
			} else {
				newline(depth)
			}
			w.WriteByte(c)
		case ',':
			w.WriteByte(c)
			newline(depth)
		case ':':
			w.WriteString(": ")
		default:
			w.WriteByte(c)
		}
	}
}
