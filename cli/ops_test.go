package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// opsSpec is a small OpenAPI 3.0 spec of the tests' own.
const opsSpec = `{
  "openapi": "3.0.3",
  "info": {"title": "Items", "version": "1"},
  "security": [{"oauth": ["items:read"]}],
  "paths": {
    "/items": {
      "get": {"operationId": "listItems", "summary": "List the items", "tags": ["items"],
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]},
      "post": {"operationId": "createItem", "summary": "Create an item", "tags": ["items"],
        "security": [{"oauth": ["items:write"]}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}
    },
    "/items/{id}": {
      "delete": {"operationId": "deleteItem", "summary": "Delete an item\u001b[2J", "deprecated": true,
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]}
    }
  }
}`

// newSpecHost serves opsSpec at /openapi.json, a redirect to another host
// at /moved.json, and {} to API calls, recording each request.
func newSpecHost(t *testing.T) *spectest.Server {
	return spectest.NewServer(t, []byte(opsSpec), "https://elsewhere.example/openapi.json")
}

func TestOpsFile(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	// The spec sits beside the config, in a folder of its own: a relative
	// path is taken from the config file's folder, not the working one.
	h.writeConfig(filepath.Join("specs", "items.json"), opsSpec)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \"specs/items.json\"\n"))

	r := h.run("--config", cfg, "ops", "st")
	r.expect(t, 0, "ops st")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "GET") || !strings.Contains(lines[0], "listItems") ||
		!strings.HasPrefix(lines[2], "DELETE  /items/{id}  deleteItem  (deprecated) Delete an item") {
		t.Fatalf("spec order:\n%s", r.out)
	}
	if strings.Contains(r.out, "\x1b") {
		t.Errorf("an escape from the spec reached the output: %q", r.out)
	}

	r = h.run("--config", cfg, "ops", "st", "create", "item")
	r.expect(t, 0, "ops st create item")
	if first, _, _ := strings.Cut(r.out, "\n"); !strings.Contains(first, "createItem") {
		t.Fatalf("best match not first:\n%s", r.out)
	}

	r = h.run("--config", cfg, "ops", "st", "--json")
	r.expect(t, 0, "ops --json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	if len(got) != 3 {
		t.Fatalf("%d operations", len(got))
	}
	want := map[string]any{
		"method": "GET", "path": "/items", "operationId": "listItems", "summary": "List the items",
		"tags": []any{"items"}, "deprecated": false,
		"parameters": []any{map[string]any{"name": "limit", "in": "query", "required": false, "type": "integer"}},
		"scopes":     []any{"oauth:items:read"}, "tokenOptional": false,
	}
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("--json:\n got %v\nwant %v", got[0], want)
	}
	if s := got[1]["scopes"].([]any); len(s) != 1 || s[0] != "oauth:items:write" {
		t.Errorf("createItem scopes: %v", s)
	}

	r = h.run("--config", cfg, "ops", "st", "zzzz")
	r.expect(t, 0, "no match")
	if r.out != "" || !strings.Contains(r.errOut, `no operation of st matches "zzzz"`) {
		t.Errorf("no match: %q %q", r.out, r.errOut)
	}
	// A spec file costs the API nothing.
	if n := len(api.Requests()); n != 0 {
		t.Errorf("the API got %d requests", n)
	}
}

