package model

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// chooseOpRow opens the picker, filters by words and chooses the first
// operation row.
func chooseOpRow(t *testing.T, m Model, words string) Model {
	t.Helper()
	m = run(t, m, press("o"))
	for _, r := range words {
		m = run(t, m, press(string(r)))
	}
	if !hasPopup(m, popRequests) {
		t.Fatal("no picker")
	}
	for range 50 {
		if strings.Contains(plain(m), "> [spec]") {
			break
		}
		m = run(t, m, press("down"))
	}
	return run(t, m, press("enter"))
}

// TestBrowserChooseFillsComposer: choosing an operation puts its method,
// its path with {{name}} for each path parameter, its required query
// parameters, its documented header and its body skeleton in the
// composer; a name the provider's vars have is filled when sent, and one
// left is named — and a request still holding it is not sent.
func TestBrowserChooseFillsComposer(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("") })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", "vars = { org = \"acme\" }\n"), 120, 40)
	m = chooseOpRow(t, m, "replace")
	method, path, headers, body := m.composer.Request()
	if method != "PUT" || path != "/orgs/{{org}}/items/{{id}}?dry_run=" {
		t.Errorf("composer: %s %s", method, path)
	}
	for _, want := range []string{"X-Request-Id: ", "Content-Type: application/json"} {
		if !strings.Contains(headers, want) {
			t.Errorf("headers lack %q:\n%s", want, headers)
		}
	}
	if !strings.Contains(body, `"name"`) || !strings.Contains(body, `"count"`) {
		t.Errorf("body skeleton: %s", body)
	}
	if !strings.Contains(m.notice, "{{id}}") || strings.Contains(m.notice, "{{org}}") {
		t.Errorf("status line: %q, want {{id}} named and not {{org}} (from vars)", m.notice)
	}
	screen := plain(m)
	for _, want := range []string{"Replaces the item with the body's.", "dry_run (query) boolean · required", "page (query) integer · optional"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the description lacks %q:\n%s", want, screen)
		}
	}
	m = run(t, m, press("ctrl+s"))
	if reqs, _ := api.seen(); len(reqs) != 0 || m.sending {
		t.Fatalf("sent with {{id}} unfilled: %q", reqs)
	}
	if !strings.Contains(m.notice, "not sent") || !strings.Contains(m.notice, "{{id}}") {
		t.Errorf("status line: %q", m.notice)
	}
	m.composer.SetRequest("PUT", "/orgs/{{org}}/items/7?dry_run=true", headers, body)
	m = run(t, m, press("ctrl+s"))
	if reqs, _ := api.seen(); len(reqs) != 1 || reqs[0] != "PUT /orgs/acme/items/7?dry_run=true" {
		t.Errorf("sent %q", reqs)
	}
}

// TestBrowserScopesMarkedAgainstToken: the demo's token carries api:read
// only; createItem needs api:write, and the description says so against
// the token in hand.
func TestBrowserScopesMarkedAgainstToken(t *testing.T) {
	b := demoBackendText(t, func(s string) string {
		return strings.Replace(s, `scopes = ["api:read", "api:write"]`, `scopes = ["api:read"]`, 1)
	})
	m := newTestModel(t, b, nil)
	m = run(t, m, press("enter"))
	m = chooseOpRow(t, m, "createItem")
	screen := strings.Join(strings.Fields(plain(m)), " ")
	if !strings.Contains(screen, "needs `api:write`; your token has `api:read`") || !strings.Contains(screen, "✗ api:write") {
		t.Errorf("no scope marked against the token:\n%s", plain(m))
	}
	m = chooseOpRow(t, m, "listItems")
	if screen := plain(m); !strings.Contains(screen, "✓ api:read") || !strings.Contains(screen, "your token has them") {
		t.Errorf("listItems, api:read held:\n%s", screen)
	}
}

// TestBrowserForeignServerAsksFirst: an operation on its own server, on
// another origin than base_url, fills the composer with that server's
// URL; ctrl+s asks before the token goes there. No (enter, the default)
// sends it without the token; esc sends nothing; yes sends it with.
func TestBrowserForeignServerAsksFirst(t *testing.T) {
	uploads := newBrowseAPI(t, func() string { return "{}" })
	api := newBrowseAPI(t, func() string { return browseSpec(uploads.URL) })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = chooseOpRow(t, m, "uploadAsset")
	if _, path, _, _ := m.composer.Request(); path != uploads.URL+"/upload/{{id}}" {
		t.Fatalf("composer path %q, want the operation's own server", path)
	}
	m.composer.SetRequest("POST", uploads.URL+"/upload/9", "", "")
	m = run(t, m, press("ctrl+s"))
	if !asking(m) || !strings.Contains(plain(m), "Send your token to "+uploads.URL) {
		t.Fatalf("ctrl+s did not ask:\n%s", plain(m))
	}
	if reqs, _ := uploads.seen(); len(reqs) != 0 {
		t.Fatalf("sent before the answer: %q", reqs)
	}
	m = run(t, m, press("esc"))
	if reqs, _ := uploads.seen(); len(reqs) != 0 || asking(m) {
		t.Fatalf("esc sent %q", reqs)
	}
	m = run(t, m, press("ctrl+s"))
	m = run(t, m, press("enter")) // the default: no
	if reqs, auth := uploads.seen(); len(reqs) != 1 || auth[0] != "" {
		t.Fatalf("no: sent %q with Authorization %q, want once without", reqs, auth)
	}
	m = run(t, m, press("ctrl+s")) // answered for this operation: not asked again
	if asking(m) {
		t.Fatal("asked again for the same operation")
	}
	m = chooseOpRow(t, m, "uploadAsset")
	m.composer.SetRequest("POST", uploads.URL+"/upload/9", "", "")
	m = run(t, m, press("ctrl+s"))
	m = run(t, m, press("y"))
	if reqs, auth := uploads.seen(); len(reqs) != 3 || auth[2] != "Bearer "+browseToken {
		t.Errorf("yes: sent %q with %q, want the token on the third", reqs, auth)
	}
	if reqs, _ := api.seen(); len(reqs) != 0 {
		t.Errorf("base_url's server got %q", reqs)
	}
}

