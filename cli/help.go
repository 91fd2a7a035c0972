package cli

import (
	"cmp"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/keyhole-sh/keyhole/internal/termtext"
)

// The colours of keyhole's command line, each one that reads on a dark
// and on a light background: the terminal is not asked which it has.
const (
	titleColor   = "#6B50FF"
	programColor = "#00A4FF"
	commandColor = "#FF4FBF"
	flagColor    = "#12C78F"
	dimColor     = "#858392"
	badgeFg      = "#FFFAF1"
	badgeBg      = "#FF388B"
)

const (
	helpWidth    = 80  // the width of help that goes to a pipe or a file
	helpMaxWidth = 120 // wider than this, lines are hard to read
)

// helpStyles colour help's parts; the zero value colours nothing.
type helpStyles struct {
	title, program, command, flag, dim lipgloss.Style
}

// ownHelpStyles are the colours of help on a terminal, chosen without
// asking it anything: none sets the colour of plain text, and each reads
// on a dark and on a light background.
func ownHelpStyles() helpStyles {
	return helpStyles{
		title:   lipgloss.NewStyle().Foreground(lipgloss.Color(titleColor)).Bold(true),
		program: lipgloss.NewStyle().Foreground(lipgloss.Color(programColor)),
		command: lipgloss.NewStyle().Foreground(lipgloss.Color(commandColor)),
		flag:    lipgloss.NewStyle().Foreground(lipgloss.Color(flagColor)),
		dim:     lipgloss.NewStyle().Foreground(lipgloss.Color(dimColor)),
	}
}

// setHelp makes c's tree print its help (--help, -h, keyhole help CMD)
// and its usage with printHelp.
func (e env) setHelp(c *cobra.Command) {
	c.SetHelpFunc(func(c *cobra.Command, _ []string) {
		e.printHelp(c.OutOrStdout(), c)
	})
	c.SetUsageFunc(func(c *cobra.Command) error {
		e.printHelp(c.OutOrStderr(), c)
		return nil
	})
}

// printHelp writes c's help to w: what the command does, its usage, its
// examples, its subcommands and its flags. keyhole prints its help itself
// rather than through a library that asks the terminal for its background
// colour first and waits for the answer (seconds on a terminal that never
// answers, a round trip over SSH): its colours read on a dark and a light
// background alike, and go through colorprofile, so that a dumb TERM, a
// pipe or a file get plain text, and NO_COLOR no colour (bold stays, as
// no-color.org allows). No line is padded to a width.
func (e env) printHelp(w io.Writer, c *cobra.Command) {
	out := colorprofile.NewWriter(w, environ(e.getenv))
	h := helpPrinter{w: out, s: ownHelpStyles(), width: e.helpWidth(w)}
	h.text(cmp.Or(c.Long, c.Short))
	h.section("usage", h.usage(c))
	h.section("examples", h.examples(c))
	h.section("commands", h.commands(c))
	// A command's own flags and those of keyhole's it takes too, in one
	// layout: their names and descriptions line up across both.
	local, global := c.LocalFlags(), c.InheritedFlags()
	short := hasShorthand(local) || hasShorthand(global)
	own, inherited := flagRows(local, short), flagRows(global, short)
	width := keyWidth(append(own, inherited...))
	h.section("flags", h.columns(own, width, h.s.flag))
	h.section("global flags", h.columns(inherited, width, h.s.flag))
	h.line("")
}

// helpWidth is the width help is laid out in: the terminal's, up to
// helpMaxWidth, else helpWidth. Its size is a system call, not a question
// the terminal answers.
func (e env) helpWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !e.tty(w) {
		return helpWidth
	}
	cols, _, err := term.GetSize(f.Fd())
	if err != nil || cols <= 0 {
		return helpWidth
	}
	return min(cols, helpMaxWidth)
}

