package cli

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestHelpGolden: keyhole --help and keyhole run --help, as a pipe or a
// file gets them (80 columns, no colour). go test ./cli -run
// TestHelpGolden -update writes them again.
func TestHelpGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"root": {"--help"},
		"run":  {"run", "--help"},
	} {
		t.Run(name, func(t *testing.T) {
			r := newHarness(t).run(args...)
			r.expect(t, ExitOK, strings.Join(args, " "))
			golden.RequireEqual(t, r.out)
		})
	}
}

// TestEveryCommandsHelpShowsItAll walks the command tree: each command's
// help, piped, shows what the command does, its usage, every line of its
// examples and every flag it takes (its own and keyhole's), with no line
// padded with spaces and no escape code, though TERM says the terminal
// has colours. fang padded every line of help that went to a pipe or a
// file to its width.
func TestEveryCommandsHelpShowsItAll(t *testing.T) {
	h := newHarness(t)
	h.vars["TERM"] = "xterm-256color"
	h.vars["COLORTERM"] = "truecolor"
	e, _, _ := h.env()
	root := newRoot(e, allCommands)
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.Hidden {
				walk(sub)
			}
		}
		path := strings.Fields(c.CommandPath())[1:]
		r := h.run(append(path, "--help")...)
		what := c.CommandPath() + " --help"
		r.expect(t, ExitOK, what)
		if r.errOut != "" {
			t.Errorf("%s wrote to stderr: %q", what, r.errOut)
		}
		out := r.out
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s, piped, has escape codes:\n%q", what, out)
		}
		for i, line := range strings.Split(out, "\n") {
			if strings.TrimRight(line, " \t") != line {
				t.Errorf("%s, line %d, ends in spaces: %q", what, i+1, line)
			}
		}
		if !strings.Contains(oneLine(out), oneLine(firstLine(c.Long, c.Short))) {
			t.Errorf("%s does not say what the command does (%q):\n%s", what, firstLine(c.Long, c.Short), out)
		}
		if !strings.Contains(out, "\n  USAGE\n\n    "+c.CommandPath()) {
			t.Errorf("%s has no usage line for %s:\n%s", what, c.CommandPath(), out)
		}
		for line := range strings.Lines(c.Example) {
			if line = strings.TrimSpace(line); line != "" && !strings.Contains(out, "    "+line+"\n") {
				t.Errorf("%s lacks the example line %q:\n%s", what, line, out)
			}
		}
		// LocalFlags and InheritedFlags, not Flags: before a command runs,
		// its Flags hold none of the persistent ones (--config, --env).
		for _, fs := range []*pflag.FlagSet{c.LocalFlags(), c.InheritedFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				name := "--" + f.Name
				if f.Shorthand != "" {
					name = "-" + f.Shorthand + ", " + name
				}
				if !f.Hidden && !strings.Contains(out, "    "+name) {
					t.Errorf("%s lacks the flag %s:\n%s", what, name, out)
				}
			})
		}
	}
	walk(root)
}

