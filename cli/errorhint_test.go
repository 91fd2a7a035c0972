package cli

import (
	"strings"
	"testing"
)

// TestPlainErrorSaysItsHintOnce: an error whose text already holds its
// hint (a config error's "did you mean token_url?", the allowed values)
// is one line in a script's stderr, as it is on a terminal; before, the
// plain output repeated the hint on a "hint:" line of its own.
func TestPlainErrorSaysItsHintOnce(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ name, text, hint string }{
		{"typo", "[providers.x]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"client_credentials\"\ntokne_url = \"http://127.0.0.1:1/t\"\n", "did you mean token_url?"},
		{"value", "[settings]\ntoken_cache = \"disk\"\n", "allowed: file, keyring, memory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := h.writeConfig(c.name+".toml", c.text)
			r := h.run("--config", cfg, "providers")
			r.expect(t, ExitUsage, "a broken config")
			if n := strings.Count(r.errOut, c.hint); n != 1 {
				t.Errorf("stderr says %q %d times, want once:\n%s", c.hint, n, r.errOut)
			}
			if strings.Contains(r.errOut, "hint:") {
				t.Errorf("stderr repeats the error's own hint on a hint line:\n%s", r.errOut)
			}
		})
	}
}
