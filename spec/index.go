package spec

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Limits that keep a hostile or broken spec from costing more than a
// large real one. GitHub's description, among the largest published, has
// about 1,200 operations and nests about 20 levels deep.
const (
	MaxOperations = 100_000
	MaxNesting    = 1_000
)

// swaggerHint is what a Swagger 2.0 document is told. Converting it here
// would need a full document model (kin-openapi's openapi2conv), whose
// package init every keyhole command would pay for; the converters below
// do it once and well.
const swaggerHint = "Swagger 2.0 is not read: convert it to OpenAPI 3 with `npx swagger2openapi FILE -o openapi.json` or the Swagger Editor (Edit › Convert to OpenAPI 3), and point openapi at the result"

// method is the HTTP method of a path item's key, if it is an operation.
// (A switch, not a package-level map, which would be built at every
// keyhole start.)
func method(key string) (string, bool) {
	switch key {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace", "query":
		return strings.ToUpper(key), true
	}
	return "", false
}

// BuildIndex lists the operations of the OpenAPI 3.0, 3.1 or 3.2 document in
// data, which must be JSON (YAMLToJSON converts YAML first). file names
// the spec in errors. It makes one pass over the bytes: no document model
// is built, and a $ref is only followed where the index needs what it
// points at (a parameter, a request body).
func BuildIndex(file string, data []byte) (*Index, error) {
	return buildIndex(file, data, true)
}

