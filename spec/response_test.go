package spec

import (
	"encoding/json"
	"strings"
	"testing"
)

const responsesDoc = `{
  "openapi": "3.1.0",
  "servers": [{"url": "https://api.example.com/v1"}],
  "paths": {
    "/pets/{id}": {"get": {"operationId": "getPet", "responses": {
      "200": {"description": "The pet", "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
      "4XX": {"$ref": "#/components/responses/Problem"},
      "default": {"description": "Something else"}}}},
    "/pets/mine": {"get": {"operationId": "myPets", "responses": {"200": {"description": "Mine"}}}},
    "/photos/{id}": {"post": {"operationId": "uploadPhoto", "servers": [{"url": "https://uploads.example.com/up"}], "responses": {"201": {"description": "Stored"}}}}
  },
  "components": {
    "schemas": {"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}},
    "responses": {"Problem": {"description": "A problem", "content": {"application/problem+json": {"schema": {"type": "object", "required": ["title"]}}}}}
  }
}`

func TestResponsePicksStatusRangeDefault(t *testing.T) {
	s := loadDoc(t, responsesDoc)
	op, ok := s.Index.Find("getPet")
	if !ok {
		t.Fatal("no getPet")
	}
	tests := []struct {
		status             int
		contentType        string
		key, desc, mt      string
		schemaHas          string
		validBody, badBody string
	}{
		{200, "application/json; charset=utf-8", "200", "The pet", "application/json", `"name"`, `{"name":"x"}`, `{}`},
		{200, "text/plain", "200", "The pet", "text/plain", `"string"`, `"x"`, `1`},
		{200, "", "200", "The pet", "application/json", `"required"`, `{"name":"x"}`, `[]`},
		{404, "application/problem+json", "4XX", "A problem", "application/problem+json", `"title"`, `{"title":"x"}`, `{}`},
		{500, "", "default", "Something else", "", "", "", ""},
	}
	for _, tt := range tests {
		r, ok := s.Response(op, tt.status, tt.contentType)
		if !ok {
			t.Fatalf("%d: no response", tt.status)
		}
		if r.Status != tt.key || r.Description != tt.desc || r.MediaType != tt.mt || !strings.Contains(r.Schema, tt.schemaHas) {
			t.Errorf("%d %s: got %q %q %q schema %q", tt.status, tt.contentType, r.Status, r.Description, r.MediaType, r.Schema)
		}
		if r.Schema != "" && !json.Valid([]byte(r.Schema)) {
			t.Errorf("%d: the schema shown is not JSON: %s", tt.status, r.Schema)
		}
		if strings.Contains(r.Schema, "$ref") {
			t.Errorf("%d: the schema shown keeps its $ref: %s", tt.status, r.Schema)
		}
		if tt.badBody == "" {
			if r.HasSchema() {
				t.Errorf("%d: a schema where none is documented", tt.status)
			}
			continue
		}
		if res := r.Validate([]byte(tt.validBody), nil); len(res.Findings) != 0 {
			t.Errorf("%d: %s: findings %v", tt.status, tt.validBody, res.Findings)
		}
		if res := r.Validate([]byte(tt.badBody), nil); len(res.Findings) != 1 {
			t.Errorf("%d: %s: findings %v, want one", tt.status, tt.badBody, res.Findings)
		}
	}
	mine, _ := s.Index.Find("myPets")
	if _, ok := s.Response(mine, 404, ""); ok {
		t.Error("a response for a status the operation does not document")
	}
}

func TestRouteMatchesTemplatesAndServerPath(t *testing.T) {
	s := loadDoc(t, responsesDoc)
	// Each case is a request line, METHOD target, and the operation it
	// routes to ("" for none).
	tests := []struct{ request, want string }{
		{"GET /pets/7", "getPet"},
		{"get /pets/mine", "myPets"},
		{"GET https://api.example.com/v1/pets/7?x=1", "getPet"},
		{"GET /v1/pets/mine", "myPets"},
		{"GET /pets/a%2Fb", "getPet"},
		{"POST /pets/7", ""},
		{"POST https://uploads.example.com/up/photos/3", "uploadPhoto"},
		{"GET /pets/", ""},
		{"GET /pets/7/toys", ""},
	}
	for _, tt := range tests {
		method, target, _ := strings.Cut(tt.request, " ")
		op, ok := s.Index.Route(method, target)
		got := ""
		if ok {
			got = op.ID
		}
		if got != tt.want {
			t.Errorf("Route(%s %s) = %q, want %q", method, target, got, tt.want)
		}
	}
}

// TestResponseSchemaShownWithACycle: a recursive schema is written out
// until it loops, where its $ref stays.
func TestResponseSchemaShownWithACycle(t *testing.T) {
	s := loadDoc(t, `{"openapi": "3.1.0",
 "paths": {"/n": {"get": {"operationId": "n", "responses": {"200": {"description": "A node", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
 "components": {"schemas": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "integer"}}}}}}`)
	op, _ := s.Index.Find("n")
	r, ok := s.Response(op, 200, "application/json")
	if !ok {
		t.Fatal("no response")
	}
	if !json.Valid([]byte(r.Schema)) || strings.Count(r.Schema, `"$ref": "#/components/schemas/Node"`) != 1 || !strings.Contains(r.Schema, `"v": {`) {
		t.Errorf("schema shown:\n%s", r.Schema)
	}
	if res := r.Validate([]byte(`{"next": {"next": {"v": 1.5}}}`), nil); len(res.Findings) != 1 || res.Findings[0].Path != "$.next.next.v" {
		t.Errorf("findings %v", res.Findings)
	}
}
