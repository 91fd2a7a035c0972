package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// browseSpec is an OpenAPI 3.1 description of a small API: items, an
// upload on its own server (uploads, another origin, when set), and a
// deprecated one.
func browseSpec(uploads string) string {
	upload := ""
	if uploads != "" {
		upload = fmt.Sprintf(`,
  "/upload/{id}": {"post": {"operationId": "uploadAsset", "summary": "Upload an asset", "tags": ["assets"],
    "servers": [{"url": %q}],
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "security": [{"oauth": ["assets:write"]}],
    "responses": {"201": {"description": "made"}}}}`, uploads)
	}
	return `{"openapi": "3.1.0", "info": {"title": "Items", "version": "1"},
 "security": [{"oauth": ["items:read"]}],
 "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {"items:read": "", "items:write": ""}}}}},
   "schemas": {"Item": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "count": {"type": "integer"}}}}},
 "paths": {
  "/items": {"get": {"operationId": "listItems", "summary": "List the items", "tags": ["items"],
    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
    "responses": {"200": {"description": "ok"}}}},
  "/orgs/{org}/items/{id}": {"put": {"operationId": "putItem", "summary": "Replace an item", "tags": ["items"],
    "description": "Replaces the item with the body's.",
    "parameters": [
      {"name": "org", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
      {"name": "dry_run", "in": "query", "required": true, "schema": {"type": "boolean"}},
      {"name": "page", "in": "query", "schema": {"type": "integer"}},
      {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}}],
    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
    "security": [{"oauth": ["items:write"]}],
    "responses": {"200": {"description": "ok"}}}},
  "/old": {"get": {"operationId": "oldThing", "summary": "The old way", "tags": ["legacy"], "deprecated": true,
    "responses": {"200": {"description": "ok"}}}}` + upload + `
 }}`
}

// browseAPI is an API of the test's own: it serves browseSpec at
// /openapi.json (gate, when set, holds the answer until closed) and
// records every other request.
type browseAPI struct {
	*httptest.Server
	spec      func() string
	gate      chan struct{}
	specHits  atomic.Int32
	specAuth  atomic.Value // the Authorization the last spec request carried
	mu        sync.Mutex
	requests  []*http.Request
	authFound []string
}

func newBrowseAPI(t *testing.T, specText func() string) *browseAPI {
	t.Helper()
	a := &browseAPI{spec: specText}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			a.specHits.Add(1)
			a.specAuth.Store(r.Header.Get("Authorization"))
			if a.gate != nil {
				<-a.gate
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, a.spec())
			return
		}
		a.mu.Lock()
		a.requests = append(a.requests, r.Clone(r.Context()))
		a.authFound = append(a.authFound, r.Header.Get("Authorization"))
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok": true}`)
	}))
	t.Cleanup(a.Close)
	return a
}

// seen is what the API was sent besides its spec: "METHOD /path?query".
func (a *browseAPI) seen() (reqs []string, auth []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.requests {
		reqs = append(reqs, r.Method+" "+r.URL.RequestURI())
	}
	return reqs, append([]string(nil), a.authFound...)
}

const browseToken = "browse-token-5f2a9c1e7b"

// browseProvider is a provider table on api with a static token and
// openapi pointing at specURL.
func browseProvider(name, base, specURL, extra string) string {
	return fmt.Sprintf("[providers.%s]\nbase_url = %q\nopenapi = %q\ngrant = \"static\"\ntoken = %q\n%s", name, base, specURL, browseToken, extra)
}

