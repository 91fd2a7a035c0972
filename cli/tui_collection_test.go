package cli

import (
	"path/filepath"
	"testing"
)

// TestTUIFindsTheCollectionAndItsEnvFiles: the TUI's collection is the
// configured one, relative to the config's folder, and the env files
// beside it give the environment's variables, as for keyhole run.
func TestTUIFindsTheCollectionAndItsEnvFiles(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("keyhole/config.toml", "[providers.api]\nbase_url = \"https://api.example.test\"\ngrant = \"static\"\ntoken = \"t\"\n\n[settings]\ncollections = [\"requests/\"]\n")
	h.writeConfig("keyhole/requests/items.http", "GET {{host}}/items\n")
	h.writeConfig("keyhole/requests/http-client.env.json", `{"dev": {"host": "https://dev.example.test"}}`)
	h.vars["KEYHOLE_ENV"] = "dev"
	e, _, _ := h.env()
	opts, cleanup, err := tuiOptions(e, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	c := opts.Collection
	if len(c.Patterns) != 1 || c.Patterns[0] != "requests/" || c.Base != filepath.Dir(cfg) {
		t.Errorf("collection options: %+v", c)
	}
	if l := opts.Environment; l == nil || l.Name != "dev" || l.Vars("")["host"] != "https://dev.example.test" {
		t.Fatalf("the env files beside the collection are not read: %+v", l)
	}
}
