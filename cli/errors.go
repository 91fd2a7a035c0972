package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
)

// interrupted is the exit code of a command that failed with code: a
// failure that came of an interrupt (whatever it looks like — a request
// cancelled, a sign-in given up) is ExitInterrupted.
func interrupted(ctx context.Context, code int) int {
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	return code
}

// execute runs root's command line with Cobra alone: keyhole prints its
// help (printHelp) and every error (printError) itself, neither asking the
// terminal anything. A refusal of Cobra's (an unknown flag or command, a
// missing argument) comes back as a *refusal naming the command refused.
func execute(ctx context.Context, e env, root *cobra.Command) error {
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SilenceErrors = true // printError says it
	root.SilenceUsage = true  // a refusal points to --help rather than printing it all
	root.Version = version()
	e.setHelp(root)
	root.AddCommand(newManCmd(e))
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && isUsageError(err.Error()) {
		if cmd == nil {
			cmd = root
		}
		return &refusal{err: err, command: cmd.CommandPath()}
	}
	return err
}

// refusal is Cobra's refusal of a command line, before any command ran.
type refusal struct {
	err     error
	command string // the command refused, for its --help: "keyhole call"
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// reportError says err as a failed command does, and returns its exit
// code.
func reportError(e env, err error) int {
	e.printError(colorprofile.NewWriter(e.stderr, environ(e.getenv)), ownErrorStyles(), err)
	return exitCode(err)
}

// silentError ends a command with a code and nothing more to say: what
// there was to say (a response body, a status line) is already printed.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// errorStyles are the styles a failure is printed with on a terminal.
type errorStyles struct {
	header, flag lipgloss.Style
}

// ownErrorStyles are the styles of a failure on a terminal, made without
// asking it anything: the badge's colours are the same on a dark and a
// light background.
func ownErrorStyles() errorStyles {
	return errorStyles{
		header: lipgloss.NewStyle().Foreground(lipgloss.Color(badgeFg)).Background(lipgloss.Color(badgeBg)).
			Bold(true).Padding(0, 1).Margin(1).MarginLeft(2).SetString("ERROR"),
		flag: lipgloss.NewStyle().Foreground(lipgloss.Color(flagColor)),
	}
}

// printError prints a failed command's error on stderr, with the hint
// keyhole's typed errors carry. On a terminal it is an ERROR badge over
// the error's text, verbatim; elsewhere (a script, a log, a test) it is
// one plain "keyhole: ..." line and a "hint: ..." line, which neither wrap
// nor carry escape codes. Either way the hint is not said twice when the
// error's text already holds it (a config error's "did you mean ...?"),
// and the text goes through the sanitizer first: an error quotes what a
// server or the config said, and that must not drive the terminal. A
// refusal of Cobra's also says where the command's help is. A silentError
// has nothing to print.
func (e env) printError(w io.Writer, styles errorStyles, err error) {
	var silent *silentError
	if errors.As(err, &silent) {
		return
	}
	hint := termtext.Line(providers.Hint(err))
	var help string
	if r := (*refusal)(nil); errors.As(err, &r) {
		help = termtext.Line(r.command + " --help")
	}
	err = shownError{err}
	if e.tty(e.stderr) {
		printTerminalError(w, styles, err, hint, help)
		return
	}
	text := err.Error()
	fmt.Fprintf(w, "keyhole: %s\n", text)
	if help != "" {
		fmt.Fprintf(w, "Try '%s' for usage.\n", help)
	}
	if hint != "" && !strings.Contains(text, hint) {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}

// printTerminalError writes err under the ERROR badge, once and as it
// is, neither title-cased (a config path would become
// /Tmp/Work/Bad-Cfg.toml), nor wrapped, nor given a full stop. The hint
// gets its own line unless the text already says it, as a config error's
// "(quote the value)" does; help, when not empty, is the command line that
// shows the refused command's help.
func printTerminalError(w io.Writer, styles errorStyles, err error, hint, help string) {
	text := err.Error()
	fmt.Fprintln(w, styles.header.String())
	fmt.Fprintf(w, "  %s\n", text)
	if help != "" {
		fmt.Fprintf(w, "\n  Try %s for usage.\n", styles.flag.Render(help))
	}
	if hint != "" && !strings.Contains(text, hint) {
		fmt.Fprintf(w, "\n  hint: %s\n", hint)
	}
	fmt.Fprintln(w)
}

// isUsageError reports whether text is Cobra's (or pflag's) refusal of a
// command line: an unknown or malformed flag, an unknown command, too few
// or too many arguments, flags of a group (call's --pretty and --raw) set
// together or not at all. Cobra gives them no type of their own
// (https://github.com/spf13/cobra/pull/2266), so their words tell them.
func isUsageError(text string) bool {
	for _, prefix := range []string{
		"flag needs an argument:", "unknown flag:", "unknown shorthand flag:", "bad flag syntax:",
		"unknown command", "invalid argument", "requires at least", "accepts ",
		"if any flags in the group", "at least one of the flags in the group", "required flag(s)",
	} {
		if strings.HasPrefix(text, prefix) {
			return true
		}
	}
	return false
}

// shownError is an error as it is printed: its text made safe for a
// terminal.
type shownError struct{ err error }

func (e shownError) Error() string { return termtext.Line(e.err.Error()) }
func (e shownError) Unwrap() error { return e.err }

// exitCode maps an error onto the documented exit codes.
func exitCode(err error) int {
	var ee *exitError
	var se *silentError
	var te *providers.TokenError
	var ne *providers.NetworkError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &se):
		return se.code
	case errors.As(err, &te):
		return ExitToken
	case errors.As(err, &ne):
		return ExitNetwork
	}
	return ExitUsage
}
