package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/keyhole-sh/keyhole/exchange/document"
)

// contractSpec documents widgets: a 200 with a schema, 4XX as a range
// by $ref, and an operation with nothing documented for errors.
const contractSpec = `{"openapi": "3.1.0", "info": {"title": "Widgets", "version": "1"},
 "components": {"schemas": {"Widget": {"type": "object", "required": ["id", "name"], "properties": {
     "id": {"type": "integer"},
     "name": {"type": "string", "maxLength": 12},
     "tags": {"type": "array", "items": {"type": "string"}},
     "owner": {"type": ["string", "null"], "format": "email"}}}},
   "responses": {"Problem": {"description": "A problem, as RFC 9457 says.", "content": {"application/problem+json": {"schema": {"type": "object", "required": ["title"]}}}}}},
 "paths": {
  "/widgets/{id}": {"get": {"operationId": "getWidget", "summary": "One widget",
    "responses": {"200": {"description": "The widget.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
      "4XX": {"$ref": "#/components/responses/Problem"}}}},
  "/plain": {"get": {"operationId": "plain", "responses": {"200": {"description": "ok"}}}}
 }}`

// contractAPI is a server of the test's own: its spec, a widget that
// breaks the schema three ways (one of them a too-long name that is the
// provider's token echoed back), a 404 and an answer to anything else.
func contractAPI(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/openapi.json":
			fmt.Fprint(w, contractSpec)
		case "/widgets/7":
			fmt.Fprintf(w, `{"id": "seven", "name": %q, "tags": ["a", 2], "owner": null}`, browseToken)
		case "/widgets/9":
			// A server's text on its way to the terminal: an OSC title
			// and a bell in a value, a clear-screen in a key.
			fmt.Fprint(w, `{"id": 9, "name": "\u001b]0;pwned\u0007 and more", "tags": [{"\u001b[2J": 1}]}`)
		case "/widgets/8":
			fmt.Fprint(w, `{"id": 8, "name": "fine", "tags": [], "owner": "a@example.com"}`)
		case "/widgets/404":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"detail": "no such widget"}`)
		default:
			fmt.Fprint(w, `{}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// contractModel has sent GET path to the contract API and focused the
// response pane.
func contractModel(t *testing.T, w, h int, path string) Model {
	t.Helper()
	api := contractAPI(t)
	m := browseModel(t, browseProvider("widgets", api.URL, api.URL+"/openapi.json", ""), w, h)
	m.composer.SetRequest("GET", path, "Accept: application/json", "")
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Response == nil {
		t.Fatalf("no answer to GET %s: %v", path, m.ex)
	}
	m.setFocus(paneResponse)
	return m
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestContractCheckListsEachViolation: V on a body that breaks three
// rules lists three findings with their JSON paths; the one that quotes
// the token echoed back shows it masked. The spec was never loaded
// before V: V loads it and then checks.
func TestContractCheckListsEachViolation(t *testing.T) {
	m := contractModel(t, 120, 40, "/widgets/7")
	m = run(t, m, press("V"))
	if !hasPopup(m, popText) {
		t.Fatalf("V opened nothing; notice %q\n%s", m.notice, plain(m))
	}
	screen := flat(plain(m))
	for _, want := range []string{"3 violations", "$.id type: a string where the spec says integer", "$.name maxLength:", "$.tags[1] type: an integer where the spec says string"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the findings lack %q:\n%s", want, plain(m))
		}
	}
	for _, leak := range leakForms(browseToken) {
		if strings.Contains(m.View().Content, leak) {
			t.Errorf("the token shows on screen as %q:\n%s", leak, plain(m))
		}
	}
	if strings.Contains(screen, "owner") {
		t.Errorf("a null owner is allowed by type [string, null]:\n%s", plain(m))
	}
	// ctrl+r shows what the server sent, and masks it again.
	m = run(t, m, press("ctrl+r"))
	if !strings.Contains(plain(m), browseToken) {
		t.Errorf("ctrl+r: the value is still masked:\n%s", plain(m))
	}
	m = run(t, m, press("ctrl+r"))
	if strings.Contains(plain(m), browseToken) {
		t.Errorf("ctrl+r twice: the token shows:\n%s", plain(m))
	}
}

// TestContractCheckPasses: a body that keeps the schema says so.
func TestContractCheckPasses(t *testing.T) {
	m := contractModel(t, 120, 40, "/widgets/8")
	m = run(t, m, press("V"))
	if !strings.Contains(flat(plain(m)), "The body matches the documented 200 schema") {
		t.Errorf("V on a good body:\n%s", plain(m))
	}
}

// TestContractDocumentedRange: D on a 404 shows the 4XX response the
// operation documents by $ref, its media type and its schema.
func TestContractDocumentedRange(t *testing.T) {
	m := contractModel(t, 120, 40, "/widgets/404")
	m = run(t, m, press("D"))
	screen := flat(plain(m))
	for _, want := range []string{"404 → 4XX of GET /widgets/{id}", "A problem, as RFC 9457 says.", "application/problem+json · schema:", `"required": [`} {
		if !strings.Contains(screen, want) {
			t.Errorf("D lacks %q:\n%s", want, plain(m))
		}
	}
	m = run(t, m, press("esc"))
	m = run(t, m, press("V"))
	if !strings.Contains(flat(plain(m)), `$ required: "title" is missing`) {
		t.Errorf("V on the 404:\n%s", plain(m))
	}
}

