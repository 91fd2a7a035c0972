package spec

import (
	"strings"
	"testing"
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bodyOf(t, "3.0.3", tc.media, `{
  "examples": {"Create": {"summary": "s", "value": {"$ref": "examples/json/Create.json"}}},
  "schemas": {"Sample": {"example": {"email": "doc@example.com"}}}}`)
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
