package spec

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/tidwall/gjson"
)

// Skeleton is what choosing an operation puts in the composer.
type Skeleton struct {
	Method string
	// Path has each path parameter as a {{name}} variable.
	Path string
	// Query holds a "name=" line for each required query parameter.
	Query []string
	// Headers holds a "Name: " line for each documented header parameter.
	Headers []string
	// ContentType is the request body's media type, "" with no body.
	ContentType string
	// Body is an indented JSON body in the request schema's shape, or
	// a form's name=value pairs; "" when the operation takes neither.
	Body string
}

// Limits of a body skeleton: how many $refs deep it follows, how deep it
// nests, and how many values it writes, so a recursive or enormous schema
// gives a readable skeleton rather than a hang.
const (
	skeletonRefDepth = 8
	skeletonNesting  = 16
	skeletonValues   = 400
)

// Skeleton builds op's skeleton from the document. A schema it cannot
// follow (a $ref outside the document, past the depth limit or in a
// cycle) leaves that part of the body empty rather than failing: the
// skeleton is a start, and the person edits it.
func (s *Spec) Skeleton(op *Operation) Skeleton {
	sk := Skeleton{Method: op.Method, Path: templatePath(op.Path)}
	for _, p := range op.Parameters {
		switch {
		case p.In == "query" && p.Required:
			sk.Query = append(sk.Query, p.Name+"=")
		case p.In == "header" && !reservedHeader(p.Name):
			sk.Headers = append(sk.Headers, p.Name+": ")
		}
	}
	if op.Body == nil {
		return sk
	}
	sk.ContentType = op.Body.ContentType
	d := s.doc()
	s.mu.Lock()
	defer s.mu.Unlock()
	form := isForm(op.Body.ContentType)
	if d == nil || !isJSON(op.Body.ContentType) && !form {
		return sk
	}
	rb, err := d.resolve("#" + op.Pointer + "/requestBody")
	if err != nil {
		return sk
	}
	if rb, err = d.deref("", rb); err != nil {
		return sk
	}
	media := rb.Get("content." + gjson.Escape(op.Body.ContentType))
	if form {
		sk.Body = formSkeleton(d, media)
		return sk
	}
	sk.Body = bodySkeleton(d, media)
	return sk
}

// reservedHeader reports the header parameters OpenAPI says to ignore:
// Accept, Content-Type and Authorization are described elsewhere.
func reservedHeader(name string) bool {
	switch strings.ToLower(name) {
	case "accept", "content-type", "authorization":
		return true
	}
	return false
}

// templatePath writes each {name} of a path as {{name}}.
func templatePath(path string) string {
	out, _ := expand(path, func(s string) string { return s }, func(name string) (string, error) {
		return "{{" + name + "}}", nil
	})
	return out
}

// bodySkeleton is the JSON for a media type object: its example, its
// first examples entry, else a value built from its schema.
func bodySkeleton(d *doc, media gjson.Result) string {
	raw, ok := exampleValue(d, media.Get("example"))
	if exs := media.Get("examples"); !ok && exs.IsObject() {
		exs.ForEach(func(_, e gjson.Result) bool {
			if e, err := d.deref("", e); err == nil {
				raw, ok = exampleValue(d, e.Get("value"))
			}
			return !ok // an externalValue or a value elsewhere: the next one
		})
	}
	if !ok {
		b := &builder{d: d, seen: map[string]bool{}}
		b.value(media.Get("schema"), 0, 0)
		raw = b.out.String()
	}
	var out bytes.Buffer
	if json.Indent(&out, []byte(raw), "", "  ") != nil {
		return raw
	}
	return out.String()
}

// exampleValue is an example's JSON. Published specs write a value kept
// in another file as {"$ref": "examples/x.json"}, which their tools
// inline; keyhole follows such a $ref within the document — and the $ref
// it lands on, up to skeletonRefDepth of them — and takes one it cannot
// follow (elsewhere, a cycle, too deep) for no example (ok false), rather
// than offering the reference itself as the body.
func exampleValue(d *doc, v gjson.Result) (string, bool) {
	if !v.Exists() {
		return "", false
	}
	for refs := 0; ; refs++ {
		ref := v.Get("$ref")
		if ref.Type != gjson.String || len(v.Map()) != 1 {
			return v.Raw, true
		}
		if refs == skeletonRefDepth {
			return "", false
		}
		t, err := d.resolve(ref.Str)
		if err != nil {
			return "", false
		}
		v = t
	}
}

