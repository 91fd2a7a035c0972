package cli

import (
	"context"
	"strings"
	"testing"
)

// TestRefusalsSayWhereHelpIs: a command line Cobra refuses (an unknown
// flag or command, a flag without its value or with a bad one, an
// argument missing, two flags that exclude each other) exits 1 with one "keyhole: ..." line and where the
// refused command's help is; nothing on stdout.
func TestRefusalsSayWhereHelpIs(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
		help string
	}{
		{[]string{"--bogus"}, "unknown flag: --bogus", "keyhole --help"},
		{[]string{"bogus"}, `unknown command "bogus" for "keyhole"`, "keyhole --help"},
		{[]string{"call", "--bogus"}, "unknown flag: --bogus", "keyhole call --help"},
		{[]string{"call", "-Z"}, "unknown shorthand flag: 'Z' in -Z", "keyhole call --help"},
		{[]string{"run", "--junit"}, "flag needs an argument: --junit", "keyhole run --help"},
		{[]string{"share", "--max-viewers", "many"}, `invalid argument "many" for "--max-viewers" flag`, "keyhole share --help"},
		{[]string{"ops"}, "requires at least 1 arg(s), only received 0", "keyhole ops --help"},
		{[]string{"version", "extra"}, `unknown command "extra" for "keyhole version"`, "keyhole version --help"},
		{[]string{"call", "demo-cc", "GET", "/x", "--pretty", "--raw"}, "if any flags in the group [pretty raw] are set none of the others can be", "keyhole call --help"},
	} {
		r := newHarness(t).run(c.args...)
		what := strings.Join(c.args, " ")
		r.expect(t, ExitUsage, what)
		want := "keyhole: " + c.says
		if first, _, _ := strings.Cut(r.errOut, "\n"); !strings.HasPrefix(first, want) {
			t.Errorf("%s: stderr %q, want a first line %q", what, r.errOut, want)
		}
		if !strings.HasSuffix(r.errOut, "\nTry '"+c.help+"' for usage.\n") {
			t.Errorf("%s: stderr %q does not end with where %s is", what, r.errOut, c.help)
		}
		if r.out != "" {
			t.Errorf("%s wrote to stdout: %q", what, r.out)
		}
	}
}

// TestARefusalOnATerminal: on a terminal a refusal is under the ERROR
// badge, with the command that shows the refused command's help; what
// the command line said goes through the sanitizer. A keyhole error that
// already says where its help is gets no second pointer.
func TestARefusalOnATerminal(t *testing.T) {
	h := newHarness(t)
	e, out, errOut := h.env()
	e.terminal = func(f any) bool { return f == any(out) || f == any(errOut) }
	if code := run(context.Background(), []string{"call", "--bo\x1b]0;pwned\x07gus"}, e); code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	got := errOut.String()
	for _, want := range []string{"ERROR", "unknown flag: --bo␛]0;pwned␇gus", "Try keyhole call --help for usage."} {
		if !strings.Contains(got, want) {
			t.Errorf("the terminal does not say %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "\x1b]") || strings.Contains(got, "\x07") {
		t.Errorf("what the command line said drives the terminal: %q", got)
	}
	e, _, errOut = h.env()
	e.terminal = func(f any) bool { return true }
	if code := run(context.Background(), []string{"call"}, e); code != ExitUsage {
		t.Fatalf("call with no arguments: exit %d, want %d", code, ExitUsage)
	}
	if got := errOut.String(); !strings.Contains(got, "see keyhole call --help") || strings.Contains(got, "Try ") {
		t.Errorf("call with no arguments:\n%q", got)
	}
}
