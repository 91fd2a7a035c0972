package spec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

func TestIndex30(t *testing.T) {
	ix, err := BuildIndex("petstore30.json", readTestdata(t, "petstore30.json"))
	if err != nil {
		t.Fatal(err)
	}
	if ix.Version != "3.0.3" || ix.Title != "Pets" || !reflect.DeepEqual(ix.Servers, []string{"https://api.example.com/v1"}) {
		t.Errorf("header: %+v", ix)
	}
	want := []Operation{
		{Method: "GET", Path: "/pets", ID: "listPets", Summary: "List all pets", Tags: []string{"pets"},
			Parameters: []Parameter{
				{Name: "limit", In: "query", Type: "integer|null"},
				{Name: "kind", In: "query", Required: true, Type: "string"},
				{Name: "X-Trace", In: "header", Type: "string"},
				{Name: "Authorization", In: "header", Type: "string"},
			},
			Scopes:   []string{"oauth:pets:read"},
			Security: []Alternative{{{Scheme: "oauth", Scopes: []string{"pets:read"}}}}, Pointer: "/paths/~1pets/get"},
		{Method: "POST", Path: "/pets", ID: "createPet", Summary: "Create a pet", Tags: []string{"pets", "write"},
			Scopes:   []string{"oauth:pets:write", "apiKey"},
			Security: []Alternative{{{Scheme: "oauth", Scopes: []string{"pets:write"}}}, {{Scheme: "apiKey"}}}, Body: &Body{Required: true, ContentType: "application/json"},
			Pointer: "/paths/~1pets/post"},
		{Method: "GET", Path: "/pets/{petId}", ID: "showPet", Summary: "Info for a pet", Tags: []string{"pets"},
			Parameters: []Parameter{{Name: "petId", In: "path", Required: true, Type: "integer"}},
			Pointer:    "/paths/~1pets~1{petId}/get"},
		{Method: "DELETE", Path: "/pets/{petId}", ID: "deletePet", Deprecated: true,
			// The operation's own petId replaces the path item's.
			Parameters: []Parameter{{Name: "petId", In: "path", Required: true, Type: "string"}},
			Scopes:     []string{"oauth:pets:read"}, Servers: []string{"https://uploads.example.com"},
			Security: []Alternative{{{Scheme: "oauth", Scopes: []string{"pets:read"}}}},
			Pointer:  "/paths/~1pets~1{petId}/delete"},
	}
	if len(ix.Operations) != len(want) {
		t.Fatalf("%d operations, want %d: %+v", len(ix.Operations), len(want), ix.Operations)
	}
	for i := range want {
		if !reflect.DeepEqual(ix.Operations[i], want[i]) {
			t.Errorf("operation %d:\n got %+v\nwant %+v", i, ix.Operations[i], want[i])
		}
	}
}

