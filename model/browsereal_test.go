package model

import (
	"strings"
	"testing"
)

// The browser on constructs met in published specs, each in a spec of
// the tests' own.

// TestBrowserWebhooksOnlySpecSaysWhy: a spec that loads but lists no
// operation (3.1 webhooks only) gets a row in the picker saying so, and
// enter on it the reason whole: the provider's group does not silently
// vanish.
func TestBrowserWebhooksOnlySpecSaysWhy(t *testing.T) {
	api := newBrowseAPI(t, func() string {
		return `{"openapi": "3.1.0", "info": {"title": "Hooks", "version": "1"},
 "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}}}`
	})
	m := browseModel(t, browseProvider("hooks", api.URL, api.URL+"/openapi.json", ""), 120, 40)
	m = run(t, m, press("o"))
	screen := plain(m)
	if !strings.Contains(screen, "no operations") || !strings.Contains(screen, "only webhooks (newPet)") {
		t.Fatalf("the picker says nothing of the empty spec:\n%s", screen)
	}
	m = run(t, m, press("enter"))
	if screen := plain(m); !hasPopup(m, popText) || !strings.Contains(screen, "OpenAPI spec · hooks") || !strings.Contains(screen, "the requests the API sends to you") {
		t.Errorf("enter on the row shows no reason:\n%s", screen)
	}
}
