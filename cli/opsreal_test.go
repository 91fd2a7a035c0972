package cli

import (
	"net/http"
	"strings"
	"testing"
)

// What ops and call @id do with constructs met in published specs, each
// in a spec of the tests' own.

// TestOpsWebhooksOnlySaysWhy: a 3.1 spec of webhooks only (no paths)
// lists nothing, and says why on stderr, and call @ names the reason
// rather than sending the person to a list that is empty.
func TestOpsWebhooksOnlySaysWhy(t *testing.T) {
	h := newHarness(t)
	h.writeConfig("hooks.yaml", `openapi: 3.1.0
info: {title: Hooks, version: "1"}
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: ok}
`)
	cfg, r := opsOn(t, h, "st", "https://api.example.com", "hooks.yaml")
	if r.out != "" || !strings.Contains(r.errOut, "st: the spec lists no operation to send: it has only webhooks (newPet)") {
		t.Errorf("ops on a spec of webhooks only: stdout %q, stderr %q", r.out, r.errOut)
	}
	r = h.run("--config", cfg, "call", "st", "@newPet")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "unknown operation @newPet: the spec lists no operation to send: it has only webhooks") {
		t.Errorf("call @newPet: exit %d, stderr %q", r.code, r.errOut)
	}
}

// TestCallSplitSpec: a spec split into files, as DigitalOcean publishes
// its own (each operation in a file of its own, its parameters in a
// shared one), lists its operations with their ids, and call @id sends
// one filled from -p.
func TestCallSplitSpec(t *testing.T) {
	h := newHarness(t)
	api := newEchoServer(t)
	h.writeConfig("spec/openapi.yaml", `openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /v2/droplets/{droplet_id}:
    get:
      $ref: resources/droplets/get.yml
`)
	h.writeConfig("spec/resources/droplets/get.yml", `operationId: droplets_get
summary: Retrieve a droplet
parameters:
  - $ref: '../../shared/parameters.yml#/droplet_id'
  - $ref: '../../shared/parameters.yml#/per_page'
responses:
  "200": {description: ok}
`)
	h.writeConfig("spec/shared/parameters.yml", `droplet_id: {name: droplet_id, in: path, required: true, schema: {type: integer}}
per_page: {name: per_page, in: query, required: true, schema: {type: integer}}
`)
	cfg, r := opsOn(t, h, "do", api.URL, "spec/openapi.yaml")
	if !strings.Contains(r.out, "GET  /v2/droplets/{droplet_id}  droplets_get  Retrieve a droplet") {
		t.Errorf("ops: %q", r.out)
	}
	got, _ := callOp(t, h, cfg, api, "do", "@droplets_get", "-p", "droplet_id=42", "-p", "per_page=5")
	if got.Method != "GET" || got.RequestURI != "/v2/droplets/42?per_page=5" {
		t.Errorf("sent %s %s", got.Method, got.RequestURI)
	}
}

// TestOpsOpenAPI32: a 3.2 description is read as the 3.1 it extends,
// its QUERY operations and additionalOperations listed with their
// methods, and call @id sends them.
func TestOpsOpenAPI32(t *testing.T) {
	h := newHarness(t)
	api := newEchoServer(t)
	h.writeConfig("openapi.yaml", `openapi: 3.2.0
info: {title: Search, version: "1"}
paths:
  /items:
    query:
      operationId: queryItems
      summary: Search with a body
      requestBody:
        content:
          application/json:
            schema: {type: object}
    additionalOperations:
      LINK:
        operationId: linkItems
        summary: Link two items
`)
	cfg, r := opsOn(t, h, "s", api.URL, "openapi.yaml")
	for _, want := range []string{"QUERY  /items  queryItems  Search with a body", "LINK   /items  linkItems   Link two items"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("ops lacks %q:\n%s", want, r.out)
		}
	}
	got, hdr := callOp(t, h, cfg, api, "s", "@queryItems", "-d", `{"q": "lamp"}`)
	if got.Method != "QUERY" || got.RequestURI != "/items" || got.Body != `{"q": "lamp"}` || hdr.Get("Content-Type") != "application/json" {
		t.Errorf("sent %s %s %q (%s)", got.Method, got.RequestURI, got.Body, hdr.Get("Content-Type"))
	}
}

// TestCallPathKeyWithQuery: an operation whose path key carries a query,
// as OpenAI's beta /responses do ("/responses/{response_id}?beta=true"),
// is sent with its path parameter in the path and the key's query as a
// query, not as "%3Fbeta=true" inside the last segment; its summary,
// written over several lines, is listed on one.
func TestCallPathKeyWithQuery(t *testing.T) {
	h := newHarness(t)
	api := newEchoServer(t)
	h.writeConfig("openapi.json", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/responses/{response_id}?beta=true": {"get": {"operationId": "beta_getResponse",
   "summary": "Retrieves a model response\nwith the given ID.\n",
   "parameters": [{"name": "response_id", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "include", "in": "query", "schema": {"type": "string"}}]}}}}`)
	cfg, r := opsOn(t, h, "ai", api.URL, "openapi.json")
	if !strings.Contains(r.out, "beta_getResponse  Retrieves a model response with the given ID.\n") {
		t.Errorf("ops: %q", r.out)
	}
	if got, _ := callOp(t, h, cfg, api, "ai", "@beta_getResponse", "-p", "response_id=resp_1", "-p", "include=usage"); got.RequestURI != "/responses/resp_1?beta=true&include=usage" {
		t.Errorf("sent %s %s", got.Method, got.RequestURI)
	}
}

// opsOn writes a config of one provider, name, at base with a static
// token and spec (a file of the harness's folder) as its openapi, and
// runs ops name, which must exit 0; it returns the config and the run.
func opsOn(t *testing.T, h *harness, name, base, spec string) (cfg string, r result) {
	t.Helper()
	cfg = h.writeConfig("k.toml", staticConfig(name, base, "static-tok-1", "openapi = \""+spec+"\"\n"))
	r = h.run("--config", cfg, "ops", name)
	r.expect(t, 0, "ops "+name)
	return cfg, r
}

// callOp runs call name op args... on cfg, which must exit 0, and returns
// the one request api got.
func callOp(t *testing.T, h *harness, cfg string, api *echoServer, name, op string, args ...string) (*echoed, http.Header) {
	t.Helper()
	h.run(append([]string{"--config", cfg, "call", name, op}, args...)...).expect(t, 0, "call "+op)
	return sentTo(t, api, 1)
}