// builder writes a value in a schema's shape.
type builder struct {
	d      *doc
	out    bytes.Buffer
	values int
	seen   map[string]bool // the $refs being followed, for cycles
	defs   []gjson.Result  // the $defs of the schemas being written, innermost last
}

// value writes a value for schema s; refs is the number of $refs followed
// to get here, nest how deep in the value this is.
func (b *builder) value(s gjson.Result, refs, nest int) {
	b.values++
	if b.values > skeletonValues || nest > skeletonNesting || !s.IsObject() {
		b.out.WriteString("null")
		return
	}
	if defs := s.Get("$defs"); defs.IsObject() {
		b.defs = append(b.defs, defs)
		defer func() { b.defs = b.defs[:len(b.defs)-1] }()
	}
	if ref := s.Get("$ref"); ref.Exists() {
		r := ref.String()
		target, ok := b.follow(r)
		if !ok || b.seen[r] || refs >= skeletonRefDepth {
			b.out.WriteString(emptyFor(target))
			return
		}
		b.seen[r] = true
		b.value(target, refs+1, nest)
		delete(b.seen, r)
		return
	}
	for _, k := range []string{"example", "default", "const"} {
		// A null example or default (OpenAI's "default: null" beside
		// "nullable") says the value may be left out, not its shape:
		// the shape is written instead, unless null is all there is.
		if v := s.Get(k); v.Exists() && (v.Type != gjson.Null || typeOf(s) == "null") {
			b.out.WriteString(v.Raw)
			return
		}
	}
	if ex := s.Get("examples"); ex.IsArray() && len(ex.Array()) > 0 {
		b.out.WriteString(ex.Array()[0].Raw)
		return
	}
	if enum := s.Get("enum"); enum.IsArray() && len(enum.Array()) > 0 {
		b.out.WriteString(enum.Array()[0].Raw)
		return
	}
	if all := s.Get("allOf"); all.IsArray() {
		b.allOf(s, all, refs, nest)
		return
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if branches := s.Get(k); branches.IsArray() && len(branches.Array()) > 0 {
			br := firstNonNull(b, branches.Array())
			// Beside an object's own properties the branches only
			// add to it (oneOf: [{required: [a]}, {required: [b]}]):
			// the object is written, with what the branch adds.
			if s.Get("properties").Exists() {
				if t, ok := b.deref(br, refs); ok && (typeOf(t) == "object" || typeOf(t) == "") {
					b.object([]gjson.Result{s, t}, refs+1, nest)
					return
				}
			}
			b.value(br, refs, nest)
			return
		}
	}
	switch typeOf(s) {
	case "object":
		b.object([]gjson.Result{s}, refs, nest)
	case "array":
		b.array(s, refs, nest)
	case "string":
		b.out.WriteString(stringFor(s.Get("format").String()))
	case "integer", "number":
		b.out.WriteString(numberFor(s))
	case "boolean":
		b.out.WriteString("false")
	default:
		b.out.WriteString("null")
	}
}

// follow resolves a $ref: from the document's root, else (for 3.1's
// "#/$defs/x" inside a schema) from the $defs in scope.
func (b *builder) follow(ref string) (gjson.Result, bool) {
	if t, err := b.d.resolve(ref); err == nil {
		return t, true
	}
	if name, ok := strings.CutPrefix(ref, "#/$defs/"); ok {
		for i := len(b.defs) - 1; i >= 0; i-- {
			if t := b.defs[i].Get(gjson.Escape(pointerUnescape(name))); t.Exists() {
				return t, true
			}
		}
	}
	return gjson.Result{}, false
}

// allOf merges the branches' properties into one object; a branch that
// is not an object (a string with a format, say) is the value itself.
func (b *builder) allOf(s, all gjson.Result, refs, nest int) {
	parts := []gjson.Result{s}
	var choice gjson.Result // a branch that is a oneOf or anyOf
	props := s.Get("properties").Exists()
	for _, br := range all.Array() {
		br, ok := b.deref(br, refs)
		if !ok {
			continue
		}
		if t := typeOf(br); t != "object" && t != "" {
			b.value(br, refs+1, nest)
			return
		}
		if br.Get("oneOf").Exists() || br.Get("anyOf").Exists() {
			choice = br
		}
		props = props || br.Get("properties").Exists() || br.Get("allOf").Exists()
		parts = append(parts, br)
	}
	// allOf: [{$ref: Choice}, {nullable: true}], as OpenAI writes a
	// nullable reference: the value is the choice's, not an object of
	// no properties.
	if choice.Exists() && !props {
		b.value(choice, refs+1, nest)
		return
	}
	b.object(parts, refs+1, nest)
}