// TestContractNoDocumentedResponse: a path the spec does not have, or
// a status its operation does not document, is said plainly.
func TestContractNoDocumentedResponse(t *testing.T) {
	m := contractModel(t, 120, 40, "/nothing/here")
	m = run(t, m, press("V"))
	if hasPopup(m, popText) || !strings.Contains(m.notice, "no documented response for this request") {
		t.Errorf("V on an unknown path: notice %q", m.notice)
	}
	m = contractModel(t, 120, 40, "/plain")
	m = run(t, m, press("D"))
	if !strings.Contains(plain(m), "ok") || !hasPopup(m, popText) {
		t.Errorf("D on /plain:\n%s", plain(m))
	}
	m = run(t, m, press("esc"))
	m = run(t, m, press("V"))
	if !strings.Contains(m.notice, "nothing to check") {
		t.Errorf("V with no schema: notice %q", m.notice)
	}
}

// TestContractNeedsASpec: a provider without openapi says so.
func TestContractNeedsASpec(t *testing.T) {
	w := demoResponse(t, 120, 40)
	w.m.setFocus(paneResponse)
	e := w.m.active()
	e.Config.OpenAPI = ""
	w.m = run(t, w.m, press("D"))
	if !strings.Contains(w.m.notice, "no documented response for this request: the provider has no openapi spec") {
		t.Errorf("D without a spec: notice %q", w.m.notice)
	}
}

// TestContractDemoBodyMatches: the demo's page of items keeps the
// demo's own schema.
func TestContractDemoBodyMatches(t *testing.T) {
	w := demoResponse(t, 120, 40)
	w.m.setFocus(paneResponse)
	w.m = run(t, w.m, press("V"))
	if !strings.Contains(flat(plain(w.m)), "The body matches the documented 200 schema") {
		t.Errorf("V on the demo's items:\n%s", plain(w.m))
	}
}

// contractScreen is the demo's page of items with a body that breaks its
// schema in its place, then V: the findings over the screen.
func contractScreen(t *testing.T, w, h int) string {
	t.Helper()
	wo := demoResponse(t, w, h)
	body := []byte(`{"items": [{"id": "item-1", "name": "", "price": -1, "tags": ["x"]}], "page": "1", "per_page": 20, "total": 1, "total_pages": 1, "next": null}`)
	resp := *wo.m.ex.Response
	resp.Body = body
	ex := *wo.m.ex
	ex.Response = &resp
	wo.m.ex = &ex
	wo.m.newBody(buildDocs(body, "application/json", document.ModePretty, nil), nil)
	wo.m.setFocus(paneResponse)
	wo.m = run(t, wo.m, press("V"))
	return plain(wo.m)
}

// TestGoldenContract: the findings at 120×40 and 80×24.
func TestGoldenContract(t *testing.T) {
	t.Run("Wide", func(t *testing.T) { golden.RequireEqual(t, contractScreen(t, 120, 40)) })
	t.Run("Narrow", func(t *testing.T) { golden.RequireEqual(t, contractScreen(t, 80, 24)) })
}

// TestContractHostileTextIsSanitized: a value and a key with terminal
// escapes in them reach the findings as text, never as escapes.
func TestContractHostileTextIsSanitized(t *testing.T) {
	m := contractModel(t, 120, 40, "/widgets/9")
	m = run(t, m, press("V"))
	screen := flat(plain(m))
	for _, want := range []string{"2 violations", "$.name maxLength:", "$.tags[0] type: an object"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the findings lack %q:\n%s", want, plain(m))
		}
	}
	if v := m.View().Content; strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\a") || strings.Contains(v, "\x1b[2J") {
		t.Errorf("a server's escape reached the terminal: %q", v)
	}
}

// TestContractChecksOffTheLoop: with the spec in hand, V's Update does
// no checking itself: it returns a command, and the findings come as
// its message.
func TestContractChecksOffTheLoop(t *testing.T) {
	m := contractModel(t, 120, 40, "/widgets/7")
	m = run(t, m, press("D")) // loads the spec
	m = run(t, m, press("esc"))
	nm, cmd := m.Update(press("V"))
	m = nm.(Model)
	if cmd == nil || hasPopup(m, popText) {
		t.Fatalf("V checked inside Update (popup %v, command %v)", hasPopup(m, popText), cmd != nil)
	}
	m, _ = await[contractMsg](t, m, cmd)
	if !strings.Contains(flat(plain(m)), "3 violations") {
		t.Errorf("the command's findings:\n%s", plain(m))
	}
}

// TestContractAfterChoosingAnOperation: an operation chosen in the
// picker, its {{id}} filled from vars and sent, gets its documented
// response with D.
func TestContractAfterChoosingAnOperation(t *testing.T) {
	api := contractAPI(t)
	m := browseModel(t, browseProvider("widgets", api.URL, api.URL+"/openapi.json", `vars = { id = "8" }`), 120, 40)
	m = run(t, m, press("o"))
	for _, r := range "getWidget" {
		m = run(t, m, press(string(r)))
	}
	m = run(t, m, press("enter"))
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Response == nil || m.ex.Sent.URL.Path != "/widgets/8" {
		t.Fatalf("the chosen operation was not sent: %+v", m.ex)
	}
	m.setFocus(paneResponse)
	m = run(t, m, press("D"))
	if screen := flat(plain(m)); !strings.Contains(screen, "200 → 200 of GET /widgets/{id}") || !strings.Contains(screen, "The widget.") {
		t.Errorf("D after choosing getWidget:\n%s", plain(m))
	}
}
