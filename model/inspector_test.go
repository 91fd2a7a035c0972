package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/ui"
)

// sendBig gets /api/big?mb=N from the demo into the response pane.
func (w *world) sendBig(mb string) {
	w.t.Helper()
	w.m = run(w.t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "/api/big?mb="+mb, "", "")
	// A megabyte under the race detector on a busy machine takes longer
	// than run's wait for a command: wait for this one.
	w.m = runWait(w.t, w.m, press("ctrl+s"), 20*time.Second)
	if w.m.ex == nil || w.m.ex.Response == nil || w.m.ex.Response.Status != 200 || w.m.insp.doc == nil {
		w.t.Fatalf("no big response: %+v", w.m.ex)
	}
	w.m.focus = paneResponse
}

// keepHistory gives the model a history file of its own, and selects
// the first provider, which fetches its token: what it sends from then
// on is kept.
func (w *world) keepHistory() *history.History {
	w.t.Helper()
	hist, err := history.Open(w.t.TempDir(), 10)
	if err != nil {
		w.t.Fatal(err)
	}
	w.m.backend.History = hist
	w.m = run(w.t, w.m, press("enter"))
	return hist
}

// typeText types into whatever has the keyboard, running what each key
// starts.
func (w *world) typeText(s string) {
	for _, r := range s {
		w.m = run(w.t, w.m, press(string(r)))
	}
}

func TestSearchFindsTheLastElement(t *testing.T) {
	w := newWorld(t)
	w.sendBig("1")
	w.m = run(t, w.m, press("G"))
	last := lastID(t, plain(w.m))
	w.m = run(t, w.m, press("g"))
	w.m = run(t, w.m, press("/"))
	w.typeText(last)
	if len(w.m.insp.hits) != 1 {
		t.Fatalf("search %q: %d hits", last, len(w.m.insp.hits))
	}
	if !strings.Contains(plain(w.m), `"id": "`+last+`"`) {
		t.Errorf("the hit at the very end is not on screen:\n%s", plain(w.m))
	}
}

