package cli

import (
	"fmt"
	"strings"
	"testing"
)

// TestCallOperationVars: a parameter -p leaves out comes from the
// provider's vars (every path one, the required others), -p wins over a
// var, and an optional parameter is not added for a var of its name.
func TestCallOperationVars(t *testing.T) {
	h := newHarness(t)
	api, uploads := newEchoServer(t), newEchoServer(t)
	h.writeConfig("shop.json", opCallSpec(api.URL, uploads.URL+"/up"))
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL+"/v1", "static-tok-1",
		"openapi = \"shop.json\"\n\n[providers.st.vars]\nid = \"it 7\"\nq = \"cedar&pine\"\nfields = \"all\"\n"))

	h.run("--config", cfg, "call", "st", "@getItem").expect(t, 0, "@getItem from vars")
	if got, _ := sentTo(t, api, 1); got.RequestURI != "/v1/items/it%207" {
		t.Errorf("vars: sent %s, want /v1/items/it%%207 (no fields: it is optional)", got.RequestURI)
	}
	h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=2").expect(t, 0, "-p over vars")
	if got, _ := sentTo(t, api, 2); got.RequestURI != "/v1/items/2" {
		t.Errorf("-p: sent %s, want /v1/items/2", got.RequestURI)
	}
	h.run("--config", cfg, "call", "st", "@searchItems").expect(t, 0, "@searchItems from vars")
	if got, _ := sentTo(t, api, 3); got.RequestURI != "/v1/search?q=cedar%26pine" {
		t.Errorf("required query from vars: sent %s", got.RequestURI)
	}

	r := h.run("--config", cfg, "curl", "st", "@getItem", "-p", "fields=f")
	r.expect(t, 0, "curl @getItem from vars")
	if !strings.Contains(r.out, api.URL+"/v1/items/it%207?fields=f") {
		t.Errorf("curl: %s", r.out)
	}

	// Without the var, it is still a usage error naming it.
	cfg = h.writeConfig("k2.toml", staticConfig("st", api.URL+"/v1", "static-tok-1",
		"openapi = \"shop.json\"\n\n[providers.st.vars]\nother = \"x\"\n"))
	r = h.run("--config", cfg, "call", "st", "@getItem")
	r.expect(t, ExitUsage, "no var id")
	if !strings.Contains(r.errOut, `needs its path parameter "id"`) {
		t.Errorf("stderr %s", r.errOut)
	}
	if _, n := api.lastRequest(); n != 3 {
		t.Errorf("the API got %d requests, want 3", n)
	}
}

// placeSpec is a spec with the document's servers given and one
// operation, GET /items/{id}.
func placeSpec(servers string) string {
	return fmt.Sprintf(`{
  "openapi": "3.1.0",
  "info": {"title": "Place", "version": "1"},
  "servers": %s,
  "paths": {"/items/{id}": {"get": {"operationId": "getItem",
    "parameters": [{"name": "id", "in": "path", "required": true}]}}}
}`, servers)
}