// buildIndex is BuildIndex; lines says whether byte offsets in data are
// worth reporting (not when data was converted from YAML: the lines would
// be those of the conversion, not of the user's file).
func buildIndex(file string, data []byte, lines bool) (*Index, error) {
	if err := checkJSON(file, data); err != nil {
		return nil, err
	}
	d := newDoc(file, data)
	d.lines = lines
	root := d.root
	if !root.IsObject() {
		return nil, d.errAt("", root, "not an OpenAPI document: want a JSON or YAML object at the top")
	}
	if sw := root.Get("swagger"); sw.Exists() {
		return nil, d.errAt("/swagger", sw, swaggerHint)
	}
	v := root.Get("openapi")
	if !v.Exists() {
		return nil, d.errAt("", root, "not an OpenAPI document: no openapi key (want openapi: 3.0.x, 3.1.x or 3.2.x)")
	}
	// 3.2 is read as 3.1, which it extends: its QUERY method and
	// additionalOperations listed, the rest of what it adds unread.
	if v.Type == gjson.Number {
		// YAML's "openapi: 3.1", unquoted, is a number: "OpenAPI 3.1 is
		// not read" would send the person looking for the wrong fault.
		return nil, d.errAt("/openapi", v, fmt.Sprintf("openapi is the number %s, not a version string: write openapi: \"%s.0\" (quoted in YAML)", v.Raw, v.Raw))
	}
	if v.Type != gjson.String || !(strings.HasPrefix(v.Str, "3.0") || strings.HasPrefix(v.Str, "3.1") || strings.HasPrefix(v.Str, "3.2")) {
		return nil, d.errAt("/openapi", v, fmt.Sprintf("OpenAPI %s is not read: want 3.0.x, 3.1.x or 3.2.x", v.Raw))
	}
	ix := &Index{Version: strings.Clone(v.Str), Title: strings.Clone(root.Get("info.title").String()), Servers: serverURLs(root.Get("servers"))}
	root.Get("webhooks").ForEach(func(k, _ gjson.Result) bool {
		ix.Webhooks = append(ix.Webhooks, strings.Clone(k.String()))
		return true
	})
	paths := root.Get("paths")
	if !paths.Exists() {
		return ix, nil // 3.1 allows a document of webhooks or components only
	}
	if !paths.IsObject() {
		return nil, d.errAt("/paths", paths, "want an object of paths")
	}
	defaultSecurity := root.Get("security")
	var err error
	paths.ForEach(func(k, item gjson.Result) bool {
		ix.Paths++
		err = d.pathItem(ix, k.String(), item, defaultSecurity)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// doc is one index pass: the parsed root and, for following $refs, the
// members of each object or array visited so far by pointer, so that a
// $ref used by a thousand operations is looked up once, not searched for
// a thousand times in a 13 MB document.
type doc struct {
	file  string
	lines bool
	root  gjson.Result
	kids  map[string]map[string]gjson.Result
}

// newDoc parses data, which must not change afterwards: the document is
// read in place, not copied. gjson reads a string, and ParseBytes makes one
// by copying the bytes — for GitHub's dereferenced description a 73 MB
// copy into fresh pages in one memmove, which Go cannot preempt: the
// garbage collector, waiting to scan this goroutine's stack, held up every
// other goroutine (the TUI's keys) for up to a second and a half.
func newDoc(file string, data []byte) *doc {
	return &doc{file: file, root: gjson.Parse(inPlace(data)), kids: map[string]map[string]gjson.Result{}}
}

// inPlace is data as a string without a copy. The caller keeps data
// unchanged for as long as the string lives; every string the index keeps
// is cloned out of it (strings.Clone), so the index does not hold the
// document's memory either.
func inPlace(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	return unsafe.String(&data[0], len(data))
}

func (d *doc) errAt(pointer string, at gjson.Result, reason string) *Error {
	e := &Error{File: d.file, Pointer: pointer, Reason: reason}
	if d.lines && at.Index > 0 {
		e.Line, e.Column = lineCol([]byte(d.root.Raw), at.Index)
	}
	return e
}

// resolve follows a local $ref ("#/components/parameters/per-page") to
// what it points at. A ref to another file or URL is not followed.
func (d *doc) resolve(ref string) (gjson.Result, error) {
	if ref == "#" {
		return d.root, nil
	}
	if !strings.HasPrefix(ref, "#/") {
		return gjson.Result{}, fmt.Errorf("$ref %q points to another document, which keyhole follows only from a spec file to files in its folder: download the spec's files and point openapi at the main one, or bundle them into one (npx @redocly/cli bundle SPEC -o bundled.yaml)", ref)
	}
	cur, at := d.root, ""
	for _, tok := range strings.Split(ref[2:], "/") {
		members, ok := d.kids[at]
		if !ok {
			members = map[string]gjson.Result{}
			i := 0
			cur.ForEach(func(k, v gjson.Result) bool {
				if cur.IsArray() {
					members[strconv.Itoa(i)] = v
					i++
				} else {
					members[k.String()] = v
				}
				return true
			})
			d.kids[at] = members
		}
		name := pointerUnescape(tok)
		next, ok := members[name]
		if !ok {
			return gjson.Result{}, fmt.Errorf("$ref %q: nothing at %s", ref, "#"+at+"/"+tok)
		}
		cur, at = next, at+"/"+tok
	}
	return cur, nil
}

// deref follows v's $ref, and the $ref of what that points at, up to a
// few times: a chain longer than that is a cycle in all but name.
func (d *doc) deref(pointer string, v gjson.Result) (gjson.Result, error) {
	for range 16 {
		ref := v.Get("$ref")
		if !ref.Exists() {
			return v, nil
		}
		next, err := d.resolve(ref.String())
		if err != nil {
			return v, d.errAt(pointer+"/$ref", ref, err.Error())
		}
		v = next
	}
	return v, d.errAt(pointer+"/$ref", v, "$ref chain longer than 16 (a cycle?)")
}

func (d *doc) pathItem(ix *Index, path string, item gjson.Result, defaultSecurity gjson.Result) error {
	pointer := "/paths/" + pointerEscape(path)
	item, err := d.deref(pointer, item)
	if err != nil {
		return err
	}
	if !item.IsObject() {
		return d.errAt(pointer, item, "want a path item object")
	}
	shared, err := d.parameters(pointer+"/parameters", item.Get("parameters"))
	if err != nil {
		return err
	}
	pathServers := serverURLs(item.Get("servers"))
	add := func(method, at string, op gjson.Result) error {
		if len(ix.Operations) >= MaxOperations {
			return d.errAt(pointer, op, fmt.Sprintf("more than %d operations: too many to list", MaxOperations))
		}
		// An operation written as a $ref (not OpenAPI, but what split
		// specs such as DigitalOcean's do) is read where it points, and
		// known by that pointer; one to another document is an error
		// that says what to do, not an operation without a name.
		op, at, err := d.derefOperation(at, op)
		if err != nil {
			return err
		}
		o, err := d.operation(at, method, path, op, shared, pathServers, defaultSecurity)
		if err == nil {
			ix.Operations = append(ix.Operations, o)
		}
		return err
	}
	item.ForEach(func(k, op gjson.Result) bool {
		if k.Str == "additionalOperations" {
			// 3.2's other methods (LINK, PURGE…), named as sent.
			op.ForEach(func(m, op gjson.Result) bool {
				err = add(strings.Clone(m.String()), pointer+"/additionalOperations/"+pointerEscape(m.String()), op)
				return err == nil
			})
			return err == nil
		}
		method, ok := method(k.String())
		if !ok {
			return true
		}
		err = add(method, pointer+"/"+k.String(), op)
		return err == nil
	})
	return err
}

func (d *doc) operation(pointer, method, path string, op gjson.Result, shared []Parameter, pathServers []string, defaultSecurity gjson.Result) (Operation, error) {
	if !op.IsObject() {
		return Operation{}, d.errAt(pointer, op, "want an operation object")
	}
	o := Operation{Method: method, Path: strings.Clone(path), Pointer: pointer}
	// One walk over the operation's keys rather than a Get per key: each
	// Get would skip again over its responses, most of a spec's bytes.
	var params, security, servers, rb gjson.Result
	op.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "operationId":
			o.ID = strings.Clone(v.String())
		case "summary":
			// One line, as the list shows it: OpenAI's summaries run
			// over several.
			o.Summary = strings.Clone(strings.Join(strings.Fields(v.String()), " "))
		case "deprecated":
			o.Deprecated = v.Bool()
		case "tags":
			for _, t := range v.Array() {
				o.Tags = append(o.Tags, strings.Clone(t.String()))
			}
		case "parameters":
			params = v
		case "security":
			security = v
		case "servers":
			servers = v
		case "requestBody":
			rb = v
		}
		return true
	})
	own, err := d.parameters(pointer+"/parameters", params)
	if err != nil {
		return o, err
	}
	o.Parameters = mergeParameters(shared, own)
	if !security.Exists() {
		security = defaultSecurity
	}
	o.Scopes = scopes(security)
	o.Security = alternatives(security)
	if o.Servers = serverURLs(servers); o.Servers == nil {
		o.Servers = pathServers
	}
	if rb.Exists() {
		rb, err := d.deref(pointer+"/requestBody", rb)
		if err != nil {
			return o, err
		}
		o.Body = &Body{Required: rb.Get("required").Bool(), ContentType: contentType(rb.Get("content"))}
	}
	return o, nil
}