// TestOpsURL: a spec on the API's origin is fetched with the token, cached,
// asked for again conditionally, and replaced by its cached copy when the
// server is gone; a redirect is refused.
func TestOpsURL(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))

	r := h.run("--config", cfg, "ops", "st")
	r.expect(t, 0, "first ops")
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("Authorization") != "Bearer static-tok-1" || reqs[0].Header.Get("If-None-Match") != "" {
		t.Fatalf("first fetch: %d requests, %v", len(reqs), reqs[0].Header)
	}
	cached, _ := filepath.Glob(filepath.Join(h.dir, ".cache", "keyhole", "specs", "*"))
	if len(cached) == 0 {
		t.Fatalf("nothing cached under %s", filepath.Join(h.dir, ".cache", "keyhole"))
	}
	for _, f := range cached {
		if fi, err := os.Lstat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", f, fi.Mode())
		}
	}

	r = h.run("--config", cfg, "ops", "st", "delete")
	r.expect(t, 0, "second ops")
	reqs = api.Requests()
	if len(reqs) != 2 || reqs[1].Header.Get("If-None-Match") != `"v1"` {
		t.Fatalf("second fetch not conditional: %v", reqs[len(reqs)-1].Header)
	}
	if !strings.Contains(r.out, "deleteItem") {
		t.Errorf("second ops:\n%s", r.out)
	}

	moved := h.writeConfig("m.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/moved.json\"\n"))
	r = h.run("--config", moved, "ops", "st")
	r.expect(t, 1, "redirected spec")
	if !strings.Contains(r.errOut, "/moved.json: moved to https://elsewhere.example/openapi.json: use that URL") {
		t.Errorf("redirect: %s", r.errOut)
	}

	api.Close()
	r = h.run("--config", cfg, "ops", "st")
	r.expect(t, 0, "ops with the server gone")
	if !strings.Contains(r.errOut, "cannot be reached") || !strings.Contains(r.errOut, "using the copy cached") || !strings.Contains(r.out, "listItems") {
		t.Errorf("fallback:\nstdout %s\nstderr %s", r.out, r.errOut)
	}
	if strings.Contains(r.errOut, "static-tok-1") {
		t.Errorf("the token leaked: %s", r.errOut)
	}

	// Nothing cached and nothing reachable: a network failure, exit 3.
	h.vars["XDG_CACHE_HOME"] = filepath.Join(h.dir, "empty-cache")
	r = h.run("--config", cfg, "ops", "st")
	r.expect(t, ExitNetwork, "ops with nothing cached")
	if !strings.Contains(r.errOut, "and no copy is cached") {
		t.Errorf("no cache: %s", r.errOut)
	}
}

// TestOpsSpecElsewhere: a spec on another origin than base_url (another
// port) is fetched without the token.
func TestOpsSpecElsewhere(t *testing.T) {
	h := newHarness(t)
	api, other := newSpecHost(t), newSpecHost(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+other.URL+"/openapi.json\"\n"))
	h.run("--config", cfg, "ops", "st").expect(t, 0, "ops")
	reqs := other.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("Authorization") != "" {
		t.Fatalf("the spec host got %d requests, Authorization %q", len(reqs), reqs[0].Header.Get("Authorization"))
	}
}

// TestOpsBadSpec: a broken spec is a usage error naming the file, the
// line and the reason; a provider without openapi says what to add.
func TestOpsBadSpec(t *testing.T) {
	h := newHarness(t)
	bad := h.writeConfig("bad.json", "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}\n")
	cfg := h.writeConfig("k.toml", staticConfig("st", "https://api.example.com", "t", "openapi = \"bad.json\"\n")+
		"\n[providers.none]\nbase_url = \"https://api.example.com\"\ngrant = \"static\"\ntoken = \"t\"\n")
	r := h.run("--config", cfg, "ops", "st")
	r.expect(t, 1, "broken spec")
	if !strings.Contains(r.errOut, bad+":3:13: not valid JSON") {
		t.Errorf("broken spec: %s", r.errOut)
	}
	r = h.run("--config", cfg, "ops", "none")
	r.expect(t, 1, "no openapi")
	if !strings.Contains(r.errOut, "provider none has no openapi key") {
		t.Errorf("no openapi: %s", r.errOut)
	}
}