func TestIndex31YAML(t *testing.T) {
	data := readTestdata(t, "pets31.yaml")
	js, err := YAMLToJSON("pets31.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := buildIndex("pets31.yaml", js, false)
	if err != nil {
		t.Fatal(err)
	}
	// Spec order, not sorted: /pets/... comes before /health in the file.
	if len(ix.Operations) != 2 || ix.Operations[0].ID != "addVisit" || ix.Operations[1].ID != "health" {
		t.Fatalf("operations: %+v", ix.Operations)
	}
	op := ix.Operations[0]
	if op.Body == nil || op.Body.ContentType != "application/merge-patch+json" {
		t.Errorf("body: %+v", op.Body)
	}
	if !reflect.DeepEqual(op.Parameters, []Parameter{{Name: "petId", In: "path", Required: true, Type: "integer|null"}}) {
		t.Errorf("parameters: %+v", op.Parameters)
	}
	// The alias is expanded.
	if !strings.Contains(string(js), `"again":{"type":"boolean"}`) {
		t.Errorf("alias not expanded: %s", js)
	}
}

func TestSwagger2Refused(t *testing.T) {
	_, err := BuildIndex("old.json", []byte(`{"swagger": "2.0", "info": {}, "paths": {}}`))
	if err == nil || !strings.Contains(err.Error(), "old.json:1:13: /swagger: Swagger 2.0 is not read: convert it to OpenAPI 3 with `npx swagger2openapi") {
		t.Fatalf("err = %v", err)
	}
}

// TestBrokenSpecs checks that each kind of broken spec fails with the
// file, where (line or JSON pointer) and why.
func TestBrokenSpecs(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"empty", "", "x: empty file"},
		{"bad json", "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}", "x:3:13: not valid JSON: invalid character ',' looking for beginning of object key string"},
		{"bad yaml", "openapi: 3.0.0\npaths:\n  /a: [\n", "x:3: not valid YAML: did not find expected node content"},
		{"not an object", `["openapi"]`, "x: not an OpenAPI document: want a JSON or YAML object at the top"},
		{"no openapi", `{"info": {}}`, "x: not an OpenAPI document: no openapi key"},
		{"openapi 4", `{"openapi": "4.0.0"}`, `x:1:13: /openapi: OpenAPI "4.0.0" is not read: want 3.0.x, 3.1.x or 3.2.x`},
		{"openapi number", `{"openapi": 3.1}`, `x:1:13: /openapi: openapi is the number 3.1, not a version string`},
		{"paths list", `{"openapi": "3.1.0", "paths": []}`, "x:1:31: /paths: want an object of paths"},
		{"operation string", `{"openapi": "3.1.0", "paths": {"/a": {"get": "x"}}}`, "x:1:46: /paths/~1a/get: want an operation object"},
		{"parameter without name", `{"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [{"in": "query"}]}}}}`, "/paths/~1a/get/parameters/0: a parameter needs a name and an in"},
		{"dangling ref", `{"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/nope"}]}}}}`,
			`/paths/~1a/get/parameters/0/$ref: $ref "#/components/parameters/nope": nothing at #/components`},
		{"external ref", `{"openapi": "3.1.0", "paths": {"/a": {"$ref": "other.json#/x"}}}`, `/paths/~1a/$ref: $ref "other.json#/x" points to another document, which keyhole follows only from a spec file`},
		{"ref cycle", `{"openapi": "3.1.0", "paths": {"/a": {"get": {"requestBody": {"$ref": "#/components/requestBodies/a"}}}}, "components": {"requestBodies": {"a": {"$ref": "#/components/requestBodies/b"}, "b": {"$ref": "#/components/requestBodies/a"}}}}`,
			"/paths/~1a/get/requestBody/$ref: $ref chain longer than 16 (a cycle?)"},
		{"too deep", strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1), "x:1:1001: nests deeper than 1000 levels"},
		{"yaml too deep", strings.Repeat("- ", MaxNesting+2) + "x\n", "nests deeper than 1000 levels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.text)
			var err error
			if isYAML(data) && len(strings.TrimSpace(c.text)) > 0 {
				var js []byte
				if js, err = YAMLToJSON("x", data); err == nil {
					_, err = buildIndex("x", js, false)
				}
			} else {
				_, err = BuildIndex("x", data)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// TestLargeSpecs checks that 10,000 operations and a GitHub-sized spec
// are indexed, and in bounded time: a pass that went quadratic would
// take minutes here.
func TestLargeSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("large spec")
	}
	for _, o := range []spectest.Options{
		{Operations: 10_000, Schemas: 50, Depth: 9, Version: "3.1.0"},
		spectest.GitHub(),
	} {
		data := spectest.JSON(o)
		start := time.Now()
		ix, err := BuildIndex("big.json", data)
		if err != nil {
			t.Fatal(err)
		}
		if len(ix.Operations) != o.Operations {
			t.Fatalf("%d operations, want %d", len(ix.Operations), o.Operations)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Fatalf("indexing %d MB took %v", len(data)>>20, d)
		}
	}
}

// TestYAMLMergeCycle: a merge key that merges its own mapping fails, not
// recursing until the stack runs out.
func TestYAMLMergeCycle(t *testing.T) {
	_, err := YAMLToJSON("x.yaml", []byte("a: &a\n  b: 1\n  <<: *a\n"))
	if err != nil && !strings.Contains(err.Error(), "x.yaml") {
		t.Fatalf("err = %v", err)
	}
}

// TestYAMLMergeFanOut: merge keys that merge the level below four times
// over, twenty levels deep, fail fast instead of visiting 4^20 pairs.
func TestYAMLMergeFanOut(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 {x: 1}\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "l%d: &l%d {<<: [*l%d, *l%d, *l%d, *l%d]}\n", i, i, i-1, i-1, i-1, i-1)
	}
	start := time.Now()
	_, err := YAMLToJSON("x.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "merge keys (<<) expand to more than ten times") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

// TestYAMLIndexSameAsJSON: the same spec as YAML and as JSON indexes the
// same, operation for operation, in the same order.
func TestYAMLIndexSameAsJSON(t *testing.T) {
	o := spectest.Options{Operations: 60, Schemas: 20, Depth: 5, Version: "3.1.0", Example: 200}
	fromJSON, err := Parse("a.json", spectest.JSON(o))
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := Parse("a.yaml", spectest.YAML(o))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON.Index.Operations, fromYAML.Index.Operations) {
		t.Fatal("the YAML form indexes differently")
	}
	for i := range fromJSON.Index.Operations {
		a, b := fromJSON.Skeleton(&fromJSON.Index.Operations[i]), fromYAML.Skeleton(&fromYAML.Index.Operations[i])
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("operation %d: skeletons differ:\n%+v\n%+v", i, a, b)
		}
	}
}