// oneLine is s with its runs of spaces and newlines made single spaces:
// help fills a paragraph again when it is wider than the width.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstLine is the first line of the first of long and short not empty.
func firstLine(long, short string) string {
	s := strings.TrimSpace(long)
	if s == "" {
		s = short
	}
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// TestHelpShowsDefaultsAndValues: a flag that takes a value names its kind,
// and one whose default says something shows it.
func TestHelpShowsDefaultsAndValues(t *testing.T) {
	r := newHarness(t).run("serve-demo", "--help")
	r.expect(t, ExitOK, "serve-demo --help")
	r.outHas(t, "--addr string", "(default 127.0.0.1:8400)", "--token-ttl duration", "(default 1m30s)",
		"\n  GLOBAL FLAGS\n", "--config string")
	help := newHarness(t).run("help", "serve-demo")
	help.expect(t, ExitOK, "help serve-demo")
	if help.out != r.out {
		t.Errorf("keyhole help serve-demo is not keyhole serve-demo --help:\n%s\n---\n%s", help.out, r.out)
	}
}

// TestHelpColoursAsTheEnvironmentSays: help's colours follow the
// variables keyhole runs with (here CLICOLOR_FORCE, as it has no
// terminal), not the process's own; no line ends in spaces, coloured or
// not. (NO_COLOR and TERM=dumb on a terminal: TestHelpAsksTheTerminalNothing.)
func TestHelpColoursAsTheEnvironmentSays(t *testing.T) {
	h := newHarness(t)
	h.vars["TERM"] = "xterm-256color"
	h.vars["CLICOLOR_FORCE"] = "1"
	r := h.run("call", "--help")
	r.expect(t, ExitOK, "call --help")
	if !strings.Contains(r.out, "\x1b[38;") {
		t.Errorf("CLICOLOR_FORCE=1: help is not coloured:\n%q", r.out)
	}
	for line := range strings.Lines(r.out) {
		if strings.HasSuffix(strings.TrimSuffix(line, "\n"), " ") {
			t.Errorf("a line ends in spaces: %q", line)
		}
	}
}

// TestWrapKeepsIndentAndWords: help's wrapping breaks at spaces only,
// keeps a line's indent, and leaves a line that fits as it is.
func TestWrapKeepsIndentAndWords(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"short  line ", 20, []string{"short  line "}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"  indented words here", 12, []string{"  indented", "  words here"}},
		{"averyveryverylongword x", 5, []string{"averyveryverylongword", "x"}},
	} {
		got := wrap(c.in, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// TestManNamesEveryCommand: keyhole man (hidden) prints the roff manual
// page of the whole tree, on keyhole's stdout (fang's went to the
// process's, past the command's writer).
func TestManNamesEveryCommand(t *testing.T) {
	h := newHarness(t)
	r := h.run("man")
	r.expect(t, ExitOK, "man")
	if !strings.HasPrefix(r.out, ".TH KEYHOLE 1 ") || !strings.Contains(r.out, "\n.SH SYNOPSIS\n") {
		t.Fatalf("keyhole man is not a manual page:\n%s", r.out)
	}
	e, _, _ := h.env()
	root := newRoot(e, allCommands)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if !c.Hidden && !strings.Contains(r.out, `\fB`+c.Name()+`\fP`) {
			t.Errorf("keyhole man does not name %s", c.Name())
		}
	}
	if strings.Contains(r.out, `\fBman\fP`) {
		t.Errorf("keyhole man lists itself, a hidden command")
	}
	if help := h.run("--help"); strings.Contains(help.out, "man ") {
		t.Errorf("--help lists the hidden man:\n%s", help.out)
	}
}

// TestVersionFlag: --version and -v print what they always did, Cobra's
// "keyhole version VERSION".
func TestVersionFlag(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		r := newHarness(t).run(flag)
		r.expect(t, ExitOK, flag)
		if want := "keyhole version " + version() + "\n"; r.out != want || r.errOut != "" {
			t.Errorf("%s: stdout %q, stderr %q; want stdout %q", flag, r.out, r.errOut, want)
		}
	}
}

// TestHelpColumnsFitANarrowTerminal: on a terminal too narrow for a flag
// and its description side by side (40 columns, call's flags), each
// description goes under its flag rather than past the terminal's edge,
// where the terminal would break it across the flags' column; every word
// is still said. Wide enough (50 columns), the two columns stay.
func TestHelpColumnsFitANarrowTerminal(t *testing.T) {
	e, _, _ := newHarness(t).env()
	call := subcommand(newRoot(e, "call"), "call")
	own, global := flagRows(call.LocalFlags(), true), flagRows(call.InheritedFlags(), true)
	rows := append(own, global...)
	for _, width := range []int{40, 50, 80} {
		h := helpPrinter{width: width}
		lines := h.columns(rows, keyWidth(rows), lipgloss.NewStyle())
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width && len(strings.Fields(l)) > 1 {
				t.Errorf("width %d: a line of %d columns: %q", width, w, l)
			}
		}
		said := oneLine(strings.Join(lines, "\n"))
		for _, r := range rows {
			if !strings.Contains(said, oneLine(r.key)) || !strings.Contains(said, oneLine(r.text+" "+r.def)) {
				t.Errorf("width %d: %q (%s) is not said whole:\n%s", width, r.key, r.text, strings.Join(lines, "\n"))
			}
		}
		if two := strings.HasPrefix(lines[0], "    -d, --data string  "); two != (width > 40) {
			t.Errorf("width %d: the description beside its flag: %v:\n%s", width, two, strings.Join(lines, "\n"))
		}
	}
}

// TestManDescriptionKeepsItsParagraphs: the manual page's DESCRIPTION has
// root's paragraphs, each whole: roff.Text makes every line of its text a
// paragraph of its own, and man showed "...shows its state", a blank
// line, then "and a live countdown to expiry...".
func TestManDescriptionKeepsItsParagraphs(t *testing.T) {
	r := newHarness(t).run("man")
	r.expect(t, ExitOK, "man")
	_, desc, _ := strings.Cut(r.out, ".SH DESCRIPTION\n")
	desc, _, _ = strings.Cut(desc, ".SH ")
	if n := strings.Count(desc, ".PP\n"); n != 1 {
		t.Errorf("DESCRIPTION has %d paragraph breaks, want 1 (two paragraphs):\n%s", n, desc)
	}
	if !strings.Contains(desc, "shows its state and a live countdown to expiry") {
		t.Errorf("a paragraph is broken at its source's line ends:\n%s", desc)
	}
}