// browseBackend is the backend on config text, in a test environment of
// its own.
func browseBackend(t *testing.T, text string) *app.Backend {
	t.Helper()
	testEnv(t)
	return configBackend(t, "config.toml", text, nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
}

// browseModel is the model on config text at w×h, the first provider
// selected (its static token in hand).
func browseModel(t *testing.T, text string, w, h int) Model {
	t.Helper()
	return browseModelOn(t, browseBackend(t, text), w, h)
}

// browseModelOn is browseModel on a backend the test has set up.
func browseModelOn(t *testing.T, b *app.Backend, w, h int) Model {
	t.Helper()
	m := New(Options{Label: "config.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return run(t, m, press("enter"))
}

// specLines are the picker's operation rows on screen, in order.
func specLines(m Model) []string {
	var out []string
	for _, l := range strings.Split(plain(m), "\n") {
		if i := strings.Index(l, "[spec] "); i >= 0 {
			out = append(out, strings.Join(strings.Fields(strings.Trim(l[i+len("[spec] "):], "│ ")), " "))
		}
	}
	return out
}

// TestBrowserLoadsSpecOnceWhenPickerOpens: no spec is read until o; the
// picker opens at once with a row saying it loads, the spec comes in a
// command, and its operations join the saved requests, grouped by tag.
// A second o reads nothing again. The spec URL on base_url's origin got
// the token in hand; none was fetched for it.
func TestBrowserLoadsSpecOnceWhenPickerOpens(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("") })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	if n := api.specHits.Load(); n != 0 {
		t.Fatalf("the spec was read %d times before the picker opened", n)
	}
	nm, cmd := m.Update(press("o"))
	m = nm.(Model)
	screen := plain(m)
	if !strings.Contains(screen, "loading the spec…") || !hasPopup(m, popRequests) {
		t.Fatalf("o: no picker with a loading row:\n%s", screen)
	}
	if n := api.specHits.Load(); n != 0 {
		t.Fatalf("Update read the spec itself (%d requests): it must be a command", n)
	}
	for _, msg := range drain(t, cmd) {
		m = run(t, m, msg)
	}
	screen = plain(m)
	for _, want := range []string{"OpenAPI · items · items", "OpenAPI · items · legacy", "GET /items listItems List the items", "PUT /orgs/{org}/items/{id} putItem Replace an item", "deprecated"} {
		if !strings.Contains(strings.Join(strings.Fields(screen), " "), want) {
			t.Errorf("the picker lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "loading the spec") {
		t.Errorf("still loading:\n%s", screen)
	}
	if got, _ := api.specAuth.Load().(string); got != "Bearer "+browseToken {
		t.Errorf("the spec on base_url's origin was asked for with Authorization %q, want the token in hand", got)
	}
	m = run(t, m, press("esc"))
	m = run(t, m, press("o"))
	if n := api.specHits.Load(); n != 1 {
		t.Errorf("the spec was read %d times, want once a session", n)
	}
	if len(specLines(m)) != 3 {
		t.Errorf("second o: %q", specLines(m))
	}
}

// TestBrowserSlowSpecKeysAnswered: while a spec takes its time, the
// picker answers keys — the filter takes them — and the operations that
// arrive are filtered by what was typed meanwhile.
func TestBrowserSlowSpecKeysAnswered(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("") })
	api.gate = make(chan struct{})
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	nm, cmd := m.Update(press("o"))
	m = nm.(Model)
	got := make(chan []tea.Msg, 1)
	go func() { got <- drain(t, cmd) }()
	for _, k := range "replace" {
		start := time.Now()
		m = update(t, m, press(string(k)))
		_ = m.View()
		if d := time.Since(start); d > time.Second {
			t.Errorf("key %q took %v while the spec loaded", k, d)
		}
	}
	if !strings.Contains(plain(m), "filter: replace") {
		t.Fatalf("the filter did not take the keys:\n%s", plain(m))
	}
	close(api.gate)
	for _, msg := range <-got {
		m = run(t, m, msg)
	}
	if lines := specLines(m); len(lines) != 1 || !strings.HasPrefix(lines[0], "PUT /orgs/{org}/items/{id} putItem") {
		t.Errorf("after the spec came, filtered by \"replace\": %q\n%s", lines, plain(m))
	}
}

// TestBrowserBrokenSpecMarksOnlyItsProvider: a spec that does not parse
// marks that provider's browser unavailable with the file, the line and
// the reason — its URL's credential masked, its bytes made safe — and
// enter shows the reason whole; the saved requests are still there, and
// another provider's spec is not read.
func TestBrowserBrokenSpecMarksOnlyItsProvider(t *testing.T) {
	const key = "spec-key-8d1e44a0c3"
	api := newBrowseAPI(t, func() string { return "{\"openapi\": \"3.1.0\",\n \"paths\": {\x1b]0;pwned\x07 oops\n}" })
	other := newBrowseAPI(t, func() string { return browseSpec("") })
	text := browseProvider("broken", api.URL, api.URL+"/openapi.json?api_key="+key, `
  [[providers.broken.requests]]
  name = "Ping"
  path = "/ping"
`) + "\n" + browseProvider("fine", other.URL, other.URL+"/openapi.json", "")
	testEnv(t)
	r := record(t, configBackend(t, "config.toml", text, nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }}),
		Options{Label: "config.toml", Redact: true}, 120, 40)
	r.send(press("enter"))
	r.send(press("o"))
	screen := plain(r.m)
	for _, want := range []string{"[saved] GET    /ping", "unavailable", api.URL + "/openapi.json", "[spec]"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the picker lacks %q:\n%s", want, screen)
		}
	}
	if other.specHits.Load() != 0 {
		t.Error("another provider's spec was read")
	}
	// Down to the spec's row, and enter: the whole reason.
	r.send(press("down"))
	r.send(press("enter"))
	if screen := plain(r.m); !hasPopup(r.m, popText) || !strings.Contains(screen, "OpenAPI spec unavailable · broken") || !strings.Contains(screen, ":2:12: not valid JSON") {
		t.Errorf("enter on the unavailable row shows no reason with its line:\n%s", screen)
	}
	for i, f := range r.frames {
		if strings.Contains(f, "\x1b]0;") || strings.Contains(f, "\x07") {
			t.Errorf("frame %d holds the spec's escape sequence", i)
		}
	}
	r.noLeak(key)
}

