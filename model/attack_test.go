package model

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/collection"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
)

// TestAuthTokenOriginIsNeverACapture: in the TUI as in keyhole run, a
// captured value (C on a response, an @capture) that makes the URL's
// host does not choose where a $auth.token goes: the send is refused,
// nothing dialled. It went to whatever origin the server had answered.
func TestAuthTokenOriginIsNeverACapture(t *testing.T) {
	api := newCollAPI(t)
	other := newCollAPI(t)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{}, 120, 40)
	m.setCapture("next", other.URL+"/steal", false)
	for _, c := range []struct{ url, header string }{
		{"{{next}}", `Authorization: Bearer {{$auth.token("api")}}`},
		{"{{next}}?access_token={{$auth.token(\"api\")}}", ""},
	} {
		m.composer.SetRequest("GET", c.url, c.header, "")
		m = settle(t, m)
		m = run(t, m, press("ctrl+s"))
		if n := len(other.All()); n != 0 {
			t.Fatalf("%s: the origin a capture named got %d requests", c.url, n)
		}
		if m.ex == nil || m.ex.Err == nil || !strings.Contains(m.ex.Err.Error(), "server's answer") || m.ex.Sent.URL != nil {
			t.Errorf("%s: not refused: %q %+v", c.url, m.notice, m.ex)
		}
	}
}

// TestViewersNeverSeeASecretTheStatusLineRevealed: with secrets shown
// (ctrl+r), the presenter's status line says a captured credential in
// full, and the picker (o) lists it; the frame viewers draw carries both
// masked, as every other text of theirs. They went to viewers as the
// presenter saw them.
func TestViewersNeverSeeASecretTheStatusLineRevealed(t *testing.T) {
	r, fs := sharedRevealed(t)
	r.send(capturedMsg{name: "pass", path: "json.password", value: typedPass, secret: true})
	if !strings.Contains(r.m.notice, typedPass) {
		t.Fatalf("the presenter's status line does not show the revealed value: %q", r.m.notice)
	}
	// The picker lists the variables, the captured one revealed.
	r.send(press("o"))
	if !strings.Contains(plain(r.m), typedPass[:20]) {
		t.Fatalf("the presenter's picker does not show the revealed value:\n%s", plain(r.m))
	}
	for i, f := range audience(t, fs, [2]int{120, 40}) {
		for _, form := range leakForms(typedPass) {
			if strings.Contains(f, form) {
				t.Fatalf("viewer frame %d holds the captured password as %q:\n%s", i, form, ansiRE.ReplaceAllString(f, ""))
			}
		}
	}
}

// TestSpecTextInTheComposerCannotReorderTheScreen: an operation whose
// path, query and header parameters and body example carry a
// bidirectional override fills the composer with it written out —
// percent-encoded in the path and query, \u202E in the headers and the
// body (the same JSON string) — so it cannot reverse what the screen
// draws after it, for the presenter or a viewer. The text fields drop an
// escape but kept the override, and drew it.
func TestSpecTextInTheComposerCannotReorderTheScreen(t *testing.T) {
	const rlo = "\u202Etxt.exe"
	spec := `{"openapi": "3.0.3", "info": {"title": "Items", "version": "1"},
 "paths": {"/up` + rlo + `/{id}": {"post": {"operationId": "upload", "summary": "Upload",
   "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
     {"name": "q` + rlo + `", "in": "query", "required": true, "schema": {"type": "string"}},
     {"name": "X-Up` + rlo + `", "in": "header", "schema": {"type": "string"}}],
   "requestBody": {"content": {"application/json": {"example": {"name` + rlo + `": "` + rlo + `"}}}},
   "responses": {"200": {"description": "ok"}}}}}}`
	api := newBrowseAPI(t, func() string { return spec })
	fs := newFakeShare(1)
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 140, 44)
	m = shared(t, m, fs)
	m = run(t, m, press("o"))
	m = run(t, m, press("enter"))
	if !strings.Contains(plain(m), "Upload") {
		t.Fatalf("the operation was not chosen:\n%s", plain(m))
	}
	checkFrame(t, "the composer", m.View().Content)
	method, path, headers, body := m.composer.Request()
	if method != "POST" || path != "/up%E2%80%AEtxt.exe/{{id}}?q%E2%80%AEtxt.exe=" || !strings.Contains(headers, `X-Up\u202Etxt.exe:`) ||
		!strings.Contains(body, `"name\u202Etxt.exe": "\u202Etxt.exe"`) {
		t.Errorf("the composer holds %s %q, headers %q, body %q", method, path, headers, body)
	}
	for i, f := range audience(t, fs, [2]int{80, 24}, [2]int{140, 44}) {
		checkFrame(t, fmt.Sprintf("viewer frame %d", i), f)
	}
}

