// Package document lays a response body out as lines, ready to draw: JSON
// indented, binary bodies as a hex preview, with search and a gjson path
// filter. It knows nothing about HTTP exchanges or the terminal.
package document

import (
	"bytes"
	"math"
	"mime"
	"strings"
	"unicode/utf8"
)

// Mode is how a body is laid out in a Document.
type Mode uint8

// The modes.
const (
	// ModePretty indents JSON, normalises CRLF line ends and shows binary
	// bodies as a hex preview.
	ModePretty Mode = iota
	// ModeRaw shows the bytes as received, split at \n; binary bodies are
	// still a hex preview, never raw bytes.
	ModeRaw
)

// Kind is what a body turned out to be once read.
type Kind uint8

// The kinds.
const (
	KindText Kind = iota
	KindJSON
	KindHTML
	KindXML
	KindBinary
)

// String is the kind's name as the ui package expects it: "text", "json",
// "html", "xml" or "binary".
func (k Kind) String() string {
	switch k {
	case KindJSON:
		return "json"
	case KindHTML:
		return "html"
	case KindXML:
		return "xml"
	case KindBinary:
		return "binary"
	}
	return "text"
}

// maxText bounds a document's text: line offsets are uint32 (4 bytes a
// line instead of 8, which is most of the index's memory on a body of
// short lines), so the text must stay below 4 GiB. Bodies are capped far
// below that; the bound only matters for a pathological expansion.
const maxText = math.MaxUint32 - 1

// Document is an immutable, line-indexed view of a body, ready to draw: the
// text is stored once in one buffer and lines are slices of it found
// through an offset index, so a 50 MB body costs its text plus 4 bytes a
// line, never a string per line. All methods are safe for concurrent use.
type Document struct {
	text []byte
	// starts[i] is where line i begins; starts[Len()] is one past the end
	// of the last line plus one, as if the text ended with a newline, so
	// line i is always text[starts[i] : starts[i+1]-1].
	starts []uint32
	kind   Kind
	mode   Mode
	size   int
	note   string
}

// Len is the number of lines; an empty body has none.
func (d *Document) Len() int {
	if d == nil || len(d.starts) == 0 {
		return 0
	}
	return len(d.starts) - 1
}

// Line returns line i without its newline. It is a slice of the document's
// buffer, not a copy: callers must not modify it. Out-of-range lines are
// empty.
func (d *Document) Line(i int) []byte {
	if i < 0 || i >= d.Len() {
		return nil
	}
	return d.text[d.starts[i] : d.starts[i+1]-1]
}

// Kind is what the body is: JSON, text, HTML, XML or binary.
func (d *Document) Kind() Kind { return d.kind }

// Mode is the layout the document was built with.
func (d *Document) Mode() Mode { return d.mode }

// Size is the size of the body the document was built from, in bytes (not
// the size of the formatted text).
func (d *Document) Size() int { return d.size }

// Bytes is the whole formatted text, lines joined by \n (for copying or
// saving what is shown). It is the document's buffer: do not modify it.
func (d *Document) Bytes() []byte { return d.text }

// Note says what the reader should know about how the body is shown, or
// is empty: "not valid JSON ...; shown as text", "JSON ends early ...".
func (d *Document) Note() string { return d.note }

// Build lays body out for reading. contentType is the response's
// Content-Type header (may be empty; the body is then sniffed). It may keep
// a reference to body instead of copying it (raw mode, text without CRLF),
// so body must not be modified afterwards.
//
// It reads the whole body (a 50 MB JSON body takes a few hundred
// milliseconds): call it from a tea.Cmd, never from Update or View.
func Build(body []byte, contentType string, mode Mode) *Document {
	kind, declared := sniffKind(body, contentType)
	d := &Document{mode: mode, size: len(body)}
	if isBinary(body, contentType) {
		d.kind = KindBinary
		d.text, d.starts = hexPreview(body, contentType)
		return d
	}
	if mode == ModeRaw {
		d.kind = kind
		d.setText(body)
		return d
	}
	body = bytes.TrimPrefix(body, []byte(utf8BOM))
	if kind == KindJSON && skipWS(body, 0) == len(body) {
		kind = KindText // empty: nothing to indent, and nothing wrong
	}
	if kind == KindJSON {
		text, starts, err := indentJSON(body)
		switch {
		case err == nil:
			d.kind, d.text, d.starts = KindJSON, text, starts
			return d
		case err.eof && err.at > 0:
			// A body cut at max_body ends inside a value: show it indented
			// as far as it goes rather than as one enormous line.
			d.kind, d.text, d.starts = KindJSON, text, starts
			d.note = err.Error() + "; shown as far as it goes"
			return d
		case err.tooBig:
			// Indenting would multiply the size (thousands of nested
			// levels): show the JSON as received, still highlighted.
			d.kind = KindJSON
			d.note = err.Error() + "; shown as received"
			d.setText(body)
			return d
		}
		if declared {
			// Only worth a word when the server said JSON: a sniffed "{"
			// that is not JSON is simply text.
			d.note = "not valid JSON (" + err.Error() + "); shown as text"
		}
		kind = KindText
	}
	d.kind = kind
	d.setText(crlfToLF(body))
	return d
}

