package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompleteOperations: the word after NAME in call and curl completes
// to the @operationIds of a spec at hand, with their summaries, and
// completion never fetches a spec nor writes the cache.
func TestCompleteOperations(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \""+api.URL+"/openapi.json\"\n"))
	cacheDir := filepath.Join(h.dir, ".cache", "keyhole")

	// Not cached yet: the methods only, nothing fetched, nothing made.
	r := h.run("--config", cfg, "__complete", "call", "st", "")
	r.expect(t, 0, "__complete call st")
	if !strings.Contains(r.out, "GET\n") || strings.Contains(r.out, "@") {
		t.Errorf("before the spec is cached:\n%s", r.out)
	}
	if n := len(api.Requests()); n != 0 {
		t.Fatalf("completion fetched the spec (%d requests)", n)
	}
	if _, err := os.Stat(cacheDir); err == nil {
		t.Errorf("completion made the cache folder")
	}

	h.run("--config", cfg, "ops", "st").expect(t, 0, "ops st caches the spec")
	fetched := len(api.Requests())

	for _, cmd := range []string{"call", "curl"} {
		r = h.run("--config", cfg, "__complete", cmd, "st", "@")
		r.expect(t, 0, "__complete "+cmd+" st @")
		want := "@listItems\tList the items\n@createItem\tCreate an item\n@deleteItem\tDelete an item␛[2J\n:4\n"
		if !strings.HasPrefix(r.out, want) {
			t.Errorf("%s st @: got\n%q\nwant it to begin with\n%q", cmd, r.out, want)
		}
		// With no '@' yet, the methods come first, then the operations.
		r = h.run("--config", cfg, "__complete", cmd, "st", "")
		if !strings.HasPrefix(r.out, "GET\n") || !strings.Contains(r.out, "\n@deleteItem\tDelete an item␛[2J\n") {
			t.Errorf("%s st '': got\n%s", cmd, r.out)
		}
	}
	if strings.Contains(r.out, "\x1b") {
		t.Errorf("an escape from the spec reached the shell: %q", r.out)
	}
	if n := len(api.Requests()); n != fetched {
		t.Errorf("completion asked the server %d times", n-fetched)
	}

	// A spec file is at hand without a cache; an id the shell could not
	// take as one word is left out; the summary's escape is shown, not
	// played.
	h.writeConfig("odd.json", strings.Replace(opsSpec, `"operationId": "createItem"`, `"operationId": "create item\nrm"`, 1))
	cfg = h.writeConfig("k2.toml", staticConfig("fl", api.URL, "static-tok-1", "openapi = \"odd.json\"\n"))
	r = h.run("--config", cfg, "__complete", "curl", "fl", "@")
	r.expect(t, 0, "__complete curl fl @")
	if !strings.HasPrefix(r.out, "@listItems\tList the items\n@deleteItem\tDelete an item␛[2J\n:4\n") {
		t.Errorf("curl fl @: got\n%q", r.out)
	}
	// A provider without a spec, or unknown: the methods.
	r = h.run("--config", cfg, "__complete", "call", "nope", "")
	if !strings.HasPrefix(r.out, "GET\n") || strings.Contains(r.out, "@") {
		t.Errorf("unknown provider: %q", r.out)
	}
}

// TestCompleteProviderName: token, ops and dpop complete their first word
// to the config's providers, then the demo's, and offer nothing (not even
// files) after it.
func TestCompleteProviderName(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", "https://api.example.com", "static-tok-1", ""))
	for _, cmd := range []string{"token", "ops", "dpop"} {
		r := h.run("--config", cfg, "__complete", cmd, "")
		r.expect(t, 0, "__complete "+cmd)
		if !strings.HasPrefix(r.out, "st\n") || !strings.Contains(r.out, "\ndemo-cc\n") || !strings.HasSuffix(r.out, ":4\n") {
			t.Errorf("%s '': got\n%q", cmd, r.out)
		}
		r = h.run("--config", cfg, "__complete", cmd, "st", "")
		r.expect(t, 0, "__complete "+cmd+" st")
		if r.out != ":4\n" {
			t.Errorf("%s st '': got\n%q", cmd, r.out)
		}
	}
}