// TestBrowserFilterRanksLikeOps: typed words rank the operations as
// keyhole ops ranks them (spec.Index.Match), best first.
func TestBrowserFilterRanksLikeOps(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("https://uploads.example.test") })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = run(t, m, press("o"))
	s, err := spec.Parse("s.json", []byte(browseSpec("https://uploads.example.test")))
	if err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"item", "get", "up", "put org", "old"} {
		for _, r := range words {
			m = run(t, m, press(string(r)))
		}
		var want []string
		for _, mt := range s.Index.Match([]string{words}) {
			want = append(want, mt.Op.Method+" "+mt.Op.Path+" "+mt.Op.ID)
		}
		var got []string
		for _, l := range specLines(m) {
			f := strings.Fields(l)
			got = append(got, strings.Join(f[:3], " "))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q: the picker ranks\n%q\nkeyhole ops ranks\n%q", words, got, want)
		}
		m = run(t, m, press("esc")) // clears the filter
	}
}

// TestBrowserSpecCached: a spec URL read by the picker is kept in the
// backend's spec cache, for the next start.
func TestBrowserSpecCached(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("") })
	b := browseBackend(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""))
	b.SpecCache = filepath.Join(t.TempDir(), "keyhole")
	m := run(t, browseModelOn(t, b, 120, 40), press("o"))
	if len(specLines(m)) != 3 {
		t.Fatalf("no operations listed:\n%s", plain(m))
	}
	files, err := os.ReadDir(b.SpecCache)
	if err != nil || len(files) == 0 {
		t.Errorf("nothing cached in %s: %v", b.SpecCache, err)
	}
}

// TestBrowserSpecElsewhereGetsNoToken: a spec URL on another origin than
// base_url (another port) is read without the token in hand.
func TestBrowserSpecElsewhereGetsNoToken(t *testing.T) {
	api := newBrowseAPI(t, func() string { return "{}" })
	specs := newBrowseAPI(t, func() string { return browseSpec("") })
	m := browseModel(t, browseProvider("items", api.URL, specs.URL+"/openapi.json", ""), 120, 40)
	m = run(t, m, press("o"))
	if len(specLines(m)) != 3 || specs.specHits.Load() != 1 {
		t.Fatalf("the spec was not read once:\n%s", plain(m))
	}
	if got, _ := specs.specAuth.Load().(string); got != "" {
		t.Errorf("a spec on another origin got Authorization %q", got)
	}
}

// TestBrowserGetItemRanksGetItemFirst: typing "get item" in the picker
// puts the operation getItem first, above the saved request "List items"
// (GET /api/items?page=1) that matches the same letters scattered; and
// the words typed together ("getitem") find it alone among the
// operations. Saved requests and operations are drawn in the same
// columns, method, path, name.
func TestBrowserGetItemRanksGetItemFirst(t *testing.T) {
	api := newBrowseAPI(t, func() string { return spectest.Items })
	saved := `
  [[providers.items.requests]]
  name = "List items"
  path = "/api/items?page=1"

  [[providers.items.requests]]
  name = "Who am I"
  path = "/api/me"
`
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", saved), size[0], size[1])
		m = run(t, m, press("o"))
		for _, want := range []string{"> [saved] GET /api/items?page=1 List items", "[saved] GET /api/me Who am I", "[spec] GET /api/items listItems List items, 10 a page · items"} {
			if !strings.Contains(columns(plain(m)), want) {
				t.Errorf("%dx%d: the picker lacks the row %q:\n%s", size[0], size[1], want, plain(m))
			}
		}
		for _, query := range []string{"get item", "getitem"} {
			for _, r := range query {
				m = run(t, m, press(string(r)))
			}
			if got := pickerCursorRow(plain(m)); !strings.HasPrefix(got, "> [spec] GET /api/items/{id} getItem") {
				t.Errorf("%dx%d: %q puts first %q, want getItem:\n%s", size[0], size[1], query, got, plain(m))
			}
			m = run(t, m, press("esc"))
		}
		// Chosen, it fills the composer.
		for _, r := range "get item" {
			m = run(t, m, press(string(r)))
		}
		m = run(t, m, press("enter"))
		if method, path, _, _ := m.composer.Request(); method != "GET" || path != "/api/items/{{id}}" {
			t.Errorf("%dx%d: get item, enter: %s %s", size[0], size[1], method, path)
		}
	}
}

// columns is screen with its runs of spaces made one.
func columns(screen string) string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(out, "\n")
}

// browserScreen is the demo at w×h with a token and a response, then the
// picker opened (o), its spec loaded, and keys typed (each rune a key;
// "enter", "tab" and "down" as themselves).
func browserScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := demoResponse(t, w, h)
	wo.m = run(t, wo.m, press("o"))
	for _, k := range keys {
		switch k {
		case "enter", "tab", "down", "esc":
			wo.m = run(t, wo.m, press(k))
		default:
			wo.typeText(k)
		}
	}
	return plain(wo.m)
}
