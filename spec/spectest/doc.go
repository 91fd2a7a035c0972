package spectest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// obj is a JSON object that keeps its keys in the order they were set, as
// a spec's paths and properties must be: the index lists operations in
// spec order.
type obj struct {
	keys []string
	vals []any
}

func (o *obj) set(k string, v any) *obj {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	return o
}

// writeJSON writes v compactly; nothing here is user input, so the values
// are the few types the generator builds.
func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case *obj:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeJSON(b, x.vals[i])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case nil:
		b.WriteString("null")
	default:
		panic("spectest: unexpected value type")
	}
}

func writeString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

// writeYAML writes v in block style, as specs are written by hand. Strings
// are double-quoted with JSON's escapes, which YAML reads the same way.
func writeYAML(b *bytes.Buffer, v any, indent int) {
	pad := strings.Repeat("  ", indent)
	switch x := v.(type) {
	case *obj:
		if len(x.keys) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		for i, k := range x.keys {
			b.WriteString(pad)
			writeString(b, k)
			b.WriteByte(':')
			writeYAMLValue(b, x.vals[i], indent)
		}
	case []any:
		if len(x) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteByte('\n')
		for _, e := range x {
			b.WriteString(pad)
			b.WriteByte('-')
			writeYAMLValue(b, e, indent)
		}
	}
}

func writeYAMLValue(b *bytes.Buffer, v any, indent int) {
	switch v.(type) {
	case *obj, []any:
		writeYAML(b, v, indent+1)
	default:
		b.WriteByte(' ')
		writeJSON(b, v)
		b.WriteByte('\n')
	}
}
