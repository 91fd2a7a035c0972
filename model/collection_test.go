package model

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// newCollAPI is an API of the test's own on 127.0.0.1 that records what
// it is sent and answers JSON: POST /items with an id and a credential
// field, anything else with what it was sent.
func newCollAPI(t *testing.T) *exchangetest.Recorder {
	t.Helper()
	return exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost && r.URL.Path == "/items" {
			fmt.Fprint(w, `{"data":{"id":"it-77","access_token":"srv-minted-secret-5150"}}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"path": r.URL.Path, "query": r.URL.RawQuery})
	})
}

// staticProvider is a provider on base whose token is tok.
func staticProvider(name, base, tok, extra string) string {
	return fmt.Sprintf("\n[providers.%s]\nbase_url = %q\ngrant = \"static\"\ntoken = %q\n%s\n", name, base, tok, extra)
}

// collModel is a model on cfgText whose collection is co, at w×h, its
// first provider in use with its token.
func collModel(t *testing.T, cfgText string, co CollectionOptions, w, h int) Model {
	t.Helper()
	testEnv(t)
	b := configBackend(t, "coll.toml", cfgText, nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	m := New(Options{Label: "coll.toml", Backend: b, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC, Collection: co})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return run(t, m, press("enter"))
}

// writeFile writes a file of the test's folder.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// chooseRow opens the picker, types filter and chooses the row it
// ranks first.
func chooseRow(t *testing.T, m Model, filter string) Model {
	t.Helper()
	m = run(t, m, press("o"))
	if !hasPopup(m, popRequests) {
		t.Fatalf("o opened no picker: %q\n%s", m.notice, plain(m))
	}
	return enterLine(t, m, filter)
}

// jetBrainsFile is a file written for the JetBrains HTTP Client and VS
// Code: file variables, a GET short form, a JavaScript handler, a block
// that does not parse, and words that try to drive the terminal.
const jetBrainsFile = `@host = {{base}}
@who = world

### list items
GET {{host}}/items?who={{who}}
Accept: application/json

> {%
  client.global.set("id", response.body.id);
%}

### create item
# @name create
POST {{host}}/items
Content-Type: application/json

{"name": "{{$uuid}}"}

### broken
GET http://x/ HTTP/1.1 trailing words

### evil` + "\x1b]52;c;ZXZpbA==\x07" + `
GET {{host}}/evil` + "\x1b[2J" + `
`

// TestPickerListsTheCollection: o lists the requests of the working
// folder's .http files under their file's name, method, URL as written and
// name, made safe to draw; a block that does not parse is a row that says
// FILE:LINE: reason when chosen, and what is kept but not run says so.
func TestPickerListsTheCollection(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "items.http", jetBrainsFile)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)

	m = run(t, m, press("o"))
	screen := plain(m)
	for _, want := range []string{"Collection · items.http", "GET", "{{host}}/items?who={{who}}", "list items", "POST", "create", "does not parse  line", "kept, not run  "} {
		if !strings.Contains(screen, want) {
			t.Errorf("the picker lacks %q:\n%s", want, screen)
		}
	}
	if strings.ContainsAny(m.View().Content, "\x07") || strings.Contains(m.View().Content, "\x1b]52") || strings.Contains(m.View().Content, "\x1b[2J") {
		t.Error("a .http file's escape sequences reach the terminal")
	}

	m = enterLine(t, m, "does not parse")
	text := plain(m)
	if !hasPopup(m, popText) || !strings.Contains(strings.ReplaceAll(text, "\n", ""), path+":") {
		t.Fatalf("the problem row, chosen, does not say FILE:LINE: reason:\n%s", text)
	}
	if !strings.Contains(text, "items.http:21:") && !strings.Contains(text, "items.http:23:") {
		t.Errorf("the problem's line is not said:\n%s", text)
	}
}

// TestChoosingACollectionRequestFillsTheComposer: a request chosen fills
// the composer as written ({{…}} left for the send) and makes its
// provider (# @provider) the one in use.
func TestChoosingACollectionRequestFillsTheComposer(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "api/other.http", "### make one\n# @provider other\nPOST /things?x={{x}}\nContent-Type: application/json\nX-Trace: {{$uuid}}\n\n{\"a\": 1}\n")
	cfg := staticProvider("api", api.URL, "tok-api-1111", "") + staticProvider("other", api.URL, "tok-other-2222", "") + "\n[settings]\ncollections = [\"api/\"]\n"
	m := collModel(t, cfg, CollectionOptions{Patterns: []string{"api/"}, Base: dir}, 120, 40)
	if m.active().name != "api" {
		t.Fatalf("in use: %s", m.active().name)
	}
	m = chooseRow(t, m, "make one")
	method, target, headers, body := m.composer.Request()
	if method != "POST" || target != "/things?x={{x}}" || headers != "Content-Type: application/json\nX-Trace: {{$uuid}}" || body != `{"a": 1}` {
		t.Errorf("composer: %s %s\n%s\n%s", method, target, headers, body)
	}
	if m.active().name != "other" {
		t.Errorf("in use after choosing: %s, want other (# @provider)", m.active().name)
	}
	if m.focus != paneRequest || !strings.Contains(m.notice, "api/other.http:3") {
		t.Errorf("focus %v, status %q", m.focus, m.notice)
	}
}

// TestSendExpandsEveryVariable: a send expands the file's @vars, the
// environment's variables (the private env file's masked), dynamic
// variables and captures; an unset one is refused, naming it, and
// nothing is sent with braces in it; a secret value shows nowhere on
// screen and is not written to history.
func TestSendExpandsEveryVariable(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "items.http", "@host = {{base}}\n\n### echo\n# @name echo\nGET {{host}}/echo/{{$uuid}}?who={{who}}\nX-Key: {{api_key}}\n")
	writeFile(t, dir, "http-client.env.json", `{"dev": {"who": "devs"}}`)
	writeFile(t, dir, "http-client.private.env.json", `{"dev": {"api_key": "pk-private-9876543"}}`)
	rec, hist := sendEchoInDev(t, dir, staticProvider("api", api.URL, "tok-api-1111", fmt.Sprintf("vars = { base = %q }", api.URL)))

	reqs := api.All()
	if len(reqs) != 1 {
		t.Fatalf("%d requests sent, want 1: %q", len(reqs), rec.m.notice)
	}
	r := reqs[0]
	if !strings.HasPrefix(r.Path, "/echo/") || len(r.Path) != len("/echo/")+36 || r.Query != "who=devs" || r.Header.Get("X-Key") != "pk-private-9876543" {
		t.Errorf("sent %s ?%s X-Key %q", r.Path, r.Query, r.Header.Get("X-Key"))
	}
	if r.Header.Get("Authorization") != "Bearer tok-api-1111" {
		t.Errorf("Authorization %q, want the provider's token", r.Header.Get("Authorization"))
	}
	rec.noLeak("pk-private-9876543")
	oneEntryWithout(t, hist, "pk-private-9876543")

	// An unset variable: refused, named, nothing sent.
	rec.m.composer.SetRequest("GET", "/items/{{nowhere}}", "", "")
	rec.send(press("ctrl+s"))
	if len(api.All()) != 1 || !strings.Contains(rec.m.notice, "{{nowhere}}") || !strings.Contains(rec.m.notice, "not sent") {
		t.Errorf("an unset variable: %d requests, status %q", len(api.All()), rec.m.notice)
	}
	// One inside a variable's value is known only at send: still refused.
	rec.m.composer.SetRequest("GET", "/items/{{inner}}", "", "")
	rec.m.captures = nil
	rec.m.from.file.Vars = append(rec.m.from.file.Vars, httpfile.Var{Name: "inner", Value: "{{missing}}", Line: 1})
	rec.send(press("ctrl+s"))
	if len(api.All()) != 1 || rec.m.ex == nil || rec.m.ex.Err == nil || !strings.Contains(rec.m.ex.Err.Error(), "{{missing}}") {
		t.Errorf("a variable of a variable unset: %d requests, exchange %+v", len(api.All()), rec.m.ex)
	}
}

// TestAuthTokenGoesExactlyThere: {{$auth.token("other")}} in a header
// puts other's token there and nowhere else — no second Authorization,
// not the provider in use's — to the URL's origin; plain http to a host
// that is not loopback is refused before anything is sent.
func TestAuthTokenGoesExactlyThere(t *testing.T) {
	api := newCollAPI(t)
	other := newCollAPI(t)
	cfg := staticProvider("api", api.URL, "tok-api-1111", "") + staticProvider("other", other.URL, "tok-other-2222", "")
	m := collModel(t, cfg, CollectionOptions{}, 120, 40)
	m.composer.SetRequest("GET", other.URL+"/me", `X-Auth: Token {{$auth.token("other")}}`, "")
	m = settle(t, m)
	if !strings.Contains(plain(m), "other's token where {{$auth.token}} stands") {
		t.Errorf("the composer does not say where the token goes:\n%s", plain(m))
	}
	m = run(t, m, press("ctrl+s"))
	got := other.All()
	if len(got) != 1 || len(api.All()) != 0 {
		t.Fatalf("sent %d to other, %d to api: %q %+v", len(got), len(api.All()), m.notice, m.ex)
	}
	if got[0].Header.Get("X-Auth") != "Token tok-other-2222" || got[0].Header.Get("Authorization") != "" {
		t.Errorf("X-Auth %q, Authorization %q", got[0].Header.Get("X-Auth"), got[0].Header.Get("Authorization"))
	}
	if strings.Contains(plain(m), "tok-other-2222") {
		t.Errorf("the token shows:\n%s", plain(m))
	}

	// Plain http to a host that is not loopback: refused, never dialled.
	m.composer.SetRequest("GET", "http://api.example.test/me", `Authorization: Bearer {{$auth.token("other")}}`, "")
	m = settle(t, m)
	if !strings.Contains(plain(m), `Authorization: Bearer {{$auth.token("other")}}`) {
		t.Errorf("the composer masks a header that only names the token:\n%s", plain(m))
	}
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Err == nil || !strings.Contains(m.ex.Err.Error(), "loopback") || m.ex.Sent.URL != nil {
		t.Errorf("http to another host: %+v", m.ex)
	}
}

// TestCaptureAVariableFromTheResponse: C captures the value under the
// path filter as a variable a later send uses; one from a credential
// field is masked in the picker's list and on the status line.
func TestCaptureAVariableFromTheResponse(t *testing.T) {
	api := newCollAPI(t)
	testEnv(t)
	rec := record(t, configBackend(t, "coll.toml", staticProvider("api", api.URL, "tok-api-1111", ""), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }}),
		Options{Redact: true}, 120, 40)
	rec.send(press("enter"))
	rec.m.composer.SetRequest("POST", "/items", "Content-Type: application/json", `{}`)
	rec.send(press("ctrl+s"))
	rec.m.setFocus(paneResponse)

	capture := func(path, name string) {
		rec.send(press("f"))
		if !hasPopup(rec.m, popFilter) {
			t.Fatalf("f opened no filter: %q\n%s", rec.m.notice, plain(rec.m))
		}
		for range 30 {
			rec.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
		for _, r := range path {
			rec.send(press(string(r)))
		}
		rec.send(press("enter"))
		rec.send(press("C"))
		if !hasPopup(rec.m, popCapture) {
			t.Fatalf("C opened no prompt: %q", rec.m.notice)
		}
		if name != "" {
			for range 20 {
				rec.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
			}
			for _, r := range name {
				rec.send(press(string(r)))
			}
		}
		rec.send(press("enter"))
	}
	capture("data.id", "item")
	if !strings.Contains(rec.m.notice, "{{item}} = it-77") {
		t.Errorf("status after C: %q", rec.m.notice)
	}
	capture("data.access_token", "")
	if !strings.Contains(rec.m.notice, "{{access_token}} = ••••") {
		t.Errorf("status after capturing a credential: %q", rec.m.notice)
	}
	rec.send(press("o"))
	screen := plain(rec.m)
	if !strings.Contains(screen, "{{item}}") || !strings.Contains(screen, "it-77") || !strings.Contains(screen, "{{access_token}}") {
		t.Errorf("the picker does not list the variables:\n%s", screen)
	}
	rec.send(press("esc"))
	rec.send(press("esc"))

	rec.m.composer.SetRequest("GET", "/items/{{item}}", "X-Echo: {{access_token}}", "")
	rec.send(press("ctrl+s"))
	got := api.All()
	if last := got[len(got)-1]; last.Path != "/items/it-77" || last.Header.Get("X-Echo") != "srv-minted-secret-5150" {
		t.Errorf("sent %s with X-Echo %q", last.Path, last.Header.Get("X-Echo"))
	}
	// The server's answer held the credential: the screen masks it
	// everywhere after the capture, as the response pane already did.
	if !strings.Contains(plain(rec.m), "X-Echo: ••••") {
		t.Errorf("the request as sent does not mask the captured credential:\n%s", plain(rec.m))
	}
	rec.frames = rec.frames[len(rec.frames)-1:]
	rec.noLeak("srv-minted-secret-5150")
}

// TestAServersBracesAreNotExpanded: a value captured from an answer that
// holds "{{…}}" is sent as it stands — neither expanded nor filled from
// the provider's vars.
func TestAServersBracesAreNotExpanded(t *testing.T) {
	api := newCollAPI(t)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", `vars = { base = "filled-from-vars" }`), CollectionOptions{}, 120, 40)
	m.setCapture("item", "{{base}}-{{$processEnv HOME}}", false)
	m.composer.SetRequest("POST", "/items/{{item}}", "X-Item: {{item}}", `{"id": "{{item}}"}`)
	m = run(t, m, press("ctrl+s"))
	got := api.All()
	if len(got) != 1 {
		t.Fatalf("%d requests: %q", len(got), m.notice)
	}
	want := "{{base}}-{{$processEnv HOME}}"
	if g := got[0]; g.Header.Get("X-Item") != want || g.Body != `{"id": "`+want+`"}` {
		t.Errorf("sent X-Item %q, body %s", g.Header.Get("X-Item"), g.Body)
	}
}

// clipboardOf runs the command of msg's Update and what its message
// starts, and returns what reached the clipboard.
func clipboardOf(t *testing.T, m Model, msg tea.Msg) (Model, string) {
	t.Helper()
	nm, cmd := m.Update(msg)
	m = nm.(Model)
	var out []string
	queue := drain(t, cmd)
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		if c, ok := next.(curlMsg); ok {
			nm, cmd := m.Update(c)
			m = nm.(Model)
			queue = append(queue, drain(t, cmd)...)
			continue
		}
		out = append(out, fmt.Sprint(next))
	}
	return m, strings.Join(out, "\n")
}

// TestCopyAsCurlExpandsVariables: y on a request with {{…}} copies it
// expanded, a secret value masked while redacting; a $auth.token request
// is not exported.
func TestCopyAsCurlExpandsVariables(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "http-client.private.env.json", `{"$shared": {"api_key": "pk-curl-secret-31337"}}`)
	env, err := collenv.Build(nil, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m.setEnvironment(env)
	m.setCapture("id", "it-5", false)
	m.setFocus(paneRequest)
	m.composer.SetRequest("GET", "/items/{{id}}", "X-Key: {{api_key}}", "")
	m, clip := clipboardOf(t, m, press("y"))
	if !strings.Contains(clip, "/items/it-5") || strings.Contains(clip, "pk-curl-secret-31337") || !strings.Contains(clip, "X-Key: ••••") {
		t.Errorf("copied while redacting:\n%s\nstatus %q", clip, m.notice)
	}
	m = run(t, m, press("ctrl+r"))
	m, clip = clipboardOf(t, m, press("y"))
	if !strings.Contains(clip, "pk-curl-secret-31337") {
		t.Errorf("copied with secrets shown:\n%s", clip)
	}
	m.composer.SetRequest("GET", api.URL+"/me", `Authorization: Bearer {{$auth.token("api")}}`, "")
	m, clip = clipboardOf(t, m, press("y"))
	if clip != "" || !strings.Contains(m.notice, "not exported") {
		t.Errorf("a $auth.token request copied: %q, status %q", clip, m.notice)
	}
}

// TestTemplateOnly: a credential header shows unmasked only when it holds
// references and, at most, a scheme before them; text joined to a
// reference may be part of a secret.
func TestTemplateOnly(t *testing.T) {
	for v, want := range map[string]bool{
		`Bearer {{$auth.token("x")}}`: true, `{{key}}`: true, `{{a}}{{b}}`: true, `Token {{a}}`: true,
		`sk_{{x}}`: false, `Basic dXNl {{x}}`: false, `Bearer abc`: false, `{{x}} tail`: false, `Bearer {{x}}abc`: false, `ab1 {{x}}`: false,
	} {
		if got := templateOnly(v); got != want {
			t.Errorf("templateOnly(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestAChainAcrossRequests: a request's # @capture lines run on its
// answer in the TUI as in keyhole run, and VS Code's response references
// read the last answer of a named request: the next request chosen uses
// both.
func TestAChainAcrossRequests(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "chain.http", `### create
# @name create
# @provider api
POST /items
Content-Type: application/json

{}

# @capture item_id = data.id
# @capture tok = data.access_token

### read
# @provider api
GET /items/{{item_id}}?again={{create.response.body.$.data.id}}
X-Tok: {{tok}}
`)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m = chooseRow(t, m, "create")
	m = run(t, m, press("ctrl+s"))
	if !strings.Contains(m.notice, "{{item_id}}") || strings.Contains(m.notice, "srv-minted-secret-5150") {
		t.Errorf("status after the captures: %q", m.notice)
	}
	m = chooseRow(t, m, "read")
	m = run(t, m, press("ctrl+s"))
	got := api.All()
	if len(got) != 2 {
		t.Fatalf("%d requests: %q", len(got), m.notice)
	}
	if g := got[1]; g.Path != "/items/it-77" || g.Query != "again=it-77" || g.Header.Get("X-Tok") != "srv-minted-secret-5150" {
		t.Errorf("sent %s?%s X-Tok %q", g.Path, g.Query, g.Header.Get("X-Tok"))
	}
	if strings.Contains(m.View().Content, "srv-minted-secret-5150") {
		t.Errorf("a captured credential shows:\n%s", plain(m))
	}
}

// TestABodyFileIsReadAtSend: a body part `< ./file` shows as that line in
// the composer and is read from beside the .http file when sent; `<@`
// substitutes its variables; a body edited since is sent as typed.
func TestABodyFileIsReadAtSend(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "bodies/item.json", `{"name": "{{who}}"}`)
	writeFile(t, dir, "files.http", "@who = ann\n\n### raw\n# @provider api\nPOST /raw\nContent-Type: application/json\n\n< ./bodies/item.json\n\n### sub\n# @provider api\nPOST /sub\nContent-Type: application/json\n\n<@ ./bodies/item.json\n")
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m = chooseRow(t, m, "raw")
	if _, _, _, body := m.composer.Request(); body != "< ./bodies/item.json" {
		t.Errorf("the composer's body: %q", body)
	}
	m = run(t, m, press("ctrl+s"))
	m = chooseRow(t, m, "sub")
	m = run(t, m, press("ctrl+s"))
	m.composer.SetRequest("POST", "/sub", "Content-Type: application/json", `{"typed": true}`)
	m = run(t, m, press("ctrl+s"))
	got := api.All()
	if len(got) != 3 {
		t.Fatalf("%d requests: %q", len(got), m.notice)
	}
	for i, want := range []string{`{"name": "{{who}}"}`, `{"name": "ann"}`, `{"typed": true}`} {
		if got[i].Body != want {
			t.Errorf("request %d sent %s, want %s", i, got[i].Body, want)
		}
	}
}

// oneEntryWithout fails t unless hist holds exactly one entry, the send
// just made, and that entry does not hold value: a private env file's
// value is never written to history.
func oneEntryWithout(t *testing.T, hist *history.History, value string) {
	t.Helper()
	list := hist.List()
	if len(list) != 1 {
		t.Fatalf("history holds %d entries", len(list))
	}
	if data, _ := json.Marshal(list[0]); strings.Contains(string(data), value) {
		t.Errorf("history holds the private env file's value: %s", data)
	}
}

// sendEchoInDev starts keyhole on cfg with the environment "dev" of the
// env files in dir and a history of its own, chooses the collection's
// request "echo" and sends it; it returns the recording and the history.
func sendEchoInDev(t *testing.T, dir, cfg string) (*recorder, *history.History) {
	t.Helper()
	parsed, err := config.Parse("coll.toml", []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	env, err := collenv.Build(parsed, "dev", dir)
	if err != nil {
		t.Fatal(err)
	}
	testEnv(t)
	b := configBackend(t, "coll.toml", cfg, nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	hist, err := history.Open(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	b.History = hist
	rec := record(t, b, Options{Redact: true, Environment: env, Collection: CollectionOptions{WorkDir: dir}}, 120, 40)
	rec.send(press("enter"))
	rec.m = chooseRow(t, rec.m, "echo")
	rec.send(press("ctrl+s"))
	return rec, hist
}