// usage is c's usage line, one for each form its Use gives ("call NAME
// METHOD PATH|URL | call NAME @OPERATION_ID" is two), each with the
// command's full path.
func (h helpPrinter) usage(c *cobra.Command) []string {
	use := termtext.Line(c.Use)
	var lines []string
	for i, form := range strings.Split(use, " | "+c.Name()+" ") {
		if i > 0 {
			form = c.Name() + " " + form
		}
		if c.HasParent() {
			form = c.Parent().CommandPath() + " " + form
		}
		if c.HasAvailableSubCommands() && !strings.Contains(form, "[command]") {
			form += " [command]"
		}
		if c.HasAvailableFlags() && !c.DisableFlagsInUseLine && !strings.Contains(form, "[flags]") {
			form += " [flags]"
		}
		lines = append(lines, strings.Repeat(" ", itemIndent)+h.commandLine(c.Root(), form))
	}
	return lines
}

// examples are c's examples as written, their common indent replaced by
// the section's, a comment dimmed and a command line coloured.
func (h helpPrinter) examples(c *cobra.Command) []string {
	lines := strings.Split(strings.Trim(termtext.Text(c.Example), "\n"), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n := len(l) - len(strings.TrimLeft(l, " \t"))
			if indent < 0 || n < indent {
				indent = n
			}
		}
	}
	if indent < 0 {
		return nil
	}
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			out = append(out, "")
			continue
		}
		l = l[indent:]
		if strings.HasPrefix(l, "#") {
			l = h.s.dim.Render(l)
		} else {
			l = h.commandLine(c.Root(), l)
		}
		out = append(out, strings.Repeat(" ", itemIndent)+l)
	}
	return out
}

// commandLine colours a command line of root's: root's name, the
// commands that follow it, the flags; a bracketed part ([flags], an
// optional argument) is dimmed, and a quoted one left as it is.
func (h helpPrinter) commandLine(root *cobra.Command, line string) string {
	words := strings.Split(line, " ")
	var cmd *cobra.Command
	depth := 0
	var quote byte
	for i, word := range words {
		if word == "" {
			continue
		}
		switch {
		case quote != 0 || word[0] == '\'' || word[0] == '"':
			if quote == 0 {
				quote = word[0]
				word = word[1:]
			}
			if strings.IndexByte(word, quote) >= 0 {
				quote = 0
			}
			continue
		case depth > 0 || word[0] == '[':
			depth += strings.Count(word, "[") - strings.Count(word, "]")
			words[i] = h.s.dim.Render(words[i])
		case cmd == nil && word == root.Name():
			cmd = root
			words[i] = h.s.program.Render(word)
		case cmd != nil && subcommand(cmd, word) != nil:
			cmd = subcommand(cmd, word)
			words[i] = h.s.command.Render(word)
		case len(word) > 1 && word[0] == '-':
			words[i] = h.s.flag.Render(word)
		}
	}
	return strings.Join(words, " ")
}

// subcommand is c's subcommand called name, or nil.
func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name {
			return sub
		}
	}
	return nil
}

// commands lists c's subcommands, by name, with what each does; help is
// listed, a hidden command is not.
func (h helpPrinter) commands(c *cobra.Command) []string {
	var rows []row
	for _, sub := range c.Commands() {
		if sub.Hidden || !sub.IsAvailableCommand() && sub.Name() != "help" {
			continue
		}
		rows = append(rows, row{key: termtext.Line(sub.Name()), text: termtext.Line(sub.Short)})
	}
	return h.columns(rows, keyWidth(rows), h.s.command)
}

// hasShorthand reports whether a visible flag of fs has a shorthand.
func hasShorthand(fs *pflag.FlagSet) bool {
	found := false
	fs.VisitAll(func(f *pflag.Flag) { found = found || f.Shorthand != "" && !f.Hidden })
	return found
}

// flagRows are the visible flags of fs and their descriptions: each
// flag's shorthand first (or room for one, when short says others have
// one), the kind of value it takes, and its default where that says
// something.
func flagRows(fs *pflag.FlagSet, short bool) []row {
	var rows []row
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		value, usage := pflag.UnquoteUsage(f)
		name := "--" + f.Name
		switch {
		case f.Shorthand != "":
			name = "-" + f.Shorthand + ", " + name
		case short:
			name = "    " + name
		}
		if value == "stringArray" {
			value = "string" // the description says it repeats
		}
		if value != "" {
			name += " " + value
		}
		r := row{key: termtext.Line(name), text: termtext.Text(usage)}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" && d != "[]" {
			r.def = termtext.Line("(default " + d + ")")
		}
		rows = append(rows, r)
	})
	return rows
}