// deref follows a branch's $refs for merging, within the depth limit.
func (b *builder) deref(s gjson.Result, refs int) (gjson.Result, bool) {
	for i := refs; s.Get("$ref").Exists(); i++ {
		r := s.Get("$ref").String()
		if i >= skeletonRefDepth || b.seen[r] {
			return s, false
		}
		t, ok := b.follow(r)
		if !ok {
			return s, false
		}
		s = t
	}
	return s, true
}

// object writes the properties of the schemas in parts, each name once,
// in the order written. Nested allOfs are merged too.
func (b *builder) object(parts []gjson.Result, refs, nest int) {
	b.out.WriteByte('{')
	seen, merged := map[string]bool{}, map[string]bool{}
	first := true
	var walk func(s gjson.Result, depth int)
	walk = func(s gjson.Result, depth int) {
		s.Get("properties").ForEach(func(k, v gjson.Result) bool {
			name := k.String()
			if seen[name] || v.Get("readOnly").Bool() {
				return true
			}
			seen[name] = true
			if !first {
				b.out.WriteByte(',')
			}
			first = false
			writeJSONString(&b.out, name)
			b.out.WriteByte(':')
			b.value(v, refs, nest+1)
			return true
		})
		if depth >= skeletonRefDepth {
			return
		}
		for _, br := range s.Get("allOf").Array() {
			// Each $ref is merged once: allOf: [A, A, A] of an A
			// that does the same would otherwise multiply.
			if r := br.Get("$ref").String(); r != "" {
				if merged[r] {
					continue
				}
				merged[r] = true
			}
			if br, ok := b.deref(br, refs); ok {
				walk(br, depth+1)
			}
		}
	}
	for _, p := range parts {
		walk(p, 0)
	}
	b.out.WriteByte('}')
}

// array writes a one-element array, or one element per prefixItems entry.
func (b *builder) array(s gjson.Result, refs, nest int) {
	b.out.WriteByte('[')
	if prefix := s.Get("prefixItems"); prefix.IsArray() {
		for i, item := range prefix.Array() {
			if i > 0 {
				b.out.WriteByte(',')
			}
			b.value(item, refs, nest+1)
		}
	} else if items := s.Get("items"); items.IsObject() {
		b.value(items, refs, nest+1)
	}
	b.out.WriteByte(']')
}

// typeOf is the schema's type, the first that is not "null" of a 3.1 type
// array, or what its keywords imply.
func typeOf(s gjson.Result) string {
	t := s.Get("type")
	if t.IsArray() {
		for _, e := range t.Array() {
			if e.String() != "null" {
				return e.String()
			}
		}
		return "null"
	}
	if t.Type == gjson.String {
		return t.Str
	}
	switch {
	case s.Get("properties").Exists() || s.Get("allOf").Exists():
		return "object"
	case s.Get("items").Exists() || s.Get("prefixItems").Exists():
		return "array"
	}
	return ""
}

// firstNonNull is the first branch that is not {type: null}, for oneOf
// and anyOf, where a null branch only says the value may be left out.
func firstNonNull(b *builder, branches []gjson.Result) gjson.Result {
	for _, br := range branches {
		if typeOf(br) != "null" {
			return br
		}
	}
	return branches[0]
}

// emptyFor is the value written where a $ref is not followed: an empty
// value of the target's type.
func emptyFor(s gjson.Result) string {
	switch typeOf(s) {
	case "object":
		return "{}"
	case "array":
		return "[]"
	case "string":
		return `""`
	}
	return "null"
}

// stringFor is a placeholder for a string of the given format.
func stringFor(format string) string {
	switch format {
	case "date-time":
		return `"1970-01-01T00:00:00Z"`
	case "date":
		return `"1970-01-01"`
	case "email":
		return `"user@example.com"`
	case "uri", "url":
		return `"https://example.com"`
	case "uuid":
		return `"00000000-0000-0000-0000-000000000000"`
	}
	return `""`
}
