package spec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Constructs met in published descriptions, each in a spec of our own.

// TestEmptyIndexSaysWhy: a spec that lists no operation says why — only
// webhooks (a 3.1 document may have no paths), no paths, or paths
// without operations — rather than leaving an empty list to be read as
// keyhole's fault.
func TestEmptyIndexSaysWhy(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"webhooks only", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
			"webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}, "petGone": {"post": {}}}}`,
			"only webhooks (newPet, petGone), the requests the API sends to you"},
		{"no paths", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {}}`,
			"it has no paths"},
		{"paths without operations", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
			"paths": {"/a": {"parameters": []}, "/b": {"summary": "nothing"}}}`,
			"its 2 paths have no get, put"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := loadDoc(t, tc.doc)
			if got := s.Index.Empty(); !strings.Contains(got, tc.want) {
				t.Errorf("Empty() = %q, want it to say %q", got, tc.want)
			}
		})
	}
	s := loadDoc(t, `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}, "webhooks": {"w": {}}}`)
	if got := s.Index.Empty(); got != "" {
		t.Errorf("a spec with an operation: Empty() = %q", got)
	}
}

// bodyOf is the skeleton body of the one operation of a spec whose
// request body is the JSON media type given, compacted.
func bodyOf(t *testing.T, version, media string, components string) string {
	t.Helper()
	s := loadDoc(t, `{"openapi": "`+version+`", "info": {"title": "t", "version": "1"},
 "components": `+components+`,
 "paths": {"/x": {"post": {"operationId": "make",
   "requestBody": {"content": {"application/json": `+media+`}}}}}}`)
	sk := skeletonOf(t, s, "make")
	var out strings.Builder
	for _, line := range strings.Split(sk.Body, "\n") {
		out.WriteString(strings.TrimSpace(line))
	}
	return strings.ReplaceAll(out.String(), `": `, `":`)
}

