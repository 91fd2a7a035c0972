package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// refusingAPI serves spectest.ItemsScoped, counting the requests for it, and
// refuses every call 403 insufficient_scope for api:write.
func refusingAPI(t *testing.T, specGets *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			specGets.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, spectest.ItemsScoped)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="demo", error="insufficient_scope", scope="api:write"`)
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCallRefusedNamesTheSpecScope: a 403 to call METHOD PATH, and to
// call @id, on a provider with an openapi key: the doctor's first "why:"
// line says what the spec requires of the operation and what the token
// has, and its fix is the config's scopes line. call METHOD PATH loaded
// the spec for that refusal only.
func TestCallRefusedNamesTheSpecScope(t *testing.T) {
	for _, args := range [][]string{{"DELETE", "/api/items/7"}, {"@deleteItem", "-p", "id=7"}} {
		t.Run(args[0], func(t *testing.T) {
			h := newHarness(t)
			var specGets atomic.Int32
			api := refusingAPI(t, &specGets)
			cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "scopes = [\"api:read\"]\nopenapi = \""+api.URL+"/openapi.json\"\n"))
			r := h.run(append([]string{"--config", cfg, "call", "st"}, args...)...)
			r.expect(t, ExitClientError, "call refused")
			var why []string
			for _, l := range strings.Split(r.errOut, "\n") {
				if strings.HasPrefix(l, "why: ") || strings.HasPrefix(l, "  fix: ") {
					why = append(why, l)
				}
			}
			if len(why) < 2 {
				t.Fatalf("no why: lines:\n%s", r.errOut)
			}
			if want := "why: the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write (security scheme demo_oauth); the token has none keyhole knows of"; !strings.HasPrefix(why[0], want) {
				t.Errorf("first why:\n got %s\nwant %s…", why[0], want)
			}
			if !strings.Contains(why[0], `WWW-Authenticate agrees (scope="api:write")`) {
				t.Errorf("the server's word is not beside the spec's: %s", why[0])
			}
			if want := "`scopes = [\"api:read\", \"api:write\"]` in [providers.st]"; !strings.Contains(why[1], want) || !strings.Contains(why[1], "keyhole token st --force") {
				t.Errorf("fix: %s", why[1])
			}
			if strings.Contains(r.errOut, "static-tok-1") {
				t.Errorf("the token shows:\n%s", r.errOut)
			}
			if n := specGets.Load(); n != 1 {
				t.Errorf("the spec was fetched %d times, want 1", n)
			}
		})
	}
}

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