// TestSaveLiftsAURLPassword: S writes the password of a URL's
// user:password@ as a {{variable}} whose value goes to the private env
// file, as it does a Basic Authorization; the .http file reads back to
// the same URL. The password went into the file teams commit.
func TestSaveLiftsAURLPassword(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "items.http", itemsFile)
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m.setFocus(paneRequest)
	host := strings.TrimPrefix(api.URL, "http://")
	m.composer.SetRequest("GET", "http://ann:url-pass-9999@"+host+"/items", "", "")
	m = run(t, m, press("S"))
	m = enterLine(t, m, "items")
	m = enterLine(t, m, "with a password")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "url-pass-9999") {
		t.Fatalf("the .http file holds the URL's password (status %q):\n%s", m.notice, data)
	}
	priv, err := os.ReadFile(filepath.Join(dir, "http-client.private.env.json"))
	if err != nil || !strings.Contains(string(priv), `"url_password": "url-pass-9999"`) {
		t.Fatalf("the private env file: %v\n%s", err, priv)
	}
	f, err := collection.Read(path)
	if err != nil || len(f.Requests) != 2 {
		t.Fatalf("read back: %v, %+v", err, f)
	}
	if got := f.Requests[1].URL; got != "http://ann:{{url_password}}@"+host+"/items" {
		t.Errorf("read back: %s", got)
	}
}

// TestReferencesNeverCarryAnAuthToken: a token a request put in its own
// header and body with {{$auth.token("api")}} cannot be taken by the next
// request to another origin, neither read back from the request
// ({{first.request.body.$.token}}) nor from a server that echoes it
// ({{first.response.headers.X-Echo}}): references read it masked. Both
// went as sent: only the token keyhole adds itself was masked.
func TestReferencesNeverCarryAnAuthToken(t *testing.T) {
	api := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"seen": %q}`, r.Header.Get("Authorization"))
	})
	other := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "steal.http", "### first\n# @name first\nPOST "+api.URL+"/login\nAuthorization: Bearer {{$auth.token(\"api\")}}\nContent-Type: application/json\n\n"+
		"{\"user\": \"ann\", \"token\": \"{{$auth.token(\"api\")}}\"}\n\n"+
		"### second\nPOST "+other.URL+"/steal\nX-Stolen: {{first.request.body.$.token}}\nX-Echo: {{first.response.headers.X-Echo}}\n\n{{first.response.body.$.seen}}\n")
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m = chooseRow(t, m, "first")
	m = run(t, m, press("ctrl+s"))
	m = chooseRow(t, m, "second")
	m = run(t, m, press("ctrl+s"))
	got := other.All()
	if len(got) != 1 {
		t.Fatalf("the other origin got %d requests: %q", len(got), m.notice)
	}
	if sent := fmt.Sprint(got[0].Header) + got[0].Body; strings.Contains(sent, "tok-api-1111") {
		t.Fatalf("the token reached another origin: %s", sent)
	}
}

// TestAHostWithoutASchemeIsNotSent: a .http request to
// "127.0.0.1:PORT/path" (a host, which JetBrains sends over http and
// VS Code over https) is refused in the TUI as keyhole run refuses it,
// saying to write the scheme. It went as a path under the provider's
// base_url.
func TestAHostWithoutASchemeIsNotSent(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	host := strings.TrimPrefix(api.URL, "http://")
	writeFile(t, dir, "bare.http", "### bare\n# @provider api\nGET "+host+"/items\n")
	m := collModel(t, staticProvider("api", api.URL, "tok-api-1111", ""), CollectionOptions{WorkDir: dir}, 120, 40)
	m = chooseRow(t, m, "bare")
	m = run(t, m, press("ctrl+s"))
	if n := len(api.All()); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}
	if !strings.Contains(m.notice, host+" is a host: write http:// or https://") {
		t.Errorf("not refused as it should be: %q", m.notice)
	}
}

// TestSendMasksASecretAsItWasEncoded: a private env value with a space
// and a '!' goes percent-encoded in the URL's query (open%20sesame!); the
// request as sent on screen and in the history masks it in that form
// too. It showed as sent.
func TestSendMasksASecretAsItWasEncoded(t *testing.T) {
	api := newCollAPI(t)
	dir := t.TempDir()
	writeFile(t, dir, "items.http", "### echo\n# @name echo\nGET "+api.URL+"/echo?who={{who}}\n")
	writeFile(t, dir, "http-client.env.json", `{"dev": {}}`)
	writeFile(t, dir, "http-client.private.env.json", `{"dev": {"who": "open sesame!"}}`)
	rec, hist := sendEchoInDev(t, dir, staticProvider("api", api.URL, "tok-api-1111", ""))
	reqs := api.All()
	if len(reqs) != 1 || reqs[0].Query != "who=open%20sesame!" {
		t.Fatalf("sent %+v: %q", reqs, rec.m.notice)
	}
	rec.noLeak("open%20sesame!")
	oneEntryWithout(t, hist, "sesame")
}
