package cli

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/attack"
)

// TestTerminalErrorPrintedOnceVerbatim: on a terminal, a broken config's
// error is said once, as written — the path in its own case, not
// title-cased by the styling — and its hint is not said a second time.
func TestTerminalErrorPrintedOnceVerbatim(t *testing.T) {
	h := newHarness(t)
	path := h.writeConfig("bad-cfg.toml", "[providers.x]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"client_credentials\"\ntoken_url = 42\n")
	for _, args := range [][]string{{"providers", "--config", path}, {"token", "x", "--config", path}} {
		r := runOn(h, true, args...)
		if r.code != ExitUsage {
			t.Errorf("keyhole %v: exit %d, want %d", args, r.code, ExitUsage)
		}
		out := attack.OwnSGR.ReplaceAllString(r.errOut, "")
		if n := strings.Count(out, path+":4:"); n != 1 {
			t.Errorf("keyhole %v: the path %s:4 is printed %d times, want once, verbatim:\n%s", args, path, n, out)
		}
		if n := strings.Count(out, "quote the value"); n != 1 {
			t.Errorf("keyhole %v: the hint is printed %d times, want once:\n%s", args, n, out)
		}
		if !strings.Contains(out, "ERROR") {
			t.Errorf("keyhole %v: no error badge on a terminal:\n%s", args, out)
		}
		checkTerminalSafe(t, "error on a terminal", r.errOut, true)
	}
}