// derefOperation follows an operation's $refs within the document: what
// they point at, and its pointer.
func (d *doc) derefOperation(pointer string, op gjson.Result) (gjson.Result, string, error) {
	for range 16 {
		ref := op.Get("$ref")
		if !ref.Exists() {
			return op, pointer, nil
		}
		next, err := d.resolve(ref.String())
		if err != nil {
			return op, pointer, d.errAt(pointer+"/$ref", ref, err.Error())
		}
		op, pointer = next, strings.TrimPrefix(ref.String(), "#")
	}
	return op, pointer, d.errAt(pointer+"/$ref", op, "$ref chain longer than 16 (a cycle?)")
}

// parameters reads a parameters array, each entry's $ref followed.
func (d *doc) parameters(pointer string, list gjson.Result) ([]Parameter, error) {
	if !list.Exists() {
		return nil, nil
	}
	if !list.IsArray() {
		return nil, d.errAt(pointer, list, "want an array of parameters")
	}
	var out []Parameter
	var err error
	i := 0
	list.ForEach(func(_, p gjson.Result) bool {
		at := pointer + "/" + strconv.Itoa(i)
		i++
		if p, err = d.deref(at, p); err != nil {
			return false
		}
		name, in := p.Get("name"), p.Get("in")
		if name.Type != gjson.String || name.Str == "" || in.Type != gjson.String || in.Str == "" {
			err = d.errAt(at, p, "a parameter needs a name and an in")
			return false
		}
		schema := p.Get("schema")
		if schema.Exists() {
			if schema, err = d.deref(at+"/schema", schema); err != nil {
				return false
			}
		}
		out = append(out, Parameter{Name: strings.Clone(name.Str), In: strings.Clone(in.Str), Required: p.Get("required").Bool(), Type: schemaType(schema)})
		return true
	})
	return out, err
}

// mergeParameters is the path item's parameters with the operation's own
// added, an own one replacing a shared one of the same name and place.
func mergeParameters(shared, own []Parameter) []Parameter {
	if len(shared) == 0 {
		return own
	}
	out := make([]Parameter, 0, len(shared)+len(own))
	for _, s := range shared {
		replaced := false
		for _, o := range own {
			if o.Name == s.Name && o.In == s.In {
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, s)
		}
	}
	return append(out, own...)
}

// schemaType is a schema's type as one word: "string", "integer|null"
// for 3.1's type arrays, "array" or "object" when only items or
// properties say so.
func schemaType(s gjson.Result) string {
	t := s.Get("type")
	switch {
	case t.IsArray():
		var parts []string
		for _, e := range t.Array() {
			parts = append(parts, e.String())
		}
		return strings.Join(parts, "|")
	case t.Type == gjson.String:
		if s.Get("nullable").Bool() {
			return t.Str + "|null"
		}
		return strings.Clone(t.Str)
	case s.Get("items").Exists() || s.Get("prefixItems").Exists():
		return "array"
	case s.Get("properties").Exists():
		return "object"
	}
	return ""
}

// scopes flattens a security requirement list into "scheme:scope" words,
// in order, each once.
func scopes(security gjson.Result) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, req := range security.Array() {
		req.ForEach(func(scheme, list gjson.Result) bool {
			names := list.Array()
			if len(names) == 0 {
				add(scheme.String())
			}
			for _, s := range names {
				add(scheme.String() + ":" + s.String())
			}
			return true
		})
	}
	return out
}

func serverURLs(servers gjson.Result) []string {
	var out []string
	for _, s := range servers.Array() {
		if u := s.Get("url").String(); u != "" {
			out = append(out, strings.Clone(u))
		}
	}
	return out
}
