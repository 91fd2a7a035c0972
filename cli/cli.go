// Package cli is keyhole's command line: the Cobra commands, their flags,
// output formats and exit codes.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/keyhole-sh/keyhole/internal/tuistart"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/browser"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// Exit codes, as documented in the README and DESIGN.md.
const (
	ExitOK      = 0
	ExitUsage   = 1 // usage, config or no-terminal error
	ExitToken   = 2 // the token endpoint answered but no token came
	ExitNetwork = 3 // a network failure reaching anything
	// ExitInterrupted is a command that failed because Ctrl+C or SIGTERM
	// stopped it: 128+SIGINT, what a shell reports for a command the
	// signal killed, so that a script tells it from a failure of its own.
	ExitInterrupted = 130
)

// exitError carries an exit code through Cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// env is what the commands read from the outside world, injected so tests
// can run them hermetically.
type env struct {
	stdin          *os.File
	stdout, stderr io.Writer
	getenv         func(string) string
	lookupEnv      config.Env
	// open shows a URL in the person's browser; nil means there is none,
	// and the URL is only printed. Tests inject one that plays the browser.
	open func(url string) error
	// sleep waits between device-grant polls; nil means a real timer.
	sleep func(ctx context.Context, d time.Duration) error
	// terminal reports whether f (stdin, stdout, stderr) is a terminal;
	// nil means asking the system. Tests inject one to see what keyhole
	// prints to a terminal.
	terminal func(f any) bool
	// envFlag is the root's --env, set when the command line is parsed.
	envFlag *string
}

// tty reports whether f is a terminal, as e.terminal says.
func (e env) tty(f any) bool {
	if e.terminal != nil {
		return e.terminal(f)
	}
	return isTerminal(f)
}

// jsonStdout is where a command's JSON goes, and what must be called when
// it is written. To a pipe or a file that is stdout itself, byte for byte.
// On a terminal it is the sanitizer: encoding/json escapes C0 controls but
// leaves C1 controls and bidirectional overrides raw inside strings, and
// the sanitizer writes those as \u009B-style text, which is the same
// character to a JSON reader.
func (e env) jsonStdout() (io.Writer, func() error) {
	if !e.tty(e.stdout) {
		return e.stdout, func() error { return nil }
	}
	w := termtext.NewWriter(e.stdout)
	return w, w.Flush
}

// printJSON writes v to stdout as indented JSON, through jsonStdout. HTML
// characters stay as they are: the reader is a person or jq, not a page.
func (e env) printJSON(v any) error {
	out, flush := e.jsonStdout()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return flush()
}

func osEnv() env {
	return env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookupEnv: os.LookupEnv, open: browser.Open}
}

// Execute runs keyhole with os.Args and returns the process exit code.
func Execute() int {
	args := os.Args[1:]
	if opensTUI(args) {
		prepareTUIStart()
	}
	return run(context.Background(), args, osEnv())
}

func run(ctx context.Context, args []string, e env) int {
	// The first Ctrl+C (or SIGTERM) cancels the command's context, so it
	// can end cleanly; from then on the signals are no longer taken, so a
	// command stuck where no cancellation reaches (a FIFO nobody writes
	// to, given as a file) ends at the second, as people expect.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	if configPath, envName, ok := tuiFlags(args); ok {
		// keyhole alone, or with --config and --env: the TUI, without
		// building Cobra's command, whose work would come before the
		// first frame. What it has to say on failing is printed as any
		// command's error.
		e.envFlag = &envName
		if err := runTUI(ctx, e, configPath, false); err != nil {
			return interrupted(ctx, reportError(e, err))
		}
		return ExitOK
	}
	root := newRoot(e, commandsFor(args))
	root.SetArgs(args)
	if err := execute(ctx, e, root); err != nil {
		return interrupted(ctx, reportError(e, err))
	}
	return ExitOK
}

// commandMakers build keyhole's commands, by name; commandOrder is the
// order help lists them in.
var commandMakers = map[string]func(e env, configPath *string) *cobra.Command{
	"demo":       newDemoCmd,
	"init":       newInitCmd,
	"providers":  newProvidersCmd,
	"token":      newTokenCmd,
	"call":       newCallCmd,
	"curl":       newCurlCmd,
	"dpop":       newDPoPCmd,
	"ops":        newOpsCmd,
	"run":        newRunCmd,
	"serve-demo": func(e env, _ *string) *cobra.Command { return newServeDemo(e) },
	"share":      newShareCmd,
	"version":    newVersionCmd,
}

