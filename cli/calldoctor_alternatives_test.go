package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// TestCallRefusedNamesTheClosestAlternative: deleteItem takes api:write
// or admin; after a bare 403 the doctor's first "why:" names api:write
// with admin beside it, never the two as needed together.
func TestCallRefusedNamesTheClosestAlternative(t *testing.T) {
	spec := strings.Replace(spectest.ItemsScoped, `"security": [{"demo_oauth": ["api:write"]}]`,
		`"security": [{"demo_oauth": ["api:write"]}, {"demo_oauth": ["admin"]}]`, 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, spec)
			return
		}
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(api.Close)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	r := h.run("--config", cfg, "call", "st", "@deleteItem", "-p", "id=7")
	r.expect(t, ExitClientError, "call refused")
	want := "why: the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write (or admin) (security scheme demo_oauth)"
	if !strings.Contains(r.errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
	}
	if strings.Contains(r.errOut, "api:write admin") {
		t.Errorf("the alternatives read as needed together:\n%s", r.errOut)
	}
}
