package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/collection"
)

// itemsFile is a collection file written by hand for other tools, which
// a save must leave byte for byte: comments, a JavaScript handler, CRLF
// lines, and no final newline.
const itemsFile = "// shared with the team\r\n@host = https://api.example.test\r\n\r\n### list\r\nGET {{host}}/items\r\n\r\n> {% client.test(\"ok\", () => {}); %}\r\n\r\n# trailing comment, no newline"

// TestSaveRequestIntoACollectionFile: S saves the composed request into a
// file of the collection: appended as a ### block with its name, the
// file's bytes before it untouched; a credential header and a JSON
// password are written as {{x_api_key}} and {{password}}, their values
// going into http-client.private.env.json beside the file, merged with
// what it held, 0600; the provider's own token is not written at all.
func TestSaveRequestIntoACollectionFile(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "items.http", itemsFile)
	privPath := writeFile(t, dir, "http-client.private.env.json", `{"$shared": {"other": "keep-me", "password": "an-older-one"}, "prod": {"x": 1}}`)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m.setFocus(paneRequest)
	m.composer.SetRequest("POST", "/login?api_key=qk-in-the-query-42", "Content-Type: application/json\nX-Api-Key: key-abcdef-123456\nAuthorization: Bearer tok-api-1111",
		`{"user": "ann", "password": "hunter2-secret"}`)

	m = run(t, m, press("S"))
	if !hasPopup(m, popSaveFile) || !strings.Contains(plain(m), "items.http") || !strings.Contains(plain(m), "new file…") {
		t.Fatalf("S opened no file picker listing the collection:\n%s", plain(m))
	}
	m = enterLine(t, m, "items")
	if !hasPopup(m, popSaveName) {
		t.Fatalf("no name asked:\n%s", plain(m))
	}
	m = enterLine(t, m, "log in")
	if !strings.Contains(m.notice, "saved log in to items.http") || !strings.Contains(m.notice, "keep http-client.private.env.json out of version control") || !strings.Contains(m.notice, "Authorization not written") {
		t.Errorf("status line: %q", m.notice)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), itemsFile) {
		t.Fatalf("the file's bytes before the new block changed:\n%q", data)
	}
	for _, secretValue := range []string{"key-abcdef-123456", "hunter2-secret", "tok-api-1111", "qk-in-the-query-42"} {
		if strings.Contains(string(data), secretValue) {
			t.Errorf("the .http file holds %q:\n%s", secretValue, data)
		}
	}
	f, err := collection.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Requests) != 2 || len(f.Problems) != 0 {
		t.Fatalf("read back: %d requests, problems %v", len(f.Requests), f.Problems)
	}
	r := f.Requests[1]
	if r.Name != "log in" || r.Method != "POST" || r.URL != "/login?api_key={{api_key}}" || r.Provider != "api" {
		t.Errorf("read back: %q %s %s provider %q", r.Name, r.Method, r.URL, r.Provider)
	}
	var hdr []string
	for _, h := range r.Headers {
		hdr = append(hdr, h.Name+": "+h.Value)
	}
	if got := strings.Join(hdr, "\n"); got != "Content-Type: application/json\nX-Api-Key: {{x_api_key}}" {
		t.Errorf("headers read back:\n%s", got)
	}
	if body := r.BodyText(); body != `{"user": "ann", "password": "{{password_2}}"}` {
		t.Errorf("body read back: %s", body)
	}

	fi, err := os.Stat(privPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("private env file mode %04o", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(privPath)
	var priv map[string]map[string]any
	if err := json.Unmarshal(raw, &priv); err != nil {
		t.Fatalf("private env file: %v\n%s", err, raw)
	}
	want := map[string]any{"other": "keep-me", "password": "an-older-one", "password_2": "hunter2-secret", "x_api_key": "key-abcdef-123456", "api_key": "qk-in-the-query-42"}
	for k, v := range want {
		if priv["$shared"][k] != v {
			t.Errorf("$shared.%s = %v, want %v\n%s", k, priv["$shared"][k], v, raw)
		}
	}
	if priv["prod"]["x"] != float64(1) {
		t.Errorf("the prod environment was not kept:\n%s", raw)
	}

	// o lists the request saved, and it sends as it was composed: the
	// values saved are this session's variables.
	m = chooseRow(t, m, "log in")
	m = run(t, m, press("ctrl+s"))
	got := api.All()
	if len(got) != 1 {
		t.Fatalf("the request saved, chosen and sent: %d requests, status %q", len(got), m.notice)
	}
	if g := got[0]; g.Path != "/login" || g.Query != "api_key=qk-in-the-query-42" || g.Header.Get("X-Api-Key") != "key-abcdef-123456" ||
		g.Body != `{"user": "ann", "password": "hunter2-secret"}` || g.Header.Get("Authorization") != "Bearer tok-api-1111" {
		t.Errorf("sent %s?%s X-Api-Key %q Authorization %q body %s", g.Path, g.Query, g.Header.Get("X-Api-Key"), g.Header.Get("Authorization"), g.Body)
	}
	for _, s := range []string{"key-abcdef-123456", "hunter2-secret", "qk-in-the-query-42"} {
		if strings.Contains(m.View().Content, s) {
			t.Errorf("the screen shows %q:\n%s", s, plain(m))
		}
	}
}

// TestSaveRequestToANewFile: "new file…" asks a path relative to the
// working folder, .http added; a request that would not read back as
// composed is refused, saying why, and nothing is written.
func TestSaveRequestToANewFile(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m.setFocus(paneRequest)
	m.composer.SetRequest("GET", "/items?page=2", "Accept: application/json", "")
	m = run(t, m, press("S"))
	m = enterLine(t, m, "new file")
	if !hasPopup(m, popSavePath) {
		t.Fatalf("no path asked:\n%s", plain(m))
	}
	m = enterLine(t, m, "more/items")
	m = enterLine(t, m, "page two")
	data, err := os.ReadFile(filepath.Join(dir, "more", "items.http"))
	if err != nil {
		t.Fatalf("%v (status %q)", err, m.notice)
	}
	if !strings.Contains(string(data), "### page two\n") || !strings.Contains(string(data), "GET /items?page=2") {
		t.Errorf("new file:\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "more", "http-client.private.env.json")); err == nil {
		t.Error("a private env file was written for a request with no secret")
	}

	// A comment after the URL would be read back as part of it.
	m.composer.SetRequest("GET", "/items # all of them", "", "")
	m = run(t, m, press("S"))
	if hasPopup(m, popSaveFile) || !strings.HasPrefix(m.notice, "not saved: ") {
		t.Errorf("a URL with a comment after it: status %q", m.notice)
	}
}

// TestSaveRefusesAProviderSecretItCannotName: the provider's own secret
// typed where no credential is expected is not saved, and a form body
// sent without a Content-Type has its credential fields lifted like a
// declared form's.
func TestSaveRefusesAProviderSecretItCannotName(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "items.http", itemsFile)
	m := collModel(t, hostileCC("cc", api.URL, "/token")+staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m.setFocus(paneRequest)
	save := func(name string) Model {
		m = run(t, m, press("S"))
		m = enterLine(t, m, "items")
		return enterLine(t, m, name)
	}
	m.composer.SetRequest("POST", "/notes", "X-Note: s3cr3t-value", "")
	m = save("note")
	if data, _ := os.ReadFile(path); string(data) != itemsFile || !strings.HasPrefix(m.notice, "not saved: ") {
		t.Errorf("the provider's client secret in a plain header: status %q, file:\n%s", m.notice, data)
	}
	m.composer.SetRequest("POST", "/login", "", "user=ann&client_secret=other-secret-77")
	m = save("form")
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "other-secret-77") || !strings.Contains(string(data), "user=ann&client_secret={{client_secret}}") {
		t.Errorf("a form body's credential: status %q, file:\n%s", m.notice, data)
	}
}
