package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Limits of a validation, so a huge body or a broken schema gives a
// bounded answer rather than a hang.
const (
	// MaxValidateSize is the largest body Validate checks.
	MaxValidateSize = 10 << 20
	// MaxFindings is how many findings Validate lists before it stops.
	MaxFindings = 100
	// validateDepth bounds how deep schemas and values nest together
	// ($refs followed, subschemas entered).
	validateDepth = 256
	// validateSteps bounds the schemas applied in all: anyOf inside
	// anyOf over a deep body would otherwise take exponential time.
	validateSteps = 2_000_000
	// quoteMax is how much of a value a message quotes.
	quoteMax = 40
)

// Finding is one way a body breaks its schema.
type Finding struct {
	// Path is the JSON path of the value: $.items[3].price.
	Path string
	// Rule is the schema keyword it breaks: type, required, pattern...
	Rule string
	// Message says how, in a few words; values it quotes went through
	// the caller's redactor.
	Message string
}

func (f Finding) String() string { return f.Path + ": " + f.Rule + ": " + f.Message }

// Result is what Validate found.
type Result struct {
	Findings []Finding
	// Cut says why the check stopped early ("" when it went through).
	Cut string
	// Notes say what was not checked: a format keyhole does not know.
	Notes []string
}

// Validate checks a JSON body against the response's schema, over the
// subset of JSON Schema that OpenAPI 3.0 and 3.1 descriptions use (the
// README lists the keywords). redact is applied to every value a message
// quotes, which may be a secret the server sent; nil quotes as is.
func (r *Response) Validate(body []byte, redact func(string) string) Result {
	if !r.has {
		return Result{}
	}
	d := r.spec.doc()
	if d == nil {
		return Result{Cut: "the spec cannot be read"}
	}
	r.spec.mu.Lock()
	defer r.spec.mu.Unlock()
	return validate(d, strings.HasPrefix(r.spec.Index.Version, "3.0"), r.schema, body, redact)
}

// validate is Validate over a parsed document. v30 applies OpenAPI 3.0's
// rules: nullable, boolean exclusiveMinimum/Maximum, a $ref's siblings
// ignored.
func validate(d *doc, v30 bool, schema gjson.Result, body []byte, redact func(string) string) Result {
	if len(body) > MaxValidateSize {
		return Result{Cut: fmt.Sprintf("the body is %d bytes, over the %d MB that keyhole checks", len(body), MaxValidateSize>>20)}
	}
	if redact == nil {
		redact = func(s string) string { return s }
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Result{Cut: "the body is not JSON: " + err.Error()}
	}
	if dec.More() {
		return Result{Cut: "the body is not one JSON value"}
	}
	vs := &validator{d: d, v30: v30, redact: redact, limit: MaxFindings, steps: new(int), kw: map[string]keywords{}, patterns: map[string]*regexp.Regexp{}, badPatterns: map[string]bool{}, formats: map[string]bool{}}
	vs.check(v, schema, "$", schema, 0, nil)
	res := Result{Findings: vs.findings}
	switch {
	case *vs.steps > validateSteps:
		res.Cut = "the schema is too costly to check against this body: stopped part way"
	case vs.full:
		res.Cut = fmt.Sprintf("stopped after %d findings", MaxFindings)
	}
	for f := range vs.formats {
		res.Notes = append(res.Notes, fmt.Sprintf("format %q is not checked", f))
	}
	sort.Strings(res.Notes)
	return res
}

// validator is one validation: its findings and what it learned about
// the schema on the way (compiled patterns, unknown formats).
type validator struct {
	d      *doc
	v30    bool
	redact func(string) string

	findings []Finding
	limit    int
	full     bool // limit reached

	steps *int // schemas applied so far, shared with probes

	kw          map[string]keywords // by the schema's text
	patterns    map[string]*regexp.Regexp
	badPatterns map[string]bool // invalid patterns already reported
	formats     map[string]bool // formats seen and not checked
}

// probe is a validator for one branch of anyOf/oneOf/not: it shares the
// caches and stops at the first finding.
func (vs *validator) probe() *validator {
	return &validator{d: vs.d, v30: vs.v30, redact: vs.redact, limit: 1, steps: vs.steps, kw: vs.kw, patterns: vs.patterns, badPatterns: vs.badPatterns, formats: vs.formats}
}

func (vs *validator) add(path, rule, msg string) {
	if vs.full {
		return
	}
	vs.findings = append(vs.findings, Finding{Path: path, Rule: rule, Message: msg})
	if len(vs.findings) >= vs.limit {
		vs.full = true
	}
}

// quote is a value as a message shows it: redacted, then cut short.
func (vs *validator) quote(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(vs.redact(x))
	default:
		b, _ := json.Marshal(x)
		s = vs.redact(string(b))
	}
	if utf8.RuneCountInString(s) > quoteMax {
		s = string([]rune(s)[:quoteMax]) + "…"
	}
	return s
}

// frame is one schema being applied to one value, for the cycle guard:
// a $ref that comes back to a schema already applied to the same value
// would never end.
type frame struct {
	ref  string
	path string
	next *frame
}

