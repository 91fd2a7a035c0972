package spec

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func skeletonOf(t *testing.T, s *Spec, id string) Skeleton {
	t.Helper()
	op, ok := s.Index.Find(id)
	if !ok {
		t.Fatalf("no operation %s", id)
	}
	return s.Skeleton(op)
}

func TestSkeleton30(t *testing.T) {
	s := loadTestdata(t, "petstore30.json")
	sk := skeletonOf(t, s, "listPets")
	want := Skeleton{Method: "GET", Path: "/pets", Query: []string{"kind="}, Headers: []string{"X-Trace: "}}
	if !reflect.DeepEqual(sk, want) {
		t.Errorf("listPets:\n got %+v\nwant %+v", sk, want)
	}
	if sk := skeletonOf(t, s, "showPet"); sk.Path != "/pets/{{petId}}" || sk.Body != "" {
		t.Errorf("showPet: %+v", sk)
	}
	sk = skeletonOf(t, s, "createPet")
	if sk.ContentType != "application/json" {
		t.Errorf("content type %q", sk.ContentType)
	}
	// allOf merged (name from Named, with its example), readOnly id left
	// out, the first oneOf branch, the Person cycle cut short, a format's
	// placeholder, an enum's first value, keys in the spec's order.
	wantBody := `{
  "born": "1970-01-01T00:00:00Z",
  "owner": {
    "email": "user@example.com",
    "friend": {}
  },
  "tags": [
    ""
  ],
  "status": "available",
  "name": "Rex"
}`
	if sk.Body != wantBody {
		t.Errorf("body:\n%s\nwant\n%s", sk.Body, wantBody)
	}
}

func TestSkeleton31(t *testing.T) {
	s := loadTestdata(t, "pets31.yaml")
	sk := skeletonOf(t, s, "addVisit")
	if sk.Path != "/pets/{{petId}}/visits" || sk.ContentType != "application/merge-patch+json" {
		t.Errorf("skeleton: %+v", sk)
	}
	// const, type [x, "null"] with a format, $defs through #/$defs/...,
	// prefixItems, examples, an alias.
	var got any
	if err := json.Unmarshal([]byte(sk.Body), &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, sk.Body)
	}
	want := map[string]any{
		"kind":   "checkup",
		"when":   "1970-01-01",
		"where":  map[string]any{"lat": 0.0, "lon": 0.0},
		"vitals": []any{0.0, "00000000-0000-0000-0000-000000000000"},
		"notes":  "all good",
		"anchor": false,
		"again":  false,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body:\n%s", sk.Body)
	}
}

// TestSkeletonExample takes the media type's example over the schema.
func TestSkeletonExample(t *testing.T) {
	doc := `{"openapi": "3.0.0", "paths": {"/a": {"put": {"operationId": "put", "requestBody": {"content": {"application/json": {
		"schema": {"type": "object", "properties": {"x": {"type": "string"}}},
		"examples": {"first": {"$ref": "#/components/examples/one"}, "second": {"value": {"b": 2}}}}}}}}},
		"components": {"examples": {"one": {"value": {"a": [1, "two"]}}}}}`
	s := loadDoc(t, doc)
	sk := skeletonOf(t, s, "put")
	if want := "{\n  \"a\": [\n    1,\n    \"two\"\n  ]\n}"; sk.Body != want {
		t.Errorf("body:\n%s\nwant\n%s", sk.Body, want)
	}
}

// TestSkeletonCycles checks that schemas referring to themselves, to each
// other and through allOf end in a bounded body.
func TestSkeletonCycles(t *testing.T) {
	doc := `{"openapi": "3.1.0", "paths": {"/a": {"post": {"operationId": "post", "requestBody": {"content": {"application/json": {
		"schema": {"$ref": "#/components/schemas/A"}}}}}}},
		"components": {"schemas": {
			"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}, "self": {"$ref": "#/components/schemas/A"}, "list": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}},
			"B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}}}}`
	s := loadDoc(t, doc)
	sk := skeletonOf(t, s, "post")
	if !json.Valid([]byte(sk.Body)) || len(sk.Body) > 64<<10 || !strings.Contains(sk.Body, `"self": {}`) {
		t.Errorf("body (%d bytes):\n%s", len(sk.Body), sk.Body)
	}
}

// TestSkeletonAllOfFanOut: allOf branches that each merge the same
// schema again are merged once, not multiplied level after level.
func TestSkeletonAllOfFanOut(t *testing.T) {
	doc := `{"openapi": "3.1.0", "paths": {"/a": {"post": {"operationId": "post", "requestBody": {"content": {"application/json": {
		"schema": {"$ref": "#/components/schemas/A"}}}}}}},
		"components": {"schemas": {
			"A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}]},
			"B": {"properties": {"x": {"type": "string"}}, "allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}]}}}}`
	s, err := Parse("a.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan Skeleton, 1)
	go func() { done <- skeletonOf(t, s, "post") }()
	select {
	case sk := <-done:
		if sk.Body != "{\n  \"x\": \"\"\n}" {
			t.Errorf("body: %s", sk.Body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("skeleton of a fanned-out allOf did not finish in 10 s")
	}
}
