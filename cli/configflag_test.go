package cli

import (
	"fmt"
	"testing"
)

// TestEmptyConfigFlagIsAnError: --config "" (a script's --config "$CFG"
// with CFG unset) is a usage error naming the flag. It was taken for no
// flag at all: the command ran on whatever config the machine has, or on
// the built-in demo, and a CI step called a server it was never meant to.
func TestEmptyConfigFlagIsAnError(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	h.writeConfig("config/keyhole/config.toml", staticConfig("api", es.URL, "tok-1", ""))
	for _, args := range [][]string{
		{"--config", "", "providers"},
		{"--config=", "providers"},
		{"call", "api", "GET", "/x", "--config", ""},
		{"--config", ""},
		{"--config", "", "--env", "x"},
	} {
		r := h.run(args...)
		r.expect(t, ExitUsage, fmt.Sprintf("keyhole %q", args))
		r.errHas(t, "--config is empty")
		if _, n := es.lastRequest(); n != 0 {
			t.Fatalf("keyhole %q: the default config's server was called", args)
		}
	}
}
