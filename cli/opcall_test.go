package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sentTo is the request es got last, after it got n in all: the test
// fails otherwise.
func sentTo(t *testing.T, es *echoServer, n int) (*echoed, http.Header) {
	t.Helper()
	last, got := es.lastRequest()
	if got != n || last == nil {
		t.Fatalf("the server got %d requests, want %d", got, n)
	}
	return last, http.Header(last.Header)
}

// refusedUsage fails t unless r is a usage error (what names the run)
// whose stderr says want, and api got no request from it: sent in all,
// as before the run.
func refusedUsage(t *testing.T, r result, what, want string, api *echoServer, sent int) {
	t.Helper()
	r.expect(t, ExitUsage, what)
	if !strings.Contains(r.errOut, want) {
		t.Errorf("%s: stderr %q, want %q", what, r.errOut, want)
	}
	if _, n := api.lastRequest(); n != sent {
		t.Errorf("%s: the API got %d requests, want %d", what, n, sent)
	}
}

// opCallSpec is a hostile spec of the tests' own: an operationId with an
// escape sequence, a server of its own on uploads (another origin), and
// parameters in every place.
func opCallSpec(api, uploads string) string {
	return fmt.Sprintf(`{
  "openapi": "3.1.0",
  "info": {"title": "Shop", "version": "1"},
  "paths": {
    "/items/{id}": {
      "get": {"operationId": "getItem", "summary": "One item",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "fields", "in": "query", "schema": {"type": "string"}},
          {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
          {"name": "session", "in": "cookie", "schema": {"type": "string"}}]}
    },
    "/search": {
      "get": {"operationId": "searchItems", "summary": "Search",
        "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}]}
    },
    "/items": {
      "post": {"operationId": "createItem", "summary": "Create",
        "requestBody": {"required": true, "content": {"application/merge-patch+json": {"schema": {"type": "object"}}}}}
    },
    "/files/{name}": {
      "servers": [{"url": %q}],
      "put": {"operationId": "uploadFile\u001b[2J", "summary": "Upload",
        "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/octet-stream": {}}}}
    },
    "/status/{code}": {
      "servers": [{"url": %q}],
      "get": {"operationId": "getStatus",
        "parameters": [{"name": "code", "in": "path", "required": true}]}
    }
  }
}`, uploads, api)
}

func opCallSetup(t *testing.T) (*harness, *echoServer, *echoServer, string) {
	t.Helper()
	h := newHarness(t)
	api, uploads := newEchoServer(t), newEchoServer(t)
	h.writeConfig("shop.json", opCallSpec(api.URL, uploads.URL+"/up"))
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL+"/v1", "static-tok-1", "openapi = \"shop.json\"\n"))
	return h, api, uploads, cfg
}

