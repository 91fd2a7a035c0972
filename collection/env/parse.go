package env

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Error is an env file that cannot be read: its path, the line when one
// is known (0 otherwise) and why.
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// maxDepth bounds how deep the reader follows nested objects and arrays.
// No env file needs more than five levels (env → Security → Auth → id →
// Custom Request Parameters → a parameter); the bound keeps a hostile file
// from growing the stack.
const maxDepth = 32

// node is one JSON value with the line it starts on, objects keeping the
// order of their keys: what a message about the file needs, and what
// encoding/json's maps lose.
type node struct {
	line  int
	kind  kind
	text  string // a scalar as text: a string, a number as written, true, false
	keys  []string
	vals  []*node // an object's values, in the order of keys
	items []*node // an array's
}

type kind int

const (
	scalar kind = iota
	null
	object
	array
)

func (k kind) String() string {
	return [...]string{"a value", "null", "an object", "an array"}[k]
}

// get returns the value of key in an object node, or nil.
func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// reader turns an env file into nodes, through encoding/json's tokenizer,
// counting lines as it goes.
type reader struct {
	path string
	data []byte
	dec  *json.Decoder
	// lineAt memoizes the line count up to an offset: offsets only grow.
	lastOff  int64
	lastLine int
}

// readTree reads data as one JSON object with nothing after it.
func readTree(path string, data []byte) (*node, error) {
	r := &reader{path: path, data: data, dec: json.NewDecoder(bytes.NewReader(data)), lastLine: 1}
	r.dec.UseNumber()
	root, err := r.value(0)
	if err != nil {
		return nil, err
	}
	if root.kind != object {
		return nil, &Error{Path: path, Line: root.line, Msg: "must be a JSON object of environments, like {\"dev\": {\"host\": \"…\"}}"}
	}
	if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Error{Path: path, Line: r.line(r.dec.InputOffset()), Msg: "text after the end of the JSON object"}
	}
	return root, nil
}

// line is the 1-based line of byte offset off.
func (r *reader) line(off int64) int {
	off = min(max(off, 0), int64(len(r.data)))
	if off < r.lastOff {
		r.lastOff, r.lastLine = 0, 1
	}
	r.lastLine += bytes.Count(r.data[r.lastOff:off], []byte{'\n'})
	r.lastOff = off
	return r.lastLine
}

// fail turns a tokenizer error into an Error with the line it stopped at.
func (r *reader) fail(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{Path: r.path, Line: r.line(se.Offset), Msg: "not valid JSON: " + se.Error()}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Path: r.path, Line: r.line(int64(len(r.data))), Msg: "not valid JSON: it ends too soon"}
	}
	return &Error{Path: r.path, Line: r.line(r.dec.InputOffset()), Msg: "not valid JSON: " + err.Error()}
}

// value reads the next value. depth counts the objects and arrays around it.
func (r *reader) value(depth int) (*node, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.fail(err)
	}
	n := &node{line: r.line(r.dec.InputOffset())}
	switch t := tok.(type) {
	case string:
		n.text = t
	case json.Number:
		n.text = t.String()
	case bool:
		n.text = fmt.Sprint(t)
	case nil:
		n.kind = null
	case json.Delim:
		if depth >= maxDepth {
			return nil, &Error{Path: r.path, Line: n.line, Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
		}
		switch t {
		case '{':
			n.kind = object
			for r.dec.More() {
				tok, err := r.dec.Token()
				if err != nil {
					return nil, r.fail(err)
				}
				key, _ := tok.(string) // the tokenizer allows only strings here
				v, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys, n.vals = append(n.keys, key), append(n.vals, v)
			}
		case '[':
			n.kind = array
			for r.dec.More() {
				v, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
		}
		if _, err := r.dec.Token(); err != nil { // the closing delimiter
			return nil, r.fail(err)
		}
	}
	return n, nil
}