var commandOrder = []string{"demo", "init", "providers", "token", "call", "curl", "dpop", "ops", "run", "share", "serve-demo", "version"}

func newDemoCmd(e env, _ *string) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Open the TUI on the built-in demo, whatever config exists",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), e, "", true)
		},
	}
}

func newVersionCmd(e env, _ *string) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print keyhole's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(e.stdout, "keyhole", version())
			return err
		},
	}
}

// version is the module version, with the commit when built from a checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 7 {
			v += " (" + s.Value[:7] + ")"
		}
	}
	return v
}

// opensTUI reports whether args can only open the TUI: none, or only
// --config and --env with their values. Such a start goes past Cobra
// (see run): the TUI's first frame waits for everything done before it.
func opensTUI(args []string) bool {
	_, _, ok := tuiFlags(args)
	return ok
}

// tuiFlags reads the --config and --env of args that can only open the
// TUI (tuistart.Flags).
func tuiFlags(args []string) (configPath, envName string, ok bool) {
	return tuistart.Flags(args)
}

// allCommands is what commandsFor says when a start builds every
// subcommand.
const allCommands = "*"

// commandsFor says which subcommands args need. A start that names one of
// keyhole's commands first builds that one alone — `keyhole call` does not
// build the flags of twelve others before it sends — and help, completion
// or a word keyhole does not know get the whole tree, for their listings
// and suggestions. (A start that can only open the TUI builds no command
// at all: see run.)
func commandsFor(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--config" || a == "--env":
			i++
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "--env="):
		case strings.HasPrefix(a, "-"):
			return allCommands
		default:
			if _, ok := commandMakers[a]; ok {
				return a
			}
			return allCommands
		}
	}
	return allCommands
}

// newRoot builds the root command with the subcommands which says (see
// commandsFor).
func newRoot(e env, which string) *cobra.Command {
	var configPath, envName string
	e.envFlag = &envName
	root := &cobra.Command{
		Use:   "keyhole",
		Short: "Explore OAuth-protected HTTP APIs in the terminal",
		Long: `keyhole gets an access token the way a provider wants it, shows its state
and a live countdown to expiry, and lets you compose requests and read the
responses side by side.

With no configuration file, keyhole runs on its built-in demo: a real OAuth 2.0
server on 127.0.0.1 with a sample API. The configuration is looked up at
--config, then $KEYHOLE_CONFIG, then $XDG_CONFIG_HOME/keyhole/config.toml
(~/.config/keyhole/config.toml).`,
		Example: `  # try it on the built-in demo
  keyhole

  # your own providers
  keyhole --config ./keyhole.toml

  # a token for a script, and one request with it
  keyhole token demo-cc
  keyhole call demo-cc GET /api/me

  # a demo server for another terminal, with its ready-to-paste config
  keyhole serve-demo --addr 127.0.0.1:8400 > demo.toml
  keyhole --config demo.toml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), e, configPath, false)
		},
	}
	root.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (default: $KEYHOLE_CONFIG, then ~/.config/keyhole/config.toml)")
	// An empty --config is a script's --config "$CFG" with CFG unset, not
	// a wish for the default: taken for none, the command would run on
	// whatever config the machine has, or on the built-in demo.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if f := cmd.Flag("config"); f != nil && f.Changed && configPath == "" {
			return &exitError{code: ExitUsage, err: errors.New("--config is empty: name a file, or leave --config out for $KEYHOLE_CONFIG, then ~/.config/keyhole/config.toml")}
		}
		return nil
	}
	root.PersistentFlags().StringVar(&envName, "env", "", "environment: an [environments.NAME] of the config or an entry of http-client.env.json (default: $KEYHOLE_ENV)")
	switch which {
	case allCommands:
		for _, name := range commandOrder {
			root.AddCommand(commandMakers[name](e, &configPath))
		}
	default:
		root.AddCommand(commandMakers[which](e, &configPath))
	}
	return root
}
