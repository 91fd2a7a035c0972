package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The browser on constructs met in published specs, each in a spec of
// the tests' own.

// TestBrowserWebhooksOnlySpecSaysWhy: a spec that loads but lists no
// operation (3.1 webhooks only) gets a row in the picker saying so, and
// enter on it the reason whole: the provider's group does not silently
// vanish.
func TestBrowserWebhooksOnlySpecSaysWhy(t *testing.T) {
	api := newBrowseAPI(t, func() string {
		return `{"openapi": "3.1.0", "info": {"title": "Hooks", "version": "1"},
 "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}}}`
	})
	m := browseModel(t, browseProvider("hooks", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = run(t, m, press("o"))
	screen := plain(m)
	if !strings.Contains(screen, "no operations") || !strings.Contains(screen, "only webhooks (newPet)") {
		t.Fatalf("the picker says nothing of the empty spec:\n%s", screen)
	}
	m = run(t, m, press("enter"))
	if screen := plain(m); !hasPopup(m, popText) || !strings.Contains(screen, "OpenAPI spec · hooks") || !strings.Contains(screen, "the requests the API sends to you") {
		t.Errorf("enter on the row shows no reason:\n%s", screen)
	}
}

// TestBrowserSplitSpec: a spec split into files (each operation in a file
// of its own, its parameters in a shared one, its body's example in
// another) lists its operations by id in the picker, and choosing one
// fills the composer from those files.
func TestBrowserSplitSpec(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"openapi.yaml": `openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /items/{item_id}:
    put:
      $ref: resources/put.yml
`,
		"resources/put.yml": `operationId: putItem
summary: Replace an item
parameters:
  - $ref: '../shared/parameters.yml#/item_id'
requestBody:
  content:
    application/json:
      schema: {type: object, properties: {name: {type: string}}}
      examples:
        one: {value: {$ref: 'examples/item.json'}}
responses:
  "200": {description: ok}
`,
		"resources/examples/item.json": `{"name": "lamp"}`,
		"shared/parameters.yml":        "item_id: {name: item_id, in: path, required: true, schema: {type: integer}}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	api := newBrowseAPI(t, func() string { return "{}" })
	m := browseModel(t, browseProvider("split", api.URL, filepath.Join(dir, "openapi.yaml"), ""), 120, 40)
	m = chooseOpRow(t, m, "putitem")
	method, path, _, body := m.composer.Request()
	if method != "PUT" || path != "/items/{{item_id}}" || !strings.Contains(body, `"name": "lamp"`) {
		t.Errorf("composer: %s %s\n%s\n%s", method, path, body, plain(m))
	}
}

// TestBrowserSpecNoteShown: what loading the spec had to say — here, that
// a file the split spec names is missing — reaches the status line, as
// ops puts it on stderr, rather than being kept unseen.
func TestBrowserSpecNoteShown(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(path, []byte(`openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: 'models/items.yml'}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	api := newBrowseAPI(t, func() string { return "{}" })
	m := browseModel(t, browseProvider("split", api.URL, path, ""), 120, 40)
	m = run(t, m, press("o"))
	if !strings.Contains(m.notice, `a $ref to another file was not followed`) || !strings.Contains(m.notice, "models/items.yml") {
		t.Errorf("status line: %q", m.notice)
	}
	if lines := specLines(m); len(lines) != 1 {
		t.Errorf("operations: %q", lines)
	}
}

// TestBrowserPathKeyWithQuery: choosing an operation whose path key
// carries a query ("/responses/{response_id}?beta=true") puts its
// required query parameters after that query, with &, not a second ?.
func TestBrowserPathKeyWithQuery(t *testing.T) {
	api := newBrowseAPI(t, func() string {
		return `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/responses/{response_id}?beta=true": {"get": {"operationId": "beta_getResponse", "summary": "Retrieve",
   "parameters": [{"name": "response_id", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "include", "in": "query", "required": true, "schema": {"type": "string"}}]}}}}`
	})
	m := browseModel(t, browseProvider("ai", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = chooseOpRow(t, m, "beta")
	if method, path, _, _ := m.composer.Request(); method != "GET" || path != "/responses/{{response_id}}?beta=true&include=" {
		t.Errorf("composer: %s %s", method, path)
	}
}
