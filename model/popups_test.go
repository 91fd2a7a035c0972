package model

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// manyWorld is a model on a config of its own — providers providers, the
// first with requests saved requests — served by the demo in-process, at
// w×h.
func manyWorld(t *testing.T, providerCount, requests, w, h int) Model {
	t.Helper()
	testEnv(t)
	srv, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range providerCount {
		fmt.Fprintf(&b, "[providers.p%02d]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = %q\nclient_secret = %q\n",
			i, demoHost, demoHost+"/token", demo.CCClientID, demo.CCClientSecret)
		if i == 0 {
			for r := range requests {
				fmt.Fprintf(&b, "[[providers.p00.requests]]\nname = \"request %02d\"\nmethod = \"GET\"\npath = \"/api/items?page=%d\"\n", r, r)
			}
		}
	}
	client := &http.Client{Transport: handlerTransport{srv.Handler()}}
	be := configBackend(t, "many.toml", b.String(), nil, providers.SessionOptions{Client: client, Now: func() time.Time { return fixedNow }})
	m := New(Options{Label: "many.toml", Backend: be, Redact: true, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	return update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// TestWhyTakesTheKeysOverTheResponsePane: with the doctor's why open over
// the response pane, / used to open a search prompt hidden behind it, and
// the footer said "typing". The popup on top takes every key first.
func TestWhyTakesTheKeysOverTheResponsePane(t *testing.T) {
	w := newWorld(t)
	w.sendWithTheWrongScheme()
	w.m.setFocus(paneResponse)
	w.m = run(t, w.m, press("!"))
	if !strings.Contains(plain(w.m), "Why 401?") {
		t.Fatalf("! did not open the doctor's why:\n%s", plain(w.m))
	}
	for _, k := range []string{"/", "f", "s"} {
		w.m = run(t, w.m, press(k))
		screen := plain(w.m)
		if hasPopup(w.m, popSearch) || hasPopup(w.m, popFilter) || hasPopup(w.m, popSave) {
			t.Errorf("%s opened a prompt behind the why", k)
		}
		if w.m.typing() || strings.Contains(lastLine(screen), "typing") {
			t.Errorf("after %s over the why, the footer says typing:\n%s", k, lastLine(screen))
		}
		if !strings.Contains(screen, "Why 401?") {
			t.Errorf("%s took the why away:\n%s", k, screen)
		}
	}
	w.m = run(t, w.m, press("esc"))
	if strings.Contains(plain(w.m), "Why 401?") || len(w.m.popups) != 0 {
		t.Errorf("esc did not close the why: %d popups", len(w.m.popups))
	}
	// Now / opens the search, drawn in the response pane, and typing.
	w.m = run(t, w.m, press("/"))
	if !hasPopup(w.m, popSearch) || !w.m.typing() || !strings.Contains(lastLine(plain(w.m)), "typing") {
		t.Errorf("/ with nothing over the response pane did not open the search:\n%s", plain(w.m))
	}
}

func lastLine(screen string) string { return screen[strings.LastIndex(screen, "\n")+1:] }

// TestClickInAScrolledProviderList: the list kept its scroll offset on a
// copy made inside View, so a click in a scrolled list picked the row the
// unscrolled list had there.
func TestClickInAScrolledProviderList(t *testing.T) {
	m := manyWorld(t, 12, 0, 120, 40)
	m.setFocus(paneProviders)
	for range 9 {
		m = update(t, m, press("down"))
	}
	screen := plain(m)
	if !strings.Contains(screen, "> p09") || strings.Contains(screen, " p00 ") {
		t.Fatalf("the list did not scroll to p09:\n%s", screen)
	}
	// The second row drawn: the header is line 0, the pane's top border
	// line 1, its first row line 2.
	lines := strings.Split(screen, "\n")
	want := strings.Fields(strings.Trim(lines[3], "│> "))[0]
	m = update(t, m, tea.MouseClickMsg{X: 5, Y: 3, Button: tea.MouseLeft})
	if got := m.entries[m.list.Cursor()].name; got != want {
		t.Errorf("a click on the row showing %s selected %s", want, got)
	}
	if !strings.Contains(plain(m), "> "+want) {
		t.Errorf("the cursor is not drawn on %s:\n%s", want, plain(m))
	}
}

// TestRequestPickerScrolls: the saved requests picker drew its first rows
// only; the cursor walked off the bottom of the screen.
func TestRequestPickerScrolls(t *testing.T) {
	m := manyWorld(t, 1, 30, 80, 24)
	m = run(t, m, press("enter"))
	m = run(t, m, press("o"))
	if !hasPopup(m, popRequests) {
		t.Fatalf("o did not open the picker:\n%s", plain(m))
	}
	for i := 1; i < 30; i++ {
		m = update(t, m, press("down"))
		if screen := plain(m); !strings.Contains(pickerCursorRow(screen), fmt.Sprintf("request %02d", i)) {
			t.Fatalf("after %d downs the cursor's row (request %02d) is not on screen:\n%s", i, i, screen)
		}
	}
	m = run(t, m, press("enter"))
	if _, path, _, _ := m.composer.Request(); path != "/api/items?page=29" || hasPopup(m, popRequests) {
		t.Errorf("enter on the last row loaded %q", path)
	}
}

// TestPickerOpensReadyForTyping: every printable key goes to the filter,
// q and j too; ctrl+n and ctrl+p move; esc clears the filter, then
// closes; with the filter empty the rows stand under their headings.
func TestPickerOpensReadyForTyping(t *testing.T) {
	m := manyWorld(t, 2, 12, 120, 40)
	m = run(t, m, press("enter"))
	m.setFocus(paneToken) // o opens it from any pane
	m = run(t, m, press("o"))
	screen := plain(m)
	if !strings.Contains(screen, "Saved requests · p00") || !strings.Contains(screen, "typing") {
		t.Fatalf("the picker has no heading, or is not typing:\n%s", screen)
	}
	for _, k := range []string{"q", "j", "?", "1", "1"} {
		nm, cmd := m.Update(press(k))
		m = nm.(Model)
		if quits(t, cmd) {
			t.Fatalf("%s quit the picker", k)
		}
	}
	if f := m.popups.top().Popup.(interface{ Filter() string }).Filter(); f != "qj?11" {
		t.Errorf("the filter holds %q, want every key typed", f)
	}
	m = update(t, m, press("esc"))
	if !hasPopup(m, popRequests) {
		t.Fatal("the first esc closed the picker; it clears the filter")
	}
	for _, k := range []string{"1", "1"} {
		m = update(t, m, press(k))
	}
	screen = plain(m)
	// The headings are gone while filtering; each row says its group.
	if pickerCursorRow(screen) != "> [saved] GET /api/items?page=11 request 11 Saved requests · p00" || strings.Contains(screen, "request 05") || strings.Contains(screen, "│Saved requests ·") {
		t.Errorf("filter 11: want request 11 first, its group at its end, no heading, nothing unrelated:\n%s", screen)
	}
	m = update(t, m, press("ctrl+u")) // clear the line
	m = update(t, m, tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
	m = update(t, m, tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
	m = update(t, m, tea.KeyPressMsg{Code: 'p', Mod: tea.ModCtrl})
	m = run(t, m, press("enter"))
	if _, path, _, _ := m.composer.Request(); path != "/api/items?page=1" {
		t.Errorf("ctrl+n ctrl+n ctrl+p enter loaded %q, want the second request", path)
	}
	m = run(t, m, press("o"))
	m = update(t, m, press("esc"))
	if hasPopup(m, popRequests) {
		t.Error("esc with an empty filter did not close the picker")
	}
}

// TestHistoryPickerFilters: H opens the picker on history; the filter
// finds an exchange by its path.
func TestHistoryPickerFilters(t *testing.T) {
	w := newWorld(t)
	w.keepHistory()
	for _, p := range []string{"/api/me", "/api/items?page=1", "/api/items?page=2"} {
		w.m.composer.SetRequest("GET", p, "", "")
		w.m = run(t, w.m, press("ctrl+s"))
	}
	w.m = run(t, w.m, press("H"))
	if !hasPopup(w.m, popHistory) || !strings.Contains(plain(w.m), "History · 2026-03-14") {
		t.Fatalf("H did not open the picker on history:\n%s", plain(w.m))
	}
	w.typeText("api/me")
	w.m = run(t, w.m, press("enter"))
	if _, path, _, _ := w.m.composer.Request(); path != "/api/me" {
		t.Errorf("the filter api/me reopened %q", path)
	}
}

// TestRequestPaneMatchesItsOwnBindings: the help lists FormatBody and
// CopyCurl for the Request pane; those bindings, not the Response pane's
// Filter and Yank on the same keys, are what the pane matches.
func TestRequestPaneMatchesItsOwnBindings(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.keys.FormatBody = key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "format a JSON body"))
	w.m.keys.CopyCurl = key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy as curl"))
	w.m.setFocus(paneRequest)
	w.m.composer.SetRequest("POST", "/api/items", "Content-Type: application/json", `{"a":1}`)
	w.m = update(t, w.m, press("f"))
	if _, _, _, body := w.m.composer.Request(); body != `{"a":1}` {
		t.Errorf("f formatted the body although FormatBody is F: %q", body)
	}
	w.m = update(t, w.m, press("F"))
	if _, _, _, body := w.m.composer.Request(); body != "{\n  \"a\": 1\n}" {
		t.Errorf("F (FormatBody) did not format the body: %q", body)
	}
	if _, cmd := w.m.Update(press("y")); cmd != nil {
		t.Error("y copied although CopyCurl is Y")
	}
	if _, cmd := w.m.Update(press("Y")); cmd == nil {
		t.Error("Y (CopyCurl) did not copy")
	}
}

// TestViewChangesNothing: View draws the state Update left and changes
// none of it, on every kind of screen.
func TestViewChangesNothing(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, press("ctrl+s"))
	screens := map[string]Model{"wide": w.m}
	w.m.setFocus(paneResponse)
	screens["search"] = run(t, w.m, press("/"))
	screens["help"] = run(t, w.m, press("?"))
	screens["picker"] = run(t, w.m, press("o"))
	screens["narrow"] = update(t, w.m, tea.WindowSizeMsg{Width: 80, Height: 24})
	for name, m := range screens {
		before := fmt.Sprintf("%#v", m)
		_ = m.render()
		if after := fmt.Sprintf("%#v", m); after != before {
			t.Errorf("%s: View changed the model", name)
		}
	}
}

// pickerCursorRow is the picker's row under the cursor, its runs of
// spaces (the columns) made one.
func pickerCursorRow(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.Index(l, "> ["); i >= 0 {
			return strings.Join(strings.Fields(strings.Trim(l[i:], "│ ")), " ")
		}
	}
	return ""
}
