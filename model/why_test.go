package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// whySpec is the demo's shape: an OAuth scheme, reading under api:read,
// deleting under api:write.
const whySpec = spectest.ItemsScoped

// TestWhyNamesTheSpecScope: a DELETE refused 403 with a token of
// api:read; sending read no spec, ! opens the doctor at once and only then
// loads the provider's spec off the UI loop; when it comes, the popup
// puts first what the spec says the operation needs, against the token's
// scopes, in the config's words.
func TestWhyNamesTheSpecScope(t *testing.T) {
	var specGets atomic.Int32
	api := specAPI{spec: whySpec, challenge: insufficientWrite, gets: &specGets}.serve(t)
	m := refusedDelete(t, api)
	if n := specGets.Load(); n != 0 {
		t.Fatalf("sending loaded the spec (%d requests)", n)
	}

	nm, cmd := m.Update(press("!"))
	m = nm.(Model)
	if !hasPopup(m, popText) {
		t.Fatalf("! opened nothing:\n%s", plain(m))
	}
	if cmd == nil {
		t.Fatal("! after a 403 did not load the spec")
	}
	if !strings.Contains(flat(plain(m)), "Loading the spec") {
		t.Errorf("the popup does not say the spec is loading:\n%s", plain(m))
	}
	for _, out := range drainWait(t, cmd, 10*time.Second) {
		m = run(t, m, out)
	}
	if n := specGets.Load(); n != 1 {
		t.Errorf("the spec was fetched %d times, want 1", n)
	}
	_, body := m.whyText()
	body = ansiRE.ReplaceAllString(body, "")
	first, _, _ := strings.Cut(body, "\n\n")
	for _, want := range []string{
		"1. the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write (security scheme demo_oauth); the token has",
		`the server's WWW-Authenticate agrees (scope="api:write")`,
		`fix: ` + "`" + `scopes = ["api:read", "api:write"]`,
		"keyhole token items --force",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("the first finding lacks %q:\n%s", want, body)
		}
	}
	screen := flat(plain(m))
	for _, want := range []string{"the spec says DELETE /api/items/{id}", "(deleteItem)", "api:write"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the popup on screen lacks %q:\n%s", want, plain(m))
		}
	}
	if strings.Contains(screen, "Loading the spec") {
		t.Errorf("the popup still says the spec is loading:\n%s", plain(m))
	}
}

// refusedDelete is a model whose provider (with the spec at api's
// /openapi.json and a token of api:read) sent DELETE /api/items/7 and got
// api's 403, the Response pane in focus: where ! asks the doctor.
func refusedDelete(t *testing.T, api *httptest.Server) Model {
	t.Helper()
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", `scopes = ["api:read"]`+"\n"), 120, 40)
	m.composer.SetRequest("DELETE", "/api/items/7", "", "")
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Response == nil || m.ex.Response.Status != http.StatusForbidden {
		t.Fatalf("no 403 to DELETE: %v", m.ex)
	}
	m.setFocus(paneResponse)
	return m
}

// insufficientWrite is the challenge of a 403 for want of api:write, as the
// demo sends it.
const insufficientWrite = `Bearer realm="demo", error="insufficient_scope", scope="api:write"`

// specAPI serves spec at /openapi.json, counting the requests in gets (the
// first answered 503 when failFirst, as a server restarting would), and
// refuses every other call 403, with challenge as its WWW-Authenticate
// when there is one (none: only the spec can say what the call needs).
type specAPI struct {
	spec, challenge string
	failFirst       bool
	gets            *atomic.Int32
}

func (a specAPI) serve(t *testing.T) *httptest.Server {
	t.Helper()
	if a.gets == nil {
		a.gets = new(atomic.Int32)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			if a.gets.Add(1) == 1 && a.failFirst {
				http.Error(w, "restarting", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, a.spec)
			return
		}
		// The server's clock is the model's: no skew to report.
		w.Header().Set("Date", fixedNow.UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		body := `{"error": "forbidden"}`
		if a.challenge != "" {
			w.Header().Set("WWW-Authenticate", a.challenge)
			body = `{"error": "insufficient_scope"}`
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// whyAfterBare403 is the doctor's finding, plain, after a DELETE that an
// API serving spec refused 403 with no challenge: only the spec can say
// what the call needed.
func whyAfterBare403(t *testing.T, spec string) string {
	t.Helper()
	m := refusedDelete(t, specAPI{spec: spec}.serve(t))
	nm, cmd := m.Update(press("!"))
	m = nm.(Model)
	for _, out := range drainWait(t, cmd, 10*time.Second) {
		m = run(t, m, out)
	}
	_, body := m.whyText()
	return ansiRE.ReplaceAllString(body, "")
}

// TestWhyTokenOptional: an operation whose security has an empty
// alternative needs no token, so after a bare 403 the doctor does not
// blame the token's scopes on the spec's word: it says the spec does not
// require them.
func TestWhyTokenOptional(t *testing.T) {
	optional := strings.Replace(whySpec, `"security": [{"demo_oauth": ["api:write"]}]`, `"security": [{}, {"demo_oauth": ["api:write"]}]`, 1)
	body := whyAfterBare403(t, optional)
	if strings.Contains(body, "needs scope api:write") {
		t.Errorf("the doctor blames a scope the spec does not require:\n%s", body)
	}
	if !strings.Contains(flat(body), "the spec says DELETE /api/items/{id} (deleteItem) does not require the token's scopes") {
		t.Errorf("the doctor does not say the token is optional:\n%s", body)
	}
}
