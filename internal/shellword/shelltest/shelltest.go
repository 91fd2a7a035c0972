// Package shelltest holds what the tests of shell words and of exported
// commands share: strings a shell would mangle, the shells on this machine
// to check them with, and a fake keyhole for a command's $(keyhole token).
// Only tests import it.
package shelltest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/shellword"
)

// Nasty are strings a shell would mangle unless quoted right: quotes of
// both kinds, expansions, escapes, globs, comments, newlines.
var Nasty = []string{
	"", "plain", "it's", `say "hi"`, "$HOME", "${HOME}", "$(id)", "`id`",
	`back\slash`, `\'`, "'''", `"'"'"`, "a\nb", "line1\n\nline3\n", "tab\there",
	"*?[a-z]{1,2}", "# not a comment", "~root", "=ls", "!!", "a;b|c&d>e<f",
	"ünïcödé •••", "-n", "@file", "$'x'", `\`,
}

// Shells are the POSIX shells on this machine (sh, bash, zsh); the test is
// skipped when there is none.
func Shells(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, s := range []string{"sh", "bash", "zsh"} {
		if _, err := exec.LookPath(s); err == nil {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		t.Skip("no POSIX shell")
	}
	return out
}

// RequireCurl skips the test when curl is not installed: the tests that
// run an exported command need the real one.
func RequireCurl(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
}

// FakeKeyhole puts a keyhole on a PATH of its own that records its
// arguments in argsFile and prints token, as keyhole token would.
func FakeKeyhole(t testing.TB, token string) (pathDir, argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + shellword.Quote(argsFile) + "\nprintf '%s\\n' " + shellword.Quote(token) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "keyhole"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, argsFile
}
