package model

import (
	"strings"
	"testing"
)

// withServers is browseSpec with the document's servers set.
func withServers(spec, servers string) string {
	return strings.Replace(spec, `"info":`, `"servers": `+servers+`, "info":`, 1)
}

// TestBrowserDocumentServerBasePath: as call @id does, the composer puts
// the document server's base path on base_url when that server is on
// base_url's origin, and nothing from one on another origin; an
// operation's own server on base_url's origin is taken whole, without a
// question.
func TestBrowserDocumentServerBasePath(t *testing.T) {
	prod := newBrowseAPI(t, func() string { return "{}" })
	for _, c := range []struct {
		name, servers, want string
	}{
		{"same origin", `[{"url": "BASE/v1"}]`, "/v1/items"},
		{"relative", `[{"url": "/v2"}]`, "/v2/items"},
		{"another origin", `[{"url": "` + prod.URL + `/v1"}]`, "/items"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var base string
			api := newBrowseAPI(t, func() string {
				return withServers(browseSpec(base+"/up"), strings.ReplaceAll(c.servers, "BASE", base))
			})
			base = api.URL
			m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
			m = chooseOpRow(t, m, "listItems")
			if _, path, _, _ := m.composer.Request(); path != c.want {
				t.Fatalf("composer path %q, want %q", path, c.want)
			}
			m = run(t, m, press("ctrl+s"))
			if reqs, auth := api.seen(); len(reqs) != 1 || reqs[0] != "GET "+c.want || auth[0] != "Bearer "+browseToken {
				t.Errorf("sent %q with %q, want GET %s with the token", reqs, auth, c.want)
			}

			m = chooseOpRow(t, m, "uploadAsset")
			if _, path, _, _ := m.composer.Request(); path != api.URL+"/up/upload/{{id}}" {
				t.Errorf("own server on base_url's origin: composer path %q", path)
			}
			if strings.Contains(m.notice, "its server is") {
				t.Errorf("asked about base_url's own origin: %q", m.notice)
			}
		})
	}
	if reqs, _ := prod.seen(); len(reqs) != 0 {
		t.Errorf("the other origin got %q", reqs)
	}
}
