package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// sent is one request a recording server got.
type sent struct {
	method, uri, body string
	header            http.Header
}

// recorder is an API on 127.0.0.1 that records every request and answers
// {} (404 under /missing).
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []sent
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, sent{method: r.Method, uri: r.RequestURI, body: string(b), header: r.Header.Clone()})
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "/missing") {
			w.WriteHeader(http.StatusNotFound)
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) requests() []sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]sent(nil), rec.reqs...)
}

// opCallSpec is a hostile spec of the tests' own: an operationId with an
// escape sequence, a server of its own on uploads (another origin), and
// parameters in every place.
func opCallSpec(uploads string) string {
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
    "/missing/{id}": {
      "get": {"operationId": "getMissing",
        "parameters": [{"name": "id", "in": "path", "required": true}]}
    }
  }
}`, uploads)
}

func opCallSetup(t *testing.T) (*harness, *recorder, *recorder, string) {
	t.Helper()
	h := newHarness(t)
	api, uploads := newRecorder(t), newRecorder(t)
	h.writeConfig("shop.json", opCallSpec(uploads.URL+"/up"))
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL+"/v1", "static-tok-1", "openapi = \"shop.json\"\n"))
	return h, api, uploads, cfg
}

// TestCallOperation: call NAME @id sends exactly the operation, filled from
// -p and -d, with the token.
func TestCallOperation(t *testing.T) {
	h, api, _, cfg := opCallSetup(t)

	r := h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=a/b ?#", "-p", "fields=x&y=z", "-p", "X-Trace=t1", "-p", "session=s 1")
	r.expect(t, 0, "call @getItem")
	reqs := api.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	if got.method != "GET" || got.uri != "/v1/items/a%2Fb%20%3F%23?fields=x%26y%3Dz" {
		t.Errorf("sent %s %s", got.method, got.uri)
	}
	if got.header.Get("Authorization") != "Bearer static-tok-1" || got.header.Get("X-Trace") != "t1" || got.header.Get("Cookie") != "session=s+1" {
		t.Errorf("headers: %v", got.header)
	}

	// A value cannot climb out of the path.
	h.run("--config", cfg, "call", "st", "@getItem", "-p", "id=..").expect(t, 0, "call @getItem ..")
	if got := api.requests()[1].uri; got != "/v1/items/%2E%2E" {
		t.Errorf(".. sent as %s", got)
	}

	// The body, with the spec's content type.
	r = h.run("--config", cfg, "call", "st", "@createItem", "-d", `{"name": "Cedar"}`)
	r.expect(t, 0, "call @createItem")
	got = api.requests()[2]
	if got.method != "POST" || got.uri != "/v1/items" || got.body != `{"name": "Cedar"}` || got.header.Get("Content-Type") != "application/merge-patch+json" {
		t.Errorf("sent %s %s %q %v", got.method, got.uri, got.body, got.header)
	}
	// -H wins over the spec.
	h.run("--config", cfg, "call", "st", "@createItem", "-d", `{}`, "-H", "Content-Type: application/json").expect(t, 0, "-H")
	if ct := api.requests()[3].header.Values("Content-Type"); len(ct) != 1 || ct[0] != "application/json" {
		t.Errorf("Content-Type %v", ct)
	}

	// Exit codes as call METHOD PATH has them.
	r = h.run("--config", cfg, "call", "st", "@getMissing", "-p", "id=1")
	r.expect(t, ExitClientError, "a 404")
	if !strings.Contains(r.errOut, "GET "+api.URL+"/v1/missing/1 answered 404") {
		t.Errorf("404: %s", r.errOut)
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
	r.expect(t, ExitUsage, "@uploadFile")
	if strings.Contains(r.errOut, "\x1b") || !strings.Contains(r.errOut, "did you mean @uploadFile") {
		t.Errorf("stderr %q", r.errOut)
	}
	if n := len(api.requests()); n != 0 {
		t.Errorf("the API got %d requests", n)
	}
}

// TestCallOperationServerElsewhere: an operation whose own server is on
// another origin than base_url gets the token only with --send-token.
func TestCallOperationServerElsewhere(t *testing.T) {
	h, api, uploads, cfg := opCallSetup(t)
	id := "@uploadFile\x1b[2J"
	r := h.run("--config", cfg, "call", "st", id, "-p", "name=a.txt", "-d", "hi")
	r.expect(t, 0, "upload")
	reqs := uploads.requests()
	if len(reqs) != 1 || reqs[0].method != "PUT" || reqs[0].uri != "/up/files/a.txt" || reqs[0].body != "hi" {
		t.Fatalf("uploads got %v", reqs)
	}
	if a := reqs[0].header.Get("Authorization"); a != "" {
		t.Errorf("the token went to another origin: %q", a)
	}
	if ct := reqs[0].header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(r.errOut, "is not st's origin") || !strings.Contains(r.errOut, "--send-token sends it") {
		t.Errorf("no word of the withheld token: %s", r.errOut)
	}

	h.run("--config", cfg, "call", "st", id, "-p", "name=a.txt", "--send-token").expect(t, 0, "upload --send-token")
	if a := uploads.requests()[1].header.Get("Authorization"); a != "Bearer static-tok-1" {
		t.Errorf("--send-token: Authorization %q", a)
	}
	if n := len(api.requests()); n != 0 {
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
	r = h.run("--config", cfg, "curl", "st", "@searchItems")
	r.expect(t, ExitUsage, "curl without q")
	if !strings.Contains(r.errOut, `needs its query parameter "q"`) {
		t.Errorf("stderr %s", r.errOut)
	}
	if n := len(api.requests()); n != 0 {
		t.Errorf("curl sent %d requests", n)
	}
}
