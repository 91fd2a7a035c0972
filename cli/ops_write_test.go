package cli

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// writeCounter counts the writes it is given: each is a system call
// when stdout is a pipe or a terminal.
type writeCounter struct {
	mu     sync.Mutex
	writes int
	b      strings.Builder
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.b.Write(p)
}

// TestOpsBufferedOutput lists many operations: the table reaches stdout
// in a few large writes, not one per cell and padding (tabwriter's), which
// cost a GitHub-sized listing about 14,000 system calls.
func TestOpsBufferedOutput(t *testing.T) {
	h := newHarness(t)
	api := newSpecHost(t)
	o := spectest.Options{Operations: 400, Schemas: 20, Depth: 3, Version: "3.0.3", Example: 100}
	h.writeConfig("many.json", string(spectest.JSON(o)))
	cfg := h.writeConfig("k.toml", staticConfig("st", api.URL, "static-tok-1", "openapi = \"many.json\"\n"))

	e, _, errOut := h.env()
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	e.stdin = stdin
	out := &writeCounter{}
	e.stdout = out
	if code := run(context.Background(), []string{"--config", cfg, "ops", "st"}, e); code != 0 {
		t.Fatalf("ops: exit %d: %s", code, errOut.String())
	}
	text := out.b.String()
	if n := strings.Count(text, "\n"); n != 400 {
		t.Fatalf("%d rows, want 400:\n%.500s", n, text)
	}
	if most := len(text)/4096 + 2; out.writes > most {
		t.Errorf("%d rows (%d bytes) in %d writes: want at most %d", 400, len(text), out.writes, most)
	}
}