// TestCallOperationDocumentServer: base_url is the truth for the
// provider's origin; a document server on that origin adds its base path
// (less base_url's own), one on another origin adds nothing and gets
// nothing. call and curl agree.
func TestCallOperationDocumentServer(t *testing.T) {
	api, prod := newEchoServer(t), newEchoServer(t)
	for _, c := range []struct {
		name, servers, base, want string
	}{
		{"base path", fmt.Sprintf(`[{"url": %q}]`, api.URL+"/v1"), api.URL, "/v1/items/7"},
		{"base path, trailing slash", fmt.Sprintf(`[{"url": %q}]`, api.URL+"/v1/"), api.URL + "/", "/v1/items/7"},
		{"base_url has it", fmt.Sprintf(`[{"url": %q}]`, api.URL+"/v1"), api.URL + "/v1", "/v1/items/7"},
		{"base_url has part of it", fmt.Sprintf(`[{"url": %q}]`, api.URL+"/api/v1"), api.URL + "/api", "/api/v1/items/7"},
		{"base_url has another", fmt.Sprintf(`[{"url": %q}]`, api.URL+"/v1"), api.URL + "/v2", "/v2/items/7"},
		{"relative", `[{"url": "/v3"}]`, api.URL, "/v3/items/7"},
		{"the one on base_url's origin", fmt.Sprintf(`[{"url": %q}, {"url": %q}]`, prod.URL+"/v9", api.URL+"/v4"), api.URL, "/v4/items/7"},
		{"variables", fmt.Sprintf(`[{"url": %q, "variables": {"ver": {"default": "v5"}}}]`, api.URL+"/{ver}"), api.URL, "/v5/items/7"},
		{"another origin", fmt.Sprintf(`[{"url": %q}]`, prod.URL+"/v1"), api.URL, "/items/7"},
		{"none", `[]`, api.URL, "/items/7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.writeConfig("place.json", placeSpec(c.servers))
			cfg := h.writeConfig("k.toml", staticConfig("st", c.base, "static-tok-1", "openapi = \"place.json\"\n"))
			_, before := api.lastRequest()
			r := h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=7")
			r.expect(t, 0, "call")
			got, hdr := sentTo(t, api, before+1)
			if got.RequestURI != c.want || hdr.Get("Authorization") != "Bearer static-tok-1" {
				t.Errorf("sent %s (Authorization %q), want %s with the token", got.RequestURI, hdr.Get("Authorization"), c.want)
			}
			r = h.run("--config", cfg, "curl", "st", "@getItem", "-p", "id=7")
			r.expect(t, 0, "curl")
			if !strings.Contains(r.out, "'"+api.URL+c.want+"'") && !strings.Contains(r.out, " "+api.URL+c.want+" ") && !strings.Contains(r.out, " "+api.URL+c.want+"\n") {
				t.Errorf("curl does not print %s:\n%s", api.URL+c.want, r.out)
			}
		})
	}
	if _, n := prod.lastRequest(); n != 0 {
		t.Errorf("the document's other origin got %d requests", n)
	}
}

// TestCallOperationSeveralServers: of an operation's (or its path's)
// several servers, call and curl take the one on base_url's origin, with
// the token; when none is there, the first, which gets the token only
// with --send-token.
func TestCallOperationSeveralServers(t *testing.T) {
	api, sandbox := newEchoServer(t), newEchoServer(t)
	spec := fmt.Sprintf(`{
  "openapi": "3.1.0",
  "info": {"title": "Place", "version": "1"},
  "paths": {
    "/items/{id}": {"get": {"operationId": "getItem",
      "servers": [{"url": %q}, {"url": %q}],
      "parameters": [{"name": "id", "in": "path", "required": true}]}},
    "/files/{id}": {"servers": [{"url": %q}, {"url": %q}],
      "get": {"operationId": "getFile", "parameters": [{"name": "id", "in": "path", "required": true}]}}
  }
}`, sandbox.URL+"/sb", api.URL+"/live", sandbox.URL+"/sbf", api.URL+"/f")
	h := newHarness(t)
	h.writeConfig("several.json", spec)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \"several.json\"\n"))
	for i, c := range []struct{ id, want string }{
		{"@getItem", "/live/items/7"},
		{"@getFile", "/f/files/7"},
	} {
		h.run("--config", cfg, "call", "st", c.id, "-p", "id=7").expect(t, 0, c.id)
		got, hdr := sentTo(t, api, i+1)
		if got.RequestURI != c.want || hdr.Get("Authorization") != "Bearer static-tok-1" {
			t.Errorf("%s: sent %s (Authorization %q), want %s with the token", c.id, got.RequestURI, hdr.Get("Authorization"), c.want)
		}
		r := h.run("--config", cfg, "curl", "st", c.id, "-p", "id=7")
		r.expect(t, 0, "curl "+c.id)
		if !strings.Contains(r.out, api.URL+c.want) || !strings.Contains(r.out, "Authorization: Bearer $(keyhole") {
			t.Errorf("curl %s does not print %s with the token:\n%s", c.id, api.URL+c.want, r.out)
		}
	}
	if _, n := sandbox.lastRequest(); n != 0 {
		t.Errorf("the other origin got %d requests", n)
	}

	// base_url on neither: the first, and the token only when asked.
	other := newEchoServer(t)
	cfg = h.writeConfig("k2.toml", staticConfig("st", other.URL, "static-tok-1", "openapi = \"several.json\"\n"))
	r := h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=7")
	r.expect(t, 0, "call elsewhere")
	got, hdr := sentTo(t, sandbox, 1)
	if got.RequestURI != "/sb/items/7" || hdr.Get("Authorization") != "" {
		t.Errorf("sent %s (Authorization %q), want /sb/items/7 without the token", got.RequestURI, hdr.Get("Authorization"))
	}
	if !strings.Contains(r.errOut, "--send-token sends it") {
		t.Errorf("no word of the withheld token: %s", r.errOut)
	}
}