// TestCallOperation: call NAME @id sends exactly the operation, filled from
// -p and -d, with the token.
func TestCallOperation(t *testing.T) {
	h, api, _, cfg := opCallSetup(t)

	r := h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=a/b ?#", "-p", "fields=x&y=z", "-p", "X-Trace=t1", "-p", "session=s 1")
	r.expect(t, 0, "call @getItem")
	got, hdr := sentTo(t, api, 1)
	if got.Method != "GET" || got.RequestURI != "/v1/items/a%2Fb%20%3F%23?fields=x%26y%3Dz" {
		t.Errorf("sent %s %s", got.Method, got.RequestURI)
	}
	if hdr.Get("Authorization") != "Bearer static-tok-1" || hdr.Get("X-Trace") != "t1" || hdr.Get("Cookie") != "session=s+1" {
		t.Errorf("headers: %v", hdr)
	}

	// A value cannot climb out of the path.
	h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=..").expect(t, 0, "call @getItem ..")
	if got, _ := sentTo(t, api, 2); got.RequestURI != "/v1/items/%2E%2E" {
		t.Errorf(".. sent as %s", got.RequestURI)
	}

	// The body, with the spec's content type.
	r = h.run("--config", cfg, "call", "st", "@createItem", "-d", `{"name": "Cedar"}`)
	r.expect(t, 0, "call @createItem")
	got, hdr = sentTo(t, api, 3)
	if got.Method != "POST" || got.RequestURI != "/v1/items" || got.Body != `{"name": "Cedar"}` || hdr.Get("Content-Type") != "application/merge-patch+json" {
		t.Errorf("sent %s %s %q %v", got.Method, got.RequestURI, got.Body, hdr)
	}
	// -H wins over the spec.
	h.run("--config", cfg, "call", "st", "@createItem", "-d", `{}`, "-H", "Content-Type: application/json").expect(t, 0, "-H")
	if _, hdr = sentTo(t, api, 4); len(hdr.Values("Content-Type")) != 1 || hdr.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %v", hdr.Values("Content-Type"))
	}

	// Exit codes as call METHOD PATH has them; a server of the
	// operation's own on base_url's origin gets the token.
	r = h.run("--config", cfg, "call", "st", "@getStatus", "-p", "code=418")
	r.expect(t, ExitClientError, "a 418")
	if !strings.Contains(r.errOut, "GET "+api.URL+"/status/418 answered 418") {
		t.Errorf("418: %s", r.errOut)
	}
	if _, hdr = sentTo(t, api, 5); hdr.Get("Authorization") != "Bearer static-tok-1" {
		t.Errorf("same origin: Authorization %q", hdr.Get("Authorization"))
	}
}

// TestCallOperationUsage: what is missing, unknown or misplaced is a usage
// error naming it, and nothing is sent.
func TestCallOperationUsage(t *testing.T) {
	h, api, _, cfg := opCallSetup(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"@getItem"}, `st: @getItem needs its path parameter "id": add -p id=VALUE`},
		{[]string{"@searchItems"}, `st: @searchItems needs its query parameter "q": add -p q=VALUE`},
		{[]string{"@getItem", "-p", "id=1", "-p", "nope=2"}, `st: @getItem has no parameter "nope" (it has id, fields, X-Trace, session)`},
		{[]string{"@createItem"}, `st: @createItem needs a request body (application/merge-patch+json): add -d BODY`},
		{[]string{"@getitem"}, `unknown operation @getitem: did you mean @getItem? (keyhole ops st lists them)`},
		{[]string{"@createItm"}, `unknown operation @createItm: did you mean @createItem?`},
		{[]string{"@zzzzqqq"}, `unknown operation @zzzzqqq: keyhole ops st lists the operations`},
		{[]string{"@"}, `@: name an operation`},
		{[]string{"@getItem", "-p", "id"}, `-p: want NAME=VALUE`},
		{[]string{"GET", "/items", "-p", "id=1"}, `-p fills an operation's parameters`},
	} {
		r := h.run(append([]string{"--config", cfg, "call", "st"}, c.args...)...)
		r.expect(t, ExitUsage, strings.Join(c.args, " "))
		if !strings.Contains(r.errOut, c.want) {
			t.Errorf("%v: stderr %q, want %q", c.args, r.errOut, c.want)
		}
	}
	// The spec's escape sequence never reaches the terminal.
	r := h.run("--config", cfg, "call", "st", "@uploadFile")
	refusedUsage(t, r, "@uploadFile", "did you mean @uploadFile", api, 0)
	if strings.Contains(r.errOut, "\x1b") {
		t.Errorf("stderr %q", r.errOut)
	}
}

