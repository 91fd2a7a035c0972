package spec

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Response is what the spec documents for one status of an operation.
type Response struct {
	// Status is the responses key that matched: "404", "4XX" or "default".
	Status      string
	Description string
	// MediaType is the content entry the schema comes from ("" when the
	// response documents no content).
	MediaType string
	// Schema is the media type's schema, its $refs written out where
	// that stays readable, as indented JSON ("" when there is none).
	Schema string

	spec   *Spec
	schema gjson.Result // the schema as written, for Validate
	has    bool         // a schema was documented
}

// HasSchema reports whether the response documents a schema to check a
// body against.
func (r *Response) HasSchema() bool { return r.has }

// Response is the response op documents for status, the way OpenAPI
// picks it: the exact status, else its range ("4XX"), else "default".
// contentType is the received Content-Type: the content entry of that
// media type is chosen, else the JSON one, else the first. ok is false
// when nothing is documented for status. Like Skeleton it reads the
// whole document, parsed on first use: call it off the UI loop.
func (s *Spec) Response(op *Operation, status int, contentType string) (*Response, bool) {
	d := s.doc()
	if d == nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	resps, err := d.resolve("#" + op.Pointer + "/responses")
	if err != nil || !resps.IsObject() {
		return nil, false
	}
	code := strconv.Itoa(status)
	var key string
	var raw gjson.Result
	for _, want := range []string{code, code[:1] + "XX", "default"} {
		resps.ForEach(func(k, v gjson.Result) bool {
			if strings.EqualFold(k.String(), want) {
				key, raw = k.String(), v
				return false
			}
			return true
		})
		if key != "" {
			break
		}
	}
	if key == "" {
		return nil, false
	}
	resp, err := d.deref("", raw)
	if err != nil {
		return nil, false
	}
	r := &Response{Status: key, Description: resp.Get("description").String(), spec: s}
	content := resp.Get("content")
	mt, media := pickMedia(content, contentType)
	if mt == "" {
		return r, true
	}
	r.MediaType = mt
	if sc := media.Get("schema"); sc.Exists() {
		r.schema, r.has = sc, true
		r.Schema = showSchema(d, sc)
	}
	return r, true
}

// pickMedia chooses the content entry for a received Content-Type.
func pickMedia(content gjson.Result, contentType string) (string, gjson.Result) {
	received, _, _ := strings.Cut(contentType, ";")
	received = strings.TrimSpace(strings.ToLower(received))
	var first, json string
	var firstV, jsonV gjson.Result
	var exact string
	var exactV gjson.Result
	content.ForEach(func(k, v gjson.Result) bool {
		mt := k.String()
		if first == "" {
			first, firstV = mt, v
		}
		if json == "" && isJSON(mt) {
			json, jsonV = mt, v
		}
		if received != "" && strings.EqualFold(mt, received) {
			exact, exactV = mt, v
			return false
		}
		return true
	})
	switch {
	case exact != "":
		return exact, exactV
	case json != "":
		return json, jsonV
	}
	return first, firstV
}

// Limits of the schema as shown: how many $refs deep it is written out
// and how long it may get, so a recursive or enormous schema stays
// readable.
const (
	showRefDepth = 4
	showMaxBytes = 64 << 10
)

// showSchema writes schema as indented JSON, each $ref replaced by what
// it points at up to showRefDepth deep (a cycle or a deeper one stays a
// $ref).
func showSchema(d *doc, schema gjson.Result) string {
	var b strings.Builder
	writeShown(d, &b, schema, 0, 0, map[string]bool{})
	if b.Len() > showMaxBytes {
		return strings.ToValidUTF8(b.String()[:showMaxBytes], "") + "\n… (cut at 64 KB)"
	}
	return b.String()
}

func writeShown(d *doc, b *strings.Builder, v gjson.Result, indent, refs int, seen map[string]bool) {
	if b.Len() > showMaxBytes {
		return
	}
	if v.IsObject() {
		if ref := v.Get("$ref"); ref.Type == gjson.String && refs < showRefDepth && !seen[ref.Str] {
			if target, err := d.resolve(ref.Str); err == nil {
				seen[ref.Str] = true
				writeShown(d, b, target, indent, refs+1, seen)
				delete(seen, ref.Str)
				return
			}
		}
	}
	if !v.IsObject() && !v.IsArray() {
		b.WriteString(v.Raw)
		return
	}
	pad := strings.Repeat("  ", indent+1)
	array := v.IsArray()
	opening, closing := "{", "}"
	if array {
		opening, closing = "[", "]"
	}
	n := 0
	b.WriteString(opening)
	v.ForEach(func(k, e gjson.Result) bool {
		if n > 0 {
			b.WriteString(",")
		}
		n++
		b.WriteString("\n" + pad)
		if !array {
			b.WriteString(k.Raw + ": ")
		}
		writeShown(d, b, e, indent+1, refs, seen)
		return b.Len() <= showMaxBytes
	})
	if n > 0 {
		b.WriteString("\n" + pad[2:])
	}
	b.WriteString(closing)
}