// demoBackendText is demoBackend with its config text edited first.
func demoBackendText(t *testing.T, edit func(string) string) *app.Backend {
	t.Helper()
	testEnv(t)
	srv, err := demo.New(demoOpts())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("demo.toml", []byte(edit(demo.Config(demoHost))))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: handlerTransport{srv.Handler()}}
	return app.NewBackend(cfg, func(string) (string, bool) { return "", false }, providers.SessionOptions{Client: client, Now: func() time.Time { return fixedNow }, RefreshBefore: config.DefaultRefreshBefore})
}

// asking reports whether the question about the token and another
// origin is on screen.
func asking(m Model) bool { return strings.Contains(plain(m), "Send your token to") }

// TestSendRefusesUnfilledVariable: a path or query still holding a
// {{name}} the provider's vars do not fill is not sent, and the status
// line names it; one the vars fill goes out filled.
func TestSendRefusesUnfilledVariable(t *testing.T) {
	api := newBrowseAPI(t, func() string { return browseSpec("") })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", "vars = { org = \"acme\" }\n"), 120, 40)
	m.composer.SetRequest("GET", "/orgs/{{org}}/items?owner={{ owner }}", "", "")
	m.focus = paneRequest
	m = run(t, m, press("ctrl+s"))
	if reqs, _ := api.seen(); len(reqs) != 0 || m.sending {
		t.Fatalf("sent %q", reqs)
	}
	if !strings.Contains(m.notice, "{{owner}}") || strings.Contains(m.notice, "{{org}}") {
		t.Errorf("status line: %q, want {{owner}} named, not {{org}}", m.notice)
	}
	m.composer.SetRequest("GET", "/orgs/{{org}}/items?owner=me", "", "")
	m = run(t, m, press("ctrl+s"))
	if reqs, _ := api.seen(); len(reqs) != 1 || reqs[0] != "GET /orgs/acme/items?owner=me" {
		t.Errorf("sent %q", reqs)
	}
}

// TestBrowserDescriptionScrolls: on a small screen the description of an
// operation scrolls in the Response pane, and esc puts the last answer
// back in its place.
func TestBrowserDescriptionScrolls(t *testing.T) {
	var long []string
	for i := range 30 {
		long = append(long, fmt.Sprintf("Line %02d of the description.", i))
	}
	text := strings.Replace(browseSpec(""), "Replaces the item with the body's.", strings.Join(long, `\n`), 1)
	api := newBrowseAPI(t, func() string { return text })
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 80, 24)
	m = chooseOpRow(t, m, "replace")
	m = run(t, m, press("tab"))
	if screen := plain(m); !strings.Contains(screen, "PUT /orgs/{org}/items/{id}") || strings.Contains(screen, "Line 20") {
		t.Fatalf("the description's top is not shown:\n%s", screen)
	}
	for range 20 {
		m = run(t, m, press("down"))
	}
	if screen := plain(m); strings.Contains(screen, "PUT /orgs/{org}/items/{id}  putItem") || !strings.Contains(screen, "Line 20") {
		t.Errorf("down did not scroll the description:\n%s", screen)
	}
	m = run(t, m, press("esc"))
	if screen := plain(m); strings.Contains(screen, "Line 2") || !strings.Contains(screen, "ctrl+s sends the request") {
		t.Errorf("esc did not put the answer's place back:\n%s", screen)
	}
}

// longBodySpec is an API whose createItem takes a body of 30 fields: its
// skeleton is longer than the composer's body area at 120x40.
func longBodySpec() string {
	var props []string
	for i := range 30 {
		props = append(props, fmt.Sprintf(`"field%02d": {"type": "string"}`, i))
	}
	return `{"openapi": "3.1.0", "info": {"title": "Long", "version": "1"},
 "paths": {"/items": {"post": {"operationId": "createItem", "summary": "Create an item", "tags": ["items"],
   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
     "properties": {` + strings.Join(props, ", ") + `}}}}},
   "responses": {"201": {"description": "made"}}}}}}`
}

// TestBrowserLongBodyShowsItsTop: choosing an operation whose body
// skeleton is longer than the body area shows the skeleton from its
// first line, not only its closing braces — also once the composer is
// laid out again, as when tab leaves it (the body area's cursor was left
// at the end, and every relayout scrolled to it).
func TestBrowserLongBodyShowsItsTop(t *testing.T) {
	api := newBrowseAPI(t, longBodySpec)
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = chooseOpRow(t, m, "createItem")
	_, _, _, body := m.composer.Request()
	if n := strings.Count(body, "\n"); n < 30 {
		t.Fatalf("the skeleton has %d lines, want a long one:\n%s", n+1, body)
	}
	for _, k := range []string{"", "tab", "tab"} {
		if k != "" {
			m = run(t, m, press(k))
		}
		if !bodyTopShown(plain(m)) {
			t.Errorf("after %q the body does not show its first lines ({ and \"field00\"):\n%s", k, plain(m))
		}
	}
}

// bodyTopShown says whether screen shows a line ending in { over one
// with "field00".
func bodyTopShown(screen string) bool {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.Contains(l, `"field00"`) {
			return i > 0 && strings.HasSuffix(strings.TrimSpace(strings.Split(lines[i-1], "││")[0]), "{")
		}
	}
	return false
}