// TestSkeletonExampleRefs: an example value written as {"$ref": …}, as
// published specs keep their examples in files of their own, is followed
// within the document, and one that points elsewhere is passed over for
// the next example (or the schema): the reference itself is never the
// body. An externalValue is passed over too.
func TestSkeletonExampleRefs(t *testing.T) {
	schema := `"schema": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}`
	for _, tc := range []struct{ name, media, want string }{
		{"elsewhere, then a value", `{` + schema + `, "examples": {
			"a": {"value": {"$ref": "examples/json/Create.json"}},
			"b": {"externalValue": "https://example.com/create.json"},
			"c": {"value": {"email": "c@example.com"}}}}`, `{"email":"c@example.com"}`},
		{"only elsewhere", `{` + schema + `, "examples": {"a": {"$ref": "#/components/examples/Create"}}}`, `{"email":"user@example.com"}`},
		{"within the document", `{` + schema + `, "example": {"$ref": "#/components/schemas/Sample/example"}}`, `{"email":"doc@example.com"}`},
		{"a reference to a reference", `{` + schema + `, "example": {"$ref": "#/components/schemas/Alias/example"}}`, `{"email":"doc@example.com"}`},
		{"a cycle", `{` + schema + `, "example": {"$ref": "#/components/schemas/Loop/example"}}`, `{"email":"user@example.com"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bodyOf(t, "3.0.3", tc.media, `{
  "examples": {"Create": {"summary": "s", "value": {"$ref": "examples/json/Create.json"}}},
  "schemas": {"Sample": {"example": {"email": "doc@example.com"}},
    "Alias": {"example": {"$ref": "#/components/schemas/Sample/example"}},
    "Loop": {"example": {"$ref": "#/components/schemas/Loop/example"}}}}`)
			if got != tc.want {
				t.Errorf("body %s, want %s", got, tc.want)
			}
		})
	}
}

// TestSkeletonShapes: what a schema says of a value, written as a value of
// that shape — a null default beside nullable is not the shape, a oneOf
// of required lists beside properties keeps the object, a nullable
// reference to a choice (allOf: [$ref, {nullable}]) is the choice, and a
// number stays within its bounds.
func TestSkeletonShapes(t *testing.T) {
	for _, tc := range []struct{ name, version, schema, want string }{
		{"null default of an object", "3.0.3",
			`{"type": "object", "properties": {"lock": {"type": "object", "nullable": true, "default": null, "properties": {"until": {"type": "string"}}}}}`,
			`{"lock":{"until":""}}`},
		{"null default of a choice", "3.1.0",
			`{"type": "object", "properties": {"stop": {"default": null, "nullable": true, "oneOf": [{"type": "string", "example": "\n"}, {"type": "array", "items": {"type": "string"}}]}}}`,
			`{"stop":"\n"}`},
		{"null when null is all", "3.1.0", `{"type": "object", "properties": {"n": {"type": "null", "default": null}}}`, `{"n":null}`},
		{"oneOf of required lists", "3.1.0",
			`{"type": "object", "properties": {"search": {"type": "object", "properties": {"ids": {"type": "array", "items": {"type": "string"}}},
			  "oneOf": [{"required": ["ids"]}, {"required": ["names"]}]}}}`,
			`{"search":{"ids":[""]}}`},
		{"nullable reference to a choice", "3.0.3",
			`{"type": "object", "properties": {"choice": {"allOf": [{"$ref": "#/components/schemas/Choice"}, {"nullable": true}]}}}`,
			`{"choice":"none"}`},
		{"bounds", "3.1.0",
			`{"type": "object", "properties": {
			  "count": {"type": "integer", "minimum": 1},
			  "seconds": {"type": "integer", "minimum": 3600, "maximum": 86400},
			  "after": {"type": "integer", "exclusiveMinimum": 0},
			  "below": {"type": "number", "maximum": -2.5},
			  "free": {"type": "integer", "minimum": -5}}}`,
			`{"count":1,"seconds":3600,"after":1,"below":-2.5,"free":0}`},
		{"3.0 exclusive bounds", "3.0.3",
			`{"type": "object", "properties": {"n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}}}`,
			`{"n":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bodyOf(t, tc.version, `{"schema": `+tc.schema+`}`, `{"schemas": {
  "Choice": {"oneOf": [{"type": "string", "enum": ["none", "auto"]}, {"type": "object", "properties": {"name": {"type": "string"}}}]}}}`)
			if got != tc.want {
				t.Errorf("body %s, want %s", got, tc.want)
			}
		})
	}
}

// writeFiles writes files (path → text) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// splitSpec is a description split into files as DigitalOcean's is: the
// operations themselves in files of their own, their parameters in a
// shared file reached by ../, the schema in a JSON file whose tree
// refers to itself, back to the main file, and an example in a file.
var splitSpec = map[string]string{
	"api/openapi.yaml": `openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /items/{item_id}:
    get:
      $ref: resources/items/get.yml
    put:
      $ref: "resources/items/put.yml"
components:
  schemas:
    Tag: {type: string, example: blue}
`,
	"api/resources/items/get.yml": `operationId: getItem
summary: One item
tags: [Items]
parameters:
  - $ref: '../../shared/parameters.yml#/item_id'
  - $ref: '../../shared/parameters.yml#/per_page'
responses:
  "200":
    description: the item
    content:
      application/json:
        schema:
          $ref: 'models/item.json#/Item'
`,
	"api/resources/items/put.yml": `operationId: putItem
parameters:
  - $ref: '../../shared/parameters.yml#/item_id'
requestBody:
  required: true
  content:
    application/json:
      schema:
        $ref: 'models/item.json#/Item'
      examples:
        one:
          value:
            $ref: 'examples/item.json'
`,
	"api/resources/items/models/item.json": `{"Item": {"type": "object", "required": ["name"], "properties": {
  "name": {"type": "string"},
  "tag": {"$ref": "../../../openapi.yaml#/components/schemas/Tag"},
  "children": {"type": "array", "items": {"$ref": "#/Item"}}}}}`,
	"api/resources/items/examples/item.json": `{"name": "lamp", "tag": "red"}`,
	"api/shared/parameters.yml": `item_id:
  name: item_id
  in: path
  required: true
  schema: {type: integer}
per_page:
  name: per_page
  in: query
  required: true
  schema: {type: integer, minimum: 1}
`,
}

// TestSplitSpec: a spec split into files is read whole — each operation
// kept in a file of its own listed with its id and parameters, the
// request body's example and schema taken from theirs, a cycle across
// files cut, a $ref back into the main file kept — and the response
// checked against the schema of another file.
func TestSplitSpec(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, splitSpec)
	s := loadFile(t, filepath.Join(dir, "api", "openapi.yaml"), Options{CacheDir: t.TempDir()})
	if len(s.Notes) != 0 {
		t.Errorf("notes: %q", s.Notes)
	}
	get, ok := s.Index.Find("getItem")
	if !ok || get.Summary != "One item" || len(get.Parameters) != 2 || get.Parameters[0].Name != "item_id" || get.Parameters[1].Type != "integer" {
		t.Fatalf("getItem from its own file: %+v (ok %v); all: %+v", get, ok, s.Index.Operations)
	}
	f, err := Fill(get, []Value{{"item_id", "42"}, {"per_page", "5"}}, false)
	if err != nil || f.Target != "/items/42?per_page=5" {
		t.Errorf("Fill: %+v, %v", f, err)
	}
	put, ok := s.Index.Find("putItem")
	if !ok || put.Body == nil || !put.Body.Required {
		t.Fatalf("putItem: %+v", put)
	}
	if body := s.Skeleton(put).Body; !strings.Contains(body, `"name": "lamp"`) {
		t.Errorf("the example kept in a file: body %s", body)
	}
	// The schema as the skeleton writes it when no example is given: the
	// tag from the main file, the children cut where the tree repeats (any value: null).
	d := s.doc()
	schema, err := d.resolve("#" + put.Pointer + "/requestBody/content/application~1json/schema")
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{d: d, seen: map[string]bool{}}
	b.value(schema, 0, 0)
	if got := b.out.String(); got != `{"name":"","tag":"blue","children":[null]}` {
		t.Errorf("schema skeleton %s", got)
	}
	r, ok := s.Response(get, 200, "application/json")
	if !ok || !r.HasSchema() {
		t.Fatalf("no documented 200: %+v", r)
	}
	if res := r.Validate([]byte(`{"name": "lamp", "tag": "red", "children": [{"name": "bulb"}]}`), nil); len(res.Findings) != 0 {
		t.Errorf("a matching body: %v", res.Findings)
	}
	if res := r.Validate([]byte(`{"tag": 3}`), nil); len(res.Findings) != 2 {
		t.Errorf("a body without name and with a number for tag: %v", res.Findings)
	}
}

// TestSplitSpecFilesLeftOut: a file the spec names that is missing, or
// that lies outside the spec's folder, is not read; the rest of the spec
// is, and a note says which $ref was not followed and why. An
// extension's $refs (x-…) are left as written without a word.
func TestSplitSpecFilesLeftOut(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"secret.yml": "token: s3cret\n",
		"api/openapi.yaml": `openapi: 3.1.0
info: {title: Split, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      x-codeSamples:
        - $ref: samples/getA.php
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '../secret.yml#/token'}
  /b:
    post:
      operationId: postB
      requestBody:
        content:
          application/json:
            example: {$ref: 'examples/missing.json'}
            schema: {type: object, properties: {n: {type: integer}}}
`,
	})
	s := loadFile(t, filepath.Join(dir, "api", "openapi.yaml"), Options{})
	if len(s.Index.Operations) != 2 {
		t.Fatalf("operations: %+v", s.Index.Operations)
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "2 $refs to other files were not followed") || !strings.Contains(s.Notes[0], "is outside the spec's folder") {
		t.Errorf("notes: %q", s.Notes)
	}
	for _, n := range s.Notes {
		if strings.Contains(n, "s3cret") || strings.Contains(n, "getA.php") {
			t.Errorf("note %q", n)
		}
	}
	op, _ := s.Index.Find("postB")
	if body := s.Skeleton(op).Body; strings.Contains(body, "$ref") || !strings.Contains(body, `"n": 0`) {
		t.Errorf("body %s", body)
	}
	op, _ = s.Index.Find("getA")
	if r, ok := s.Response(op, 200, ""); !ok || strings.Contains(r.Schema, "s3cret") {
		t.Errorf("the response's schema: %+v", r)
	}
}

// TestOperationRef: an operation written as a $ref is read where it
// points — listed with its id, its body skeleton found — and one that
// points to another document, as a split spec fetched by URL has, is an
// error that says what to do, not an operation without a name.
func TestOperationRef(t *testing.T) {
	s := loadDoc(t, `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {"/items": {"post": {"$ref": "#/x-operations/createItem"}}},
 "x-operations": {"createItem": {"operationId": "createItem", "summary": "Create",
   "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string", "example": "lamp"}}}}}},
   "responses": {"201": {"description": "made", "content": {"application/json": {"schema": {"type": "object", "required": ["id"]}}}}}}}}`)
	op, ok := s.Index.Find("createItem")
	if !ok || op.Method != "POST" || op.Path != "/items" || op.Body == nil {
		t.Fatalf("operations: %+v", s.Index.Operations)
	}
	if body := s.Skeleton(op).Body; !strings.Contains(body, `"name": "lamp"`) {
		t.Errorf("body %s", body)
	}
	if r, ok := s.Response(op, 201, ""); !ok || len(r.Validate([]byte(`{}`), nil).Findings) != 1 {
		t.Errorf("the documented 201 is not checked: %+v", r)
	}
	_, err := Parse("https://api.example.com/openapi.yaml", []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v2/droplets:
    get:
      $ref: resources/droplets/list.yml
`))
	if err == nil || !strings.Contains(err.Error(), `/paths/~1v2~1droplets/get/$ref: $ref "resources/droplets/list.yml" points to another document`) ||
		!strings.Contains(err.Error(), "download the spec's files") {
		t.Errorf("err = %v", err)
	}
}

