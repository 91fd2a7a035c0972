package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
)

// keepErrorsFromFang has every command of c's tree report its own
// failure — printed by report, its exit code put in *code — and return no
// error to fang. fang asks the terminal for its background colour before
// it hands any error to its handler, and waits for the answer, twice: a
// round trip on every failure over SSH, 4 s on a terminal that never
// answers. Only Cobra's own refusals (an unknown flag, a missing
// argument), found before a command runs, still go through fang.
func keepErrorsFromFang(c *cobra.Command, code *int, report func(error) int) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := run(cmd, args); err != nil {
				*code = report(err)
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		keepErrorsFromFang(sub, code, report)
	}
}

// interrupted is the exit code of a command that failed with code: a
// failure that came of an interrupt (whatever it looks like — a request
// cancelled, a sign-in given up) is ExitInterrupted.
func interrupted(ctx context.Context, code int) int {
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	return code
}

// execute runs root through fang, keyhole's errors printed by
// errorHandler.
func execute(ctx context.Context, e env, root *cobra.Command) error {
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	return fang.Execute(ctx, root,
		fang.WithVersion(version()),
		fang.WithErrorHandler(errorHandler(e)),
	)
}

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

// ownErrorStyles are fang's error styles, made without asking the
// terminal anything: the badge's colours are the same on a dark and a
// light background.
func ownErrorStyles() errorStyles {
	cs := fang.DefaultColorScheme(lipgloss.LightDark(true))
	return errorStyles{
		header: lipgloss.NewStyle().Foreground(cs.ErrorHeader[0]).Background(cs.ErrorHeader[1]).
			Bold(true).Padding(0, 1).Margin(1).MarginLeft(2).SetString("ERROR"),
		flag: lipgloss.NewStyle().Foreground(cs.Flag),
	}
}

// errorHandler prints, for fang, the errors that reach it: Cobra's own.
func errorHandler(e env) fang.ErrorHandler {
	return func(w io.Writer, styles fang.Styles, err error) {
		e.printError(w, errorStyles{header: styles.ErrorHeader, flag: styles.Program.Flag}, err)
	}
}

// printError prints a failed command's error on stderr, with the hint
// keyhole's typed errors carry. On a terminal it is fang's ERROR badge
// over the error's text, verbatim; elsewhere (a script, a log, a test) it
// is one plain "keyhole: ..." line and a "hint: ..." line, which neither
// wrap nor carry escape codes. Either way the hint is not said twice when
// the error's text already holds it (a config error's "did you mean
// ...?"), and the text goes through the sanitizer first: an error quotes
// what a server or the config said, and that must not drive the terminal.
// A silentError has nothing to print.
func (e env) printError(w io.Writer, styles errorStyles, err error) {
	var silent *silentError
	if errors.As(err, &silent) {
		return
	}
	hint := termtext.Line(providers.Hint(err))
	err = shownError{err}
	if e.tty(e.stderr) {
		printTerminalError(w, styles, err, hint)
		return
	}
	text := err.Error()
	fmt.Fprintf(w, "keyhole: %s\n", text)
	if hint != "" && !strings.Contains(text, hint) {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}

// printTerminalError writes err under the ERROR badge, once and as it
// is: fang's own handler title-cases the first word (a config path became
// /Tmp/Work/Bad-Cfg.toml), wraps it at the terminal's width and adds a full
// stop. The hint gets its own line unless the text already says it, as a
// config error's "(quote the value)" does.
func printTerminalError(w io.Writer, styles errorStyles, err error, hint string) {
	text := err.Error()
	fmt.Fprintln(w, styles.header.String())
	fmt.Fprintf(w, "  %s\n", text)
	if isUsageError(text) {
		fmt.Fprintf(w, "\n  Try %s for usage.\n", styles.flag.Render("--help"))
	}
	if hint != "" && !strings.Contains(text, hint) {
		fmt.Fprintf(w, "\n  hint: %s\n", hint)
	}
	fmt.Fprintln(w)
}

// isUsageError reports whether Cobra refused the command line itself, as
// fang tells them apart.
func isUsageError(text string) bool {
	for _, prefix := range []string{"flag needs an argument:", "unknown flag:", "unknown shorthand flag:", "unknown command", "invalid argument"} {
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
