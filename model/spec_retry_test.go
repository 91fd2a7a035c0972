package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBrowserRetriesFailedSpec: a spec that failed is tried again when
// the picker is opened again — off the UI loop, with the loading row —
// and one that loaded is not read a third time.
func TestBrowserRetriesFailedSpec(t *testing.T) {
	var hits atomic.Int32
	api := specAPI{spec: browseSpec(""), challenge: insufficientWrite, failFirst: true, gets: &hits}.serve(t)
	m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)

	nm, cmd := m.Update(press("o"))
	m = nm.(Model)
	for _, msg := range drain(t, cmd) {
		m = run(t, m, msg)
	}
	if screen := plain(m); !strings.Contains(screen, "unavailable") {
		t.Fatalf("the first load did not fail:\n%s", screen)
	}
	m = run(t, m, press("esc"))

	nm, cmd = m.Update(press("o"))
	m = nm.(Model)
	if cmd == nil {
		t.Fatal("reopening the picker after a failure did not try the spec again")
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("Update read the spec itself (%d requests): it must be a command", n)
	}
	if screen := plain(m); !strings.Contains(screen, "loading the spec…") {
		t.Errorf("no loading row while trying again:\n%s", screen)
	}
	for _, msg := range drain(t, cmd) {
		m = run(t, m, msg)
	}
	screen := strings.Join(strings.Fields(plain(m)), " ")
	if !strings.Contains(screen, "GET /items listItems List the items") || strings.Contains(screen, "unavailable") {
		t.Errorf("the second try did not list the operations:\n%s", plain(m))
	}
	m = run(t, m, press("esc"))
	nm, cmd = m.Update(press("o"))
	m = nm.(Model)
	if cmd != nil {
		for _, msg := range drain(t, cmd) {
			m = run(t, m, msg)
		}
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("the spec was read %d times, want 2: a loaded spec is kept", n)
	}
}

// TestWhyRetriesFailedSpec: after a refusal, ! loads the spec; when that
// failed, the next ! tries again, and its answer then carries what the
// spec says.
func TestWhyRetriesFailedSpec(t *testing.T) {
	var hits atomic.Int32
	api := specAPI{spec: whySpec, challenge: insufficientWrite, failFirst: true, gets: &hits}.serve(t)
	m := refusedDelete(t, api)
	why := func() (Model, bool) {
		nm, cmd := m.Update(press("!"))
		m := nm.(Model)
		if !hasPopup(m, popText) {
			t.Fatalf("! opened nothing:\n%s", plain(m))
		}
		for _, out := range drainWait(t, cmd, 10*time.Second) {
			m = run(t, m, out)
		}
		return m, cmd != nil
	}
	var loaded bool
	m, loaded = why()
	if !loaded || hits.Load() != 1 {
		t.Fatalf("the first ! did not load the spec (%d requests)", hits.Load())
	}
	if _, body := m.whyText(); strings.Contains(body, "the spec says") {
		t.Fatalf("a spec that failed spoke:\n%s", body)
	}
	m = run(t, m, press("esc"))
	m, loaded = why()
	if !loaded || hits.Load() != 2 {
		t.Fatalf("the second ! did not try the spec again (%d requests)", hits.Load())
	}
	_, body := m.whyText()
	if !strings.Contains(ansiRE.ReplaceAllString(body, ""), "the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write") {
		t.Errorf("the retried spec did not speak:\n%s", body)
	}
	m = run(t, m, press("esc"))
	if m, loaded = why(); loaded || hits.Load() != 2 {
		t.Errorf("a loaded spec was read again (%d requests)", hits.Load())
	}
}

// TestContractRetriesFailedSpec: D loads the spec when needed; after a
// load that failed, the next D (or V) tries once more — off the UI loop,
// with the same "loading" notice — and shows what the spec documents
// once it loads. A spec that loaded is not read again.
func TestContractRetriesFailedSpec(t *testing.T) {
	var hits atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/openapi.json":
			if hits.Add(1) == 1 {
				http.Error(w, "restarting", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, contractSpec)
		case "/widgets/8":
			fmt.Fprint(w, `{"id": 8, "name": "fine", "tags": [], "owner": "a@example.com"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(api.Close)
	m := browseModel(t, browseProvider("widgets", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m.composer.SetRequest("GET", "/widgets/8", "Accept: application/json", "")
	m = run(t, m, press("ctrl+s"))
	if m.ex == nil || m.ex.Response == nil {
		t.Fatal("no answer to GET /widgets/8")
	}
	m.setFocus(paneResponse)

	// press sends one key through Update, as the program would, and
	// runs what it asks for; it says whether it asked for anything.
	press1 := func(k string) bool {
		t.Helper()
		nm, cmd := m.Update(press(k))
		m = nm.(Model)
		if cmd == nil {
			return false
		}
		before := hits.Load()
		if m.notice != "loading the spec…" {
			t.Errorf("%s: notice %q while loading, want the loading one", k, m.notice)
		}
		msgs := drain(t, cmd)
		if hits.Load() == before {
			t.Errorf("%s: the command read no spec", k)
		}
		for _, msg := range msgs {
			m = run(t, m, msg)
		}
		return true
	}

	if !press1("D") {
		t.Fatal("the first D did not load the spec")
	}
	if !strings.Contains(m.notice, "unavailable") || hasPopup(m, popText) {
		t.Fatalf("the first load did not fail: notice %q", m.notice)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("the failed load was tried again on its own (%d requests)", n)
	}

	nm, cmd := m.Update(press("D"))
	m = nm.(Model)
	if cmd == nil {
		t.Fatal("D after a failed load did not try the spec again")
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("Update read the spec itself (%d requests): it must be a command", n)
	}
	if m.notice != "loading the spec…" {
		t.Errorf("notice %q while trying again, want the loading one", m.notice)
	}
	for _, msg := range drain(t, cmd) {
		m = run(t, m, msg)
	}
	if !hasPopup(m, popText) {
		t.Fatalf("the second D did not show the documented response: notice %q\n%s", m.notice, plain(m))
	}
	if screen := flat(plain(m)); !strings.Contains(screen, "The widget.") {
		t.Errorf("the popup is not the documented 200:\n%s", plain(m))
	}
	m = run(t, m, press("esc"))
	nm, cmd = m.Update(press("V"))
	m = nm.(Model)
	for _, msg := range drain(t, cmd) {
		m = run(t, m, msg)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("the spec was read %d times, want 2: a loaded spec is kept", n)
	}
	if !hasPopup(m, popText) {
		t.Errorf("V after the load showed nothing: notice %q", m.notice)
	}
}