// utf8BOM is the byte order mark some servers put before JSON or text.
const utf8BOM = "\xEF\xBB\xBF"

// setText indexes text as it is, one line per \n.
func (d *Document) setText(text []byte) {
	if len(text) > maxText {
		text = text[:maxText]
		d.note = joinNote(d.note, "text cut at 4 GiB")
	}
	d.text = text
	d.starts = indexLines(text)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// indexLines finds the line starts of text. Counting first (bytes.Count
// is vectorised) sizes the index exactly, so a 5-million-line body makes
// one allocation instead of a chain of doubling copies.
func indexLines(text []byte) []uint32 {
	if len(text) == 0 {
		return nil
	}
	n := bytes.Count(text, []byte{'\n'})
	starts := make([]uint32, 1, n+2)
	for off := 0; ; {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, uint32(off))
	}
	// A final newline ends the last line rather than starting an empty one.
	if last := starts[len(starts)-1]; int(last) != len(text) {
		starts = append(starts, uint32(len(text)+1))
	}
	return starts
}

// crlfToLF drops the \r of every \r\n. Text without one is returned as it
// is, without a copy.
func crlfToLF(b []byte) []byte {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i >= 0 {
		out = append(out, b[:i]...)
		out = append(out, '\n')
		b = b[i+2:]
		i = bytes.Index(b, []byte("\r\n"))
	}
	return append(out, b...)
}

// mediaType is contentType's media type, lower-cased, without parameters.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

// sniffKind decides from the content type, and when that says nothing
// useful from the first bytes, whether a body is JSON, HTML, XML or text.
// Binary is decided separately (isBinary) because it needs the whole body.
// declared reports that the content type, not the bytes, decided.
func sniffKind(body []byte, contentType string) (kind Kind, declared bool) {
	mt := mediaType(contentType)
	switch {
	case IsJSON(contentType) || mt == "application/x-ndjson":
		return KindJSON, true
	case mt == "text/html" || mt == "application/xhtml+xml":
		return KindHTML, true
	case strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml"):
		return KindXML, true
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(body[:min(len(body), 512)], []byte(utf8BOM)), " \t\r\n")
	switch {
	case len(head) > 0 && (head[0] == '{' || head[0] == '['):
		return KindJSON, false
	case hasPrefixFold(head, "<!doctype html") || hasPrefixFold(head, "<html"):
		return KindHTML, false
	case bytes.HasPrefix(head, []byte("<?xml")):
		return KindXML, false
	}
	return KindText, false
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// isBinary reports whether body must not be shown as text: it holds a NUL
// byte, or it is not UTF-8 and its content type does not promise text
// (a text/plain body in Latin-1 is still shown, its stray bytes escaped
// by the viewer, rather than as a hex dump).
func isBinary(body []byte, contentType string) bool {
	if bytes.IndexByte(body, 0) >= 0 {
		return true
	}
	if utf8.Valid(TrimPartialRune(body)) {
		return false
	}
	return !textual(mediaType(contentType))
}

// textual reports whether a media type promises text.
func textual(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"),
		strings.HasSuffix(mt, "/json"), strings.HasSuffix(mt, "/xml"):
		return true
	}
	switch mt {
	case "application/javascript", "application/x-www-form-urlencoded",
		"application/yaml", "application/x-yaml", "application/toml",
		"application/graphql", "application/sql", "application/x-ndjson":
		return true
	}
	return false
}