func lastID(t *testing.T, screen string) string {
	t.Helper()
	i := strings.LastIndex(screen, `"id": "`)
	if i < 0 {
		t.Fatalf("no id on screen:\n%s", screen)
	}
	rest := screen[i+len(`"id": "`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestHistoryReopenAndResend(t *testing.T) {
	w := newWorld(t)
	hist := w.keepHistory()
	w.m.composer.SetRequest("POST", "/api/items", "Content-Type: application/json", `{"name": "Brass Hinge"}`)
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex.Response.Status != 201 {
		t.Fatalf("POST answered %d", w.m.ex.Response.Status)
	}
	tok := w.m.active().tok.Access.Reveal()
	w.m.composer.SetRequest("GET", "/api/me", "", "")
	w.m = update(t, w.m, press("H"))
	if !hasPopup(w.m, popHistory) || !strings.Contains(plain(w.m), "POST") || !strings.Contains(plain(w.m), "/api/items") {
		t.Fatalf("the history list does not show the POST:\n%s", plain(w.m))
	}
	w.m = run(t, w.m, press("enter"))
	method, path, _, body := w.m.composer.Request()
	if method != "POST" || path != "/api/items" || body != `{"name": "Brass Hinge"}` {
		t.Errorf("reopened request: %s %s %q", method, path, body)
	}
	if w.m.ex == nil || w.m.ex.Response == nil || w.m.ex.Response.Status != 201 || !strings.Contains(plain(w.m), "Brass Hinge") {
		t.Errorf("the reopened answer is not shown:\n%s", plain(w.m))
	}
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex.Response.Status != 201 {
		t.Errorf("resend answered %d", w.m.ex.Response.Status)
	}
	data, err := os.ReadFile(hist.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), tok) || strings.Contains(string(data), tok[len(tok)-20:]) {
		t.Error("the history file holds the token")
	}
}

func TestPastingACurlCommandFillsTheComposer(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.focus = paneRequest
	w.m = update(t, w.m, tea.PasteMsg{Content: `curl -X POST 'http://localhost/api/items?x=1' -H 'Content-Type: application/json' -H "Authorization: Bearer $(keyhole token demo-cc)" --data-raw '{"name":"Vise"}'`})
	method, path, headers, body := w.m.composer.Request()
	if method != "POST" || path != "/api/items?x=1" || body != `{"name":"Vise"}` || !strings.Contains(headers, "Content-Type: application/json") {
		t.Fatalf("import: %s %s %q %q", method, path, headers, body)
	}
	if strings.Contains(headers, "Authorization") {
		t.Errorf("the token substitution was kept as a header: %q", headers)
	}
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex.Response == nil || w.m.ex.Response.Status != 201 {
		t.Errorf("the imported request answered %+v", w.m.ex.Response)
	}
}

func TestCopyAsCurlCarriesNoToken(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.focus = paneRequest
	_, cmd := w.m.Update(press("y"))
	var clip string
	for _, msg := range drain(t, cmd) {
		clip = fmt.Sprint(msg)
	}
	if !strings.Contains(clip, "$(keyhole token demo-cc)") || strings.Contains(clip, w.m.active().tok.Access.Reveal()) {
		t.Errorf("copied curl %q", clip)
	}
}

func TestSaveTheBodyNeverOverwrites(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, press("ctrl+s"))
	w.m.focus = paneResponse
	path := filepath.Join(t.TempDir(), "me.json")
	w.m = run(t, w.m, press("s"))
	w.m = run(t, w.m, press("ctrl+u")) // the suggested name goes
	w.typeText(path)
	w.m = run(t, w.m, press("enter"))
	data, err := os.ReadFile(path)
	if err != nil || string(data) != string(w.m.ex.Response.Body) {
		t.Fatalf("saved %q, %v", data, err)
	}
	w.m = run(t, w.m, press("s"))
	w.m = run(t, w.m, press("ctrl+u"))
	w.typeText(path)
	w.m = run(t, w.m, press("enter"))
	if !strings.Contains(w.m.notice, "does not overwrite") {
		t.Errorf("a second save to the same file: notice %q", w.m.notice)
	}
}

func TestComposerChecksAndFormatsJSONAndOffersSavedRequests(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.focus = paneRequest
	w.m.composer.SetRequest("POST", "/api/items", "Content-Type: application/json", `{"name": "x",}`)
	w.m = settle(t, w.m)
	if !strings.Contains(plain(w.m), "JSON: invalid character") {
		t.Errorf("an invalid JSON body is not flagged:\n%s", plain(w.m))
	}
	w.m.composer.SetRequest("POST", "/api/items", "Content-Type: application/json", `{"name":"x","tags":["a"]}`)
	w.m = settle(t, w.m)
	if !strings.Contains(plain(w.m), "JSON ✓") {
		t.Error("a valid JSON body is not marked valid")
	}
	w.m = update(t, w.m, press("f"))
	if _, _, _, body := w.m.composer.Request(); body != "{\n  \"name\": \"x\",\n  \"tags\": [\n    \"a\"\n  ]\n}" {
		t.Errorf("f did not indent the body: %q", body)
	}
	w.m = update(t, w.m, press("o"))
	if !hasPopup(w.m, popRequests) || !strings.Contains(plain(w.m), "Create an item") {
		t.Fatalf("o did not list the saved requests:\n%s", plain(w.m))
	}
	w.m = update(t, w.m, press("down"))
	w.m = update(t, w.m, press("enter"))
	if method, path, _, _ := w.m.composer.Request(); method != "GET" || path != "/api/items?page=1" {
		t.Errorf("the second saved request loaded as %s %s", method, path)
	}
}

// sendWithTheWrongScheme fetches a token and sends GET /api/me with it
// under the wrong scheme (access_token, not Bearer): the demo refuses it.
func (w *world) sendWithTheWrongScheme() {
	w.t.Helper()
	w.m = run(w.t, w.m, press("enter"))
	w.m.active().Config.Inject = &config.Inject{Header: "Authorization", Prefix: ptr("access_token ")}
	w.m.composer.SetRequest("GET", "/api/me", "", "")
	w.m = run(w.t, w.m, press("ctrl+s"))
}

func TestWhyExplainsA401(t *testing.T) {
	w := newWorld(t)
	w.sendWithTheWrongScheme()
	if w.m.ex.Response == nil || w.m.ex.Response.Status != 401 {
		t.Fatalf("the wrong scheme answered %+v", w.m.ex.Response)
	}
	if !strings.Contains(plain(w.m), "! explains why") {
		t.Error("a 401 does not point at the doctor")
	}
	w.m.focus = paneResponse
	w.m = update(t, w.m, press("!"))
	screen := plain(w.m)
	for _, want := range []string{"Why 401?", "access_token", `prefix = "Bearer "`} {
		if !strings.Contains(screen, want) {
			t.Errorf("the doctor's view lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, w.m.active().tok.Access.Reveal()[40:80]) {
		t.Error("the doctor shows the token")
	}
}

func ptr[T any](v T) *T { return &v }

func TestQueryParametersHaveTheirOwnField(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "/api/items?page=1", "", "")
	w.m = settle(t, w.m)
	if !strings.Contains(plain(w.m), "Query") || !strings.Contains(plain(w.m), "page=1") {
		t.Fatalf("the query is not its own field:\n%s", plain(w.m))
	}
	w.m.focus, w.m.composer.Field = paneRequest, ui.FieldQuery
	w.m = update(t, w.m, press("enter"))
	w.m = update(t, w.m, tea.KeyPressMsg{Code: tea.KeyEnter}) // a new line in the query field
	w.typeText("per_page=3")
	w.m = update(t, w.m, press("esc"))
	w.m = run(t, w.m, press("ctrl+s"))
	if got := w.m.ex.Sent.URL.RawQuery; got != "page=1&per_page=3" {
		t.Errorf("sent query %q, want page=1&per_page=3", got)
	}
}