// TestOpsSpecThatNeverEnds: a spec URL whose server sends its body a few
// bytes at a time, without end, is given up after the provider's timeout,
// as every call the provider makes is: exit 3 with nothing cached, the
// cached copy (and a note) with one. keyhole ops waited for ever.
func TestOpsSpecThatNeverEnds(t *testing.T) {
	var trickle atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !trickle.Load() {
			w.Write([]byte(opsSpec))
			return
		}
		w.Header().Set("Content-Length", "100000000")
		w.WriteHeader(http.StatusOK)
		for {
			if _, err := w.Write([]byte("[1,")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", srv.URL, "tok-1", "openapi = \""+srv.URL+"/openapi.json\"\ntimeout = \"1s\"\n"))
	ops := func(what string) result {
		t.Helper()
		e, out, errOut := h.env()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"--config", cfg, "ops", "st"}, e) }()
		select {
		case code := <-done:
			return result{code: code, out: out.String(), errOut: errOut.String()}
		case <-time.After(15 * time.Second):
			cancel()
			<-done
			t.Fatalf("%s: keyhole ops still waits for the spec after 15s (timeout = 1s)", what)
		}
		return result{}
	}

	trickle.Store(true)
	r := ops("nothing cached")
	r.expect(t, ExitNetwork, "a spec that never ends, nothing cached")
	r.errHas(t, srv.URL+"/openapi.json", "no copy is cached")

	trickle.Store(false)
	ops("a spec that ends").expect(t, ExitOK, "a spec that ends")
	trickle.Store(true)
	r = ops("a copy cached")
	r.expect(t, ExitOK, "a spec that never ends, a copy cached")
	r.outHas(t, "listItems")
	r.errHas(t, "using the copy cached")
	if strings.Contains(r.errOut, "tok-1") {
		t.Errorf("the token leaked: %s", r.errOut)
	}
}

// TestSpecNotLoadedByOtherCommands: providers, token and call METHOD PATH
// never fetch (nor read) the spec, whatever it is, unless the call is
// refused 401 or 403: then the doctor reads it
// (TestCallRefusedNamesTheSpecScope). This call is answered 200.
func TestSpecNotLoadedByOtherCommands(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	h.run("--config", cfg, "providers").expect(t, 0, "providers")
	h.run("--config", cfg, "token", "st").expect(t, 0, "token")
	h.run("--config", cfg, "call", "st", "GET", "/items").expect(t, 0, "call")
	for _, r := range api.Requests() {
		if r.URL.Path == "/openapi.json" {
			t.Fatalf("the spec was fetched by a command that does not need it")
		}
	}
	if _, err := os.Stat(filepath.Join(h.dir, ".cache", "keyhole", "specs")); err == nil {
		t.Errorf("a spec cache was made")
	}
}

// TestOpsTokenRefused: a private spec whose token is refused exits 2, as
// token does, and the spec is not asked for without it.
func TestOpsTokenRefused(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error": "invalid_client", "error_description": "unknown client"}`))
	}))
	t.Cleanup(tokens.Close)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers.cc]\nbase_url = \""+api.URL+"\"\ngrant = \"client_credentials\"\n"+
		"token_url = \""+tokens.URL+"/token\"\nclient_id = \"id\"\nclient_secret = \"cc-secret-1\"\nopenapi = \""+api.URL+"/openapi.json\"\n")
	r := h.run("--config", cfg, "ops", "cc")
	r.expect(t, ExitToken, "ops with a refused token")
	if !strings.Contains(r.errOut, "invalid_client") || strings.Contains(r.errOut, "cc-secret-1") {
		t.Errorf("stderr: %s", r.errOut)
	}
	if n := len(api.Requests()); n != 0 {
		t.Errorf("the spec was asked for without its token (%d requests)", n)
	}
}