// TestCallOperationServerElsewhere: an operation whose own server is on
// another origin than base_url gets the token only with --send-token.
func TestCallOperationServerElsewhere(t *testing.T) {
	h, api, uploads, cfg := opCallSetup(t)
	id := "@uploadFile\x1b[2J"
	r := h.run("--config", cfg, "call", "st", id, "-p", "name=a.txt", "-d", "hi")
	r.expect(t, 0, "upload")
	got, hdr := sentTo(t, uploads, 1)
	if got.Method != "PUT" || got.RequestURI != "/up/files/a.txt" || got.Body != "hi" {
		t.Fatalf("uploads got %s %s %q", got.Method, got.RequestURI, got.Body)
	}
	if a := hdr.Get("Authorization"); a != "" {
		t.Errorf("the token went to another origin: %q", a)
	}
	if ct := hdr.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(r.errOut, "is not st's origin") || !strings.Contains(r.errOut, "--send-token sends it") {
		t.Errorf("no word of the withheld token: %s", r.errOut)
	}

	h.run("--config", cfg, "call", "st", id, "-p", "name=a.txt", "--send-token").expect(t, 0, "upload --send-token")
	if _, hdr := sentTo(t, uploads, 2); hdr.Get("Authorization") != "Bearer static-tok-1" {
		t.Errorf("--send-token: Authorization %q", hdr.Get("Authorization"))
	}
	if _, n := api.lastRequest(); n != 0 {
		t.Errorf("the API got %d requests", n)
	}

	// curl prints it without the token, and says so.
	r = h.run("--config", cfg, "curl", "st", id, "-p", "name=a.txt")
	r.expect(t, 0, "curl upload")
	if strings.Contains(r.out, "keyhole token") || !strings.Contains(r.out, uploads.URL+"/up/files/a.txt") || !strings.Contains(r.errOut, "--send-token sends it") {
		t.Errorf("curl upload:\nstdout %s\nstderr %s", r.out, r.errOut)
	}
}

// TestCurlOperation: curl NAME @id prints the request call NAME @id sends.
func TestCurlOperation(t *testing.T) {
	h, api, _, cfg := opCallSetup(t)
	r := h.run("--config", cfg, "curl", "st", "@getItem", "-p", "id=a/b", "-p", "fields=x y", "-p", "X-Trace=t1")
	r.expect(t, 0, "curl @getItem")
	for _, want := range []string{api.URL + "/v1/items/a%2Fb?fields=x+y", `X-Trace: t1`, "Authorization: Bearer $(keyhole --config"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("curl lacks %q:\n%s", want, r.out)
		}
	}
	refusedUsage(t, h.run("--config", cfg, "curl", "st", "@searchItems"), "curl without q", `needs its query parameter "q"`, api, 0)
}

// TestCallOperationPrivateSpec: a spec URL on base_url's origin is fetched
// with the token, then the operation is sent with it.
func TestCallOperationPrivateSpec(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	r := h.run("--config", cfg, "call", "st", "@deleteItem", "-p", "id=it 1")
	r.expect(t, 0, "call @deleteItem")
	reqs := api.Requests()
	if len(reqs) != 2 || reqs[0].URL.Path != "/openapi.json" || reqs[1].Method != "DELETE" || reqs[1].RequestURI != "/items/it%201" {
		for _, req := range reqs {
			t.Logf("%s %s (%s)", req.Method, req.URL, req.URL.RawPath)
		}
		t.Fatalf("%d requests", len(reqs))
	}
	for _, req := range reqs {
		if a := req.Header.Get("Authorization"); a != "Bearer static-tok-1" {
			t.Errorf("%s %s: Authorization %q", req.Method, req.URL, a)
		}
	}
}

// TestCallOperationDemo: the built-in demo's operations work with no
// config, and its spec, whose URL changes every run, is not cached.
func TestCallOperationDemo(t *testing.T) {
	h := newHarness(t)
	r := h.run("call", "demo-cc", "@getItem", "-p", "id=itm_0001")
	r.expect(t, 0, "call demo-cc @getItem")
	if !strings.Contains(r.out, `"id":"itm_0001"`) {
		t.Errorf("stdout %s", r.out)
	}
	if _, err := os.Stat(filepath.Join(h.dir, ".cache", "keyhole", "specs")); err == nil {
		t.Errorf("the demo's spec was cached")
	}
}

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
	refusedUsage(t, h.run("--config", cfg, "call", "st", "@getItem"), "no var id", `needs its path parameter "id"`, api, 3)
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