// TestNullableIn31: a description that says 3.1 but writes 3.0's
// nullable, as OpenAI's does, is taken at its word: a null there is no
// finding, while a null where nothing allows it still is.
func TestNullableIn31(t *testing.T) {
	s := loadDoc(t, `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/r": {"get": {"operationId": "getR", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
   "type": "object", "properties": {
     "stop": {"type": "string", "nullable": true},
     "choice": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "array"}]},
     "user": {"type": "string"}}}}}}}}}}}`)
	op, _ := s.Index.Find("getR")
	r, ok := s.Response(op, 200, "application/json")
	if !ok {
		t.Fatal("no documented 200")
	}
	res := r.Validate([]byte(`{"stop": null, "choice": null, "user": null}`), nil)
	if len(res.Findings) != 1 || res.Findings[0].Path != "$.user" {
		t.Errorf("findings %v, want one, at $.user", res.Findings)
	}
}

// TestSplitSpecFanOut: files whose $refs fan out (each list names the
// next twice, thirty deep) fail with a reason rather than writing two to
// the thirtieth copies.
func TestSplitSpecFanOut(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "l%d: [{$ref: '#/l%d'}, {$ref: '#/l%d'}]\n", i, i+1, i+1)
	}
	b.WriteString("l30: {type: string}\n")
	writeFiles(t, dir, map[string]string{
		"fan.yml":      b.String(),
		"openapi.yaml": "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents: {schemas: {X: {$ref: 'fan.yml#/l0'}}}\n",
	})
	done := make(chan error, 1)
	go func() {
		_, err := Load(context.Background(), filepath.Join(dir, "openapi.yaml"), Options{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "expand to more than ten times the size of the spec's files") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer in 10 s")
	}
}