// TestOpsJSONTokenOptional: an operation whose security lists an empty
// alternative ({}) is marked tokenOptional, its scopes still listed; one
// with a plain requirement is not.
func TestOpsJSONTokenOptional(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	h.writeConfig("items.json", `{"openapi": "3.1.0", "info": {"title": "Items", "version": "1"},
 "security": [{"oauth": ["items:read"]}],
 "paths": {
  "/items": {"get": {"operationId": "listItems", "security": [{}, {"oauth": ["items:read"]}]}},
  "/items/{id}": {"get": {"operationId": "getItem"}}}}`)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \"items.json\"\n"))
	r := h.run("--config", cfg, "ops", "st", "--json")
	r.expect(t, 0, "ops --json")
	var got []struct {
		ID            string   `json:"operationId"`
		Scopes        []string `json:"scopes"`
		TokenOptional *bool    `json:"tokenOptional"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	if len(got) != 2 {
		t.Fatalf("%d operations:\n%s", len(got), r.out)
	}
	for i, want := range []bool{true, false} {
		if got[i].TokenOptional == nil || *got[i].TokenOptional != want {
			t.Errorf("%s: tokenOptional %v, want %v:\n%s", got[i].ID, got[i].TokenOptional, want, r.out)
		}
		if !reflect.DeepEqual(got[i].Scopes, []string{"oauth:items:read"}) {
			t.Errorf("%s: scopes %q", got[i].ID, got[i].Scopes)
		}
	}
}

// TestOpsRanksWordByWord: keyhole ops ranks word by word — every word
// must match; a word found whole, or at the start of a word, far above
// scattered letters; a method word to the method; the words together to
// the operationId — best first, ties to the shorter path, then the
// spec's order.
func TestOpsRanksWordByWord(t *testing.T) {
	h := newHarness(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(spectest.Items))
	}))
	t.Cleanup(api.Close)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	for _, tc := range []struct {
		words []string
		want  []string // the operationIds listed, in order
		first bool     // only the first of want is checked
	}{
		{words: []string{"get", "item"}, want: []string{"getItem"}, first: true},
		{words: []string{"getitem"}, want: []string{"getItem"}},
		{words: []string{"item", "get"}, want: []string{"getItem", "listItems"}},
		{words: []string{"delete"}, want: []string{"deleteItem"}},
		{words: []string{"items"}, want: []string{"listItems", "createItem", "getItem", "deleteItem"}},
		{words: []string{"me"}, want: []string{"getMe"}},
		{words: []string{"gtitm"}, want: []string{"getItem"}},
		{words: []string{"account"}, want: []string{"getMe"}},
		{words: []string{"post", "item"}, want: []string{"createItem"}},
		{words: []string{"me", "delete"}, want: nil},
		{words: []string{"get", "zebra"}, want: nil},
	} {
		r := h.run(append([]string{"--config", cfg, "ops", "st"}, tc.words...)...)
		r.expect(t, 0, "ops "+strings.Join(tc.words, " "))
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(r.out), "\n") {
			if f := strings.Fields(l); len(f) >= 3 {
				got = append(got, f[2])
			}
		}
		if tc.first {
			if len(got) == 0 || got[0] != tc.want[0] {
				t.Errorf("ops %s: first %q, want %s\n%s", strings.Join(tc.words, " "), got, tc.want[0], r.out)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ops %s: %q, want %q\n%s", strings.Join(tc.words, " "), got, tc.want, r.out)
		}
	}
}

// writeCounter counts the writes it is given: each is a system call
// when stdout is a pipe or a terminal.
type writeCounter struct {
	mu     sync.Mutex
	writes int
	b      strings.Builder
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.b.Write(p)
}

// TestOpsBufferedOutput lists many operations: the table reaches stdout
// in a few large writes, not one per cell and padding (tabwriter's), which
// cost a GitHub-sized listing about 14,000 system calls.
func TestOpsBufferedOutput(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	o := spectest.Options{Operations: 400, Schemas: 20, Depth: 3, Version: "3.0.3", Example: 100}
	h.writeConfig("many.json", string(spectest.JSON(o)))
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \"many.json\"\n"))

	e, _, errOut := h.env()
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	e.stdin = stdin
	out := &writeCounter{}
	e.stdout = out
	if code := run(context.Background(), []string{"--config", cfg, "ops", "st"}, e); code != 0 {
		t.Fatalf("ops: exit %d: %s", code, errOut.String())
	}
	text := out.b.String()
	if n := strings.Count(text, "\n"); n != 400 {
		t.Fatalf("%d rows, want 400:\n%.500s", n, text)
	}
	if most := len(text)/4096 + 2; out.writes > most {
		t.Errorf("%d rows (%d bytes) in %d writes: want at most %d", 400, len(text), out.writes, most)
	}
}