// check applies schema to v at path. root is the schema resource that
// "#/$defs/..." refs are taken from when the document has none there.
func (vs *validator) check(v any, schema gjson.Result, path string, root gjson.Result, depth int, stack *frame) {
	if vs.full {
		return
	}
	if *vs.steps++; *vs.steps > validateSteps {
		vs.full = true
		return
	}
	if depth > validateDepth {
		vs.add(path, "depth", fmt.Sprintf("the schema nests deeper than %d here: not checked further", validateDepth))
		return
	}
	switch schema.Type {
	case gjson.True:
		return
	case gjson.False:
		vs.add(path, "false", "the schema allows no value here")
		return
	}
	if !schema.IsObject() {
		return
	}
	kw := vs.keywords(schema)
	if ref := kw.Get("$ref"); ref.Exists() {
		// The document is a tree: only a $ref can lead back, and one
		// that comes back to the same value without going deeper into
		// it would never end.
		for f := stack; f != nil; f = f.next {
			if f.ref == ref.String() && f.path == path {
				vs.add(path, "$ref", fmt.Sprintf("the spec's %q refers back to itself here (a $ref cycle): not checked further", ref.String()))
				return
			}
		}
		target, newRoot, err := vs.resolveRef(ref.String(), root)
		if err != nil {
			vs.add(path, "$ref", "the spec's "+err.Error())
			return
		}
		vs.check(v, target, path, newRoot, depth+1, &frame{ref: ref.String(), path: path, next: stack})
		if vs.v30 {
			return // 3.0: a $ref's siblings are ignored
		}
	}
	if v == nil && kw.Get("nullable").Bool() {
		// 3.0's nullable lets null through whatever else the schema
		// says, as kin-openapi reads it: GitHub's description marks
		// fields nullable beside an enum without null, or an allOf with
		// no type, and its API sends null there. 3.1 dropped the
		// keyword, but descriptions that say 3.1 still write it
		// (OpenAI's, a hundred times): it means nothing else there, and
		// what its author meant is what the API sends.
		return
	}
	vs.checkType(v, kw, path)
	if e := kw.Get("enum"); e.IsArray() {
		found := false
		for _, c := range e.Array() {
			if equalJSON(v, decodeRaw(c.Raw)) {
				found = true
				break
			}
		}
		if !found {
			vs.add(path, "enum", fmt.Sprintf("%s is not one of %s", vs.quote(v), cut(e.Raw)))
		}
	}
	if c := kw.Get("const"); c.Exists() && !equalJSON(v, decodeRaw(c.Raw)) {
		vs.add(path, "const", fmt.Sprintf("%s is not %s", vs.quote(v), cut(c.Raw)))
	}
	switch x := v.(type) {
	case map[string]any:
		vs.checkObject(x, kw, path, root, depth, stack)
	case []any:
		vs.checkArray(x, kw, path, root, depth, stack)
	case string:
		vs.checkString(x, kw, path)
	case json.Number:
		vs.checkNumber(x, kw, path)
	}
	vs.checkCombinators(v, kw, path, root, depth, stack)
}

// resolveRef finds what a $ref points at, and the resource root that
// "#/$defs/..." refs inside it are taken from.
func (vs *validator) resolveRef(ref string, root gjson.Result) (gjson.Result, gjson.Result, error) {
	target, err := vs.d.resolve(ref)
	if err == nil {
		return target, target, nil
	}
	if rest, ok := strings.CutPrefix(ref, "#/$defs/"); ok && root.IsObject() {
		t := root.Get("$defs")
		for _, tok := range strings.Split(rest, "/") {
			t = t.Get(gjson.Escape(pointerUnescape(tok)))
		}
		if t.Exists() {
			return t, root, nil
		}
	}
	return gjson.Result{}, gjson.Result{}, err
}

func (vs *validator) checkCombinators(v any, schema keywords, path string, root gjson.Result, depth int, stack *frame) {
	if all := schema.Get("allOf"); all.IsArray() {
		for _, sub := range all.Array() {
			vs.check(v, sub, path, root, depth+1, stack)
		}
	}
	matches := func(sub gjson.Result) bool {
		p := vs.probe()
		p.check(v, sub, path, root, depth+1, stack)
		return len(p.findings) == 0
	}
	if anyOf := schema.Get("anyOf"); anyOf.IsArray() {
		subs := anyOf.Array()
		ok := false
		for _, sub := range subs {
			if matches(sub) {
				ok = true
				break
			}
		}
		if !ok {
			vs.add(path, "anyOf", fmt.Sprintf("matches none of the %d alternatives", len(subs)))
		}
	}
	if oneOf := schema.Get("oneOf"); oneOf.IsArray() {
		subs := oneOf.Array()
		var hit []string
		for i, sub := range subs {
			if matches(sub) {
				hit = append(hit, strconv.Itoa(i+1))
			}
		}
		switch {
		case len(hit) == 0:
			vs.add(path, "oneOf", fmt.Sprintf("matches none of the %d alternatives", len(subs)))
		case len(hit) > 1:
			vs.add(path, "oneOf", fmt.Sprintf("matches %d alternatives (%s), where exactly one must", len(hit), strings.Join(hit, ", ")))
		}
	}
	if not := schema.Get("not"); not.Exists() && matches(not) {
		vs.add(path, "not", "matches the schema it must not")
	}
}

// decodeRaw decodes a schema's JSON value (an enum or const entry) the
// way the body was decoded, for comparing.
func decodeRaw(raw string) any {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}

// equalJSON compares two decoded JSON values, numbers by value (1 and
// 1.0 are equal).
func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		fx, ex := x.Float64()
		fy, ey := y.Float64()
		return ex == nil && ey == nil && fx == fy
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equalJSON(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

// cut shortens a piece of the spec quoted in a message.
func cut(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

// keywords are a schema object's members by name, read once per schema
// (a validation applies the same schema to every item of a list) rather
// than searched for in its text keyword by keyword.
type keywords map[string]gjson.Result

// Get is the keyword's value; it does not exist when the schema has none.
func (k keywords) Get(name string) gjson.Result { return k[name] }

func (vs *validator) keywords(schema gjson.Result) keywords {
	if k, ok := vs.kw[schema.Raw]; ok {
		return k
	}
	k := keywords{}
	schema.ForEach(func(key, v gjson.Result) bool {
		k[key.String()] = v
		return true
	})
	vs.kw[schema.Raw] = k
	return k
}
