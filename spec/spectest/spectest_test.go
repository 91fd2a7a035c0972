package spectest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGitHubShape checks the generated spec is the shape the benchmarks
// claim: 1,200 operations in about 13 MB, 900 component schemas, $ref
// chains at least 8 deep, allOf and oneOf.
func TestGitHubShape(t *testing.T) {
	data := JSON(GitHub())
	if n := len(data); n < 12<<20 || n > 14<<20 {
		t.Errorf("%d bytes, want about 13 MB", n)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ops := 0
	for _, item := range doc.Paths {
		for k := range item {
			if k != "parameters" {
				ops++
			}
		}
	}
	if ops != 1200 || len(doc.Components.Schemas) != 900 {
		t.Errorf("%d operations, %d schemas", ops, len(doc.Components.Schemas))
	}
	// Follow schema 0's child through $ref, allOf and oneOf.
	depth, name := 1, schemaName(0)
	for {
		child, ok := doc.Components.Schemas[name]["properties"].(map[string]any)["child"].(map[string]any)
		if !ok {
			break
		}
		ref := refIn(child)
		if ref == "" {
			t.Fatalf("child of %s has no $ref: %v", name, child)
		}
		name = strings.TrimPrefix(ref, "#/components/schemas/")
		depth++
	}
	if depth < 8 {
		t.Errorf("$ref chain %d deep, want at least 8", depth)
	}
	if !strings.Contains(string(data), `"allOf"`) || !strings.Contains(string(data), `"oneOf"`) {
		t.Error("no allOf or no oneOf")
	}
}

func refIn(v map[string]any) string {
	if r, ok := v["$ref"].(string); ok {
		return r
	}
	for _, k := range []string{"allOf", "oneOf"} {
		if list, ok := v[k].([]any); ok {
			return refIn(list[0].(map[string]any))
		}
	}
	return ""
}

// TestYAMLSameDocument: the YAML form holds the same document as the JSON.
func TestYAMLSameDocument(t *testing.T) {
	o := Options{Operations: 20, Schemas: 12, Depth: 4, Version: "3.1.0", Example: 300}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(JSON(o), &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(YAML(o), &fromYAML); err != nil {
		t.Fatal(err)
	}
	// yaml decodes integers as int, JSON as float64: compare through JSON.
	b, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var roundTrip any
	if err := json.Unmarshal(b, &roundTrip); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON, roundTrip) {
		t.Error("the YAML form differs from the JSON form")
	}
}