// TestSplitSpecJoinCached: a split spec is joined once and kept: loaded
// again with no file changed, the join comes from the cache; a file
// changed, or one missing before that is there now, joins it anew.
func TestSplitSpecJoinCached(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeFiles(t, dir, splitSpec)
	main := filepath.Join(dir, "api", "openapi.yaml")
	load := func() *Spec {
		t.Helper()
		s, err := Load(context.Background(), main, Options{CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	summary := func(s *Spec) string {
		op, _ := s.Index.Find("getItem")
		if op == nil {
			return ""
		}
		return op.Summary
	}
	if got := summary(load()); got != "One item" {
		t.Fatalf("summary %q", got)
	}
	// What the cache holds is what a second load reads: marked, the mark
	// shows.
	joins, _ := filepath.Glob(filepath.Join(cacheDir, "specs", "join-*.json"))
	if len(joins) != 1 {
		t.Fatalf("cached joins: %q", joins)
	}
	b, err := os.ReadFile(joins[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(joins[0], []byte(strings.Replace(string(b), `"One item"`, `"From the cache"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := summary(load()); got != "From the cache" {
		t.Errorf("nothing changed, summary %q: the join was not taken from the cache", got)
	}
	// A file of the spec changed: joined anew.
	get := filepath.Join(dir, "api", "resources", "items", "get.yml")
	writeFiles(t, dir, map[string]string{"api/resources/items/get.yml": strings.Replace(splitSpec["api/resources/items/get.yml"], "One item", "The item", 1)})
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(get, later, later); err != nil {
		t.Fatal(err)
	}
	if got := summary(load()); got != "The item" {
		t.Errorf("after a file changed, summary %q", got)
	}
	// A file missing at the join, there now: joined anew.
	example := filepath.Join(dir, "api", "resources", "items", "examples", "item.json")
	if err := os.Remove(example); err != nil {
		t.Fatal(err)
	}
	s := load()
	put, _ := s.Index.Find("putItem")
	if body := s.Skeleton(put).Body; strings.Contains(body, "lamp") || len(s.Notes) != 1 {
		t.Errorf("example removed: body %s, notes %q", body, s.Notes)
	}
	writeFiles(t, dir, map[string]string{"api/resources/items/examples/item.json": `{"name": "desk"}`})
	s = load()
	put, _ = s.Index.Find("putItem")
	if body := s.Skeleton(put).Body; !strings.Contains(body, "desk") || len(s.Notes) != 0 {
		t.Errorf("example back: body %s, notes %q", body, s.Notes)
	}
}

// TestSkeletonForm: an operation whose only body is a URL-encoded form,
// as Twilio's and Stripe's writes are, gets a form skeleton: its required
// fields as name=value, in order, a plain example or enum value filled
// in and escaped; with none required, its fields.
func TestSkeletonForm(t *testing.T) {
	s := loadDoc(t, `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
 "components": {"schemas": {"Message": {"type": "object", "required": ["To", "Body"], "properties": {
   "To": {"type": "string", "example": "+15558675310"},
   "StatusCallback": {"type": "string", "format": "uri"},
   "Body": {"type": "string"},
   "Sid": {"type": "string", "readOnly": true}}}}},
 "paths": {
  "/Messages.json": {"post": {"operationId": "CreateMessage",
    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Message"}}}}}},
  "/v1/customers": {"post": {"operationId": "PostCustomers",
    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
      "email": {"type": "string"}, "tax_exempt": {"type": "string", "enum": ["none", "exempt"]}, "metadata": {"type": "object"}}}}}}}}}}`)
	for id, want := range map[string]string{
		"CreateMessage": "To=%2B15558675310&Body=",
		"PostCustomers": "email=&tax_exempt=none&metadata=",
	} {
		sk := skeletonOf(t, s, id)
		if sk.ContentType != "application/x-www-form-urlencoded" || sk.Body != want {
			t.Errorf("%s: %s %q, want %q", id, sk.ContentType, sk.Body, want)
		}
	}
}

// TestPathKeyWithQuery: a path key that carries a query, as OpenAI's spec
// keys its beta /responses ("/responses/{response_id}?beta=true"), is
// filled with its path parameter substituted in the path, not inside an
// escaped "?", the key's query sent before the parameters'; and a request
// sent there is matched to it. A summary written over several lines is
// listed on one.
func TestPathKeyWithQuery(t *testing.T) {
	s := loadDoc(t, `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/responses/{response_id}?beta=true": {"get": {"operationId": "beta_getResponse",
   "summary": "Retrieves a model response\nwith the given ID.\n",
   "parameters": [{"name": "response_id", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "include", "in": "query", "required": true, "schema": {"type": "string"}}]}}}}`)
	op, _ := s.Index.Find("beta_getResponse")
	if op == nil || op.Summary != "Retrieves a model response with the given ID." {
		t.Fatalf("operation %+v", op)
	}
	f, err := Fill(op, []Value{{"response_id", "resp 1"}, {"include", "a&b"}}, false)
	if err != nil || f.Target != "/responses/resp%201?beta=true&include=a%26b" {
		t.Errorf("Fill: %q, %v", f.Target, err)
	}
	if got, ok := s.Index.Route("GET", "https://api.example.com/responses/resp_1?beta=true"); !ok || got.ID != "beta_getResponse" {
		t.Errorf("Route: %+v, %v", got, ok)
	}
	if sk := s.Skeleton(op); sk.Path != "/responses/{{response_id}}?beta=true" || len(sk.Query) != 1 {
		t.Errorf("skeleton %+v", sk)
	}
	// A flag in the key goes as a flag: ?beta= is another query to some
	// servers.
	if got := pathQuery("/responses?beta&v=2"); got != "beta&v=2" {
		t.Errorf("pathQuery with a flag: %q", got)
	}
}

// TestSplitSpecLinkOut: a folder of a split spec that is a symbolic link
// out of the spec's folder (a downloaded "shared" pointing at the home
// folder) is not followed: what lies there stays out of the skeleton.
func TestSplitSpecLinkOut(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"home/secrets.yml": "key: s3cret-value\n",
		"api/openapi.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: postA
      requestBody:
        content:
          application/json:
            example: {$ref: 'shared/secrets.yml'}
`,
	})
	if err := os.Symlink(filepath.Join(dir, "home"), filepath.Join(dir, "api", "shared")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	s := loadFile(t, filepath.Join(dir, "api", "openapi.yaml"), Options{})
	op, _ := s.Index.Find("postA")
	if body := s.Skeleton(op).Body; strings.Contains(body, "s3cret") {
		t.Errorf("the skeleton read through the link: %s", body)
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "through a symbolic link") {
		t.Errorf("notes: %q", s.Notes)
	}
}

// TestVersionUnquoted: "openapi: 3.1" left unquoted in YAML is the number
// 3.1, which is no version string; the error says so and how to write
// it, rather than "OpenAPI 3.1 is not read".
func TestVersionUnquoted(t *testing.T) {
	_, err := Parse("a.yaml", []byte("openapi: 3.1\ninfo: {title: t, version: \"1\"}\npaths: {}\n"))
	if err == nil || !strings.Contains(err.Error(), `a.yaml: /openapi: openapi is the number 3.1, not a version string: write openapi: "3.1.0" (quoted in YAML)`) {
		t.Errorf("openapi: 3.1 → %v", err)
	}
}
