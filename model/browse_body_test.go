package model

import (
	"fmt"
	"strings"
	"testing"
)

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
