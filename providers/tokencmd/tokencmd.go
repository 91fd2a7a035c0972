// Package tokencmd runs the command grant's command: a program that prints
// a token (gh auth token, az account get-access-token). It runs the argv
// as written, never through a shell, so nothing in the config is expanded
// or interpreted on the way; client_secret_cmd, by contrast, is a shell
// line.
package tokencmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// MaxOutput caps what is read from the command's stdout: a token, or a
// JSON answer holding one, is a few kilobytes.
const MaxOutput = 1 << 20

// Error is a command that gave no token: it could not start, failed,
// outlived its timeout or printed nothing. Msg is the first line of its
// stderr when it wrote one, else what went wrong.
type Error struct {
	Argv    []string
	Msg     string
	Timeout bool
}

// Error names the program, not its arguments: an argument may carry a
// credential (gh's --token ${GH_TOKEN}), and an error travels to screens
// and logs. Callers that show the command line show it as written.
func (e *Error) Error() string {
	name := "(none)"
	if len(e.Argv) > 0 && e.Argv[0] != "" {
		name = e.Argv[0]
	}
	return fmt.Sprintf("command %s: %s", name, e.Msg)
}

// Run runs argv with timeout and returns its stdout, trimmed of white space
// around it. The context ends it too (the TUI's esc, Ctrl+C).
func Run(ctx context.Context, argv []string, timeout time.Duration) ([]byte, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, &Error{Argv: argv, Msg: "no program to run"}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stdout, stderr := &capped{max: MaxOutput}, &capped{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild that keeps the pipes open must not hold Run past the
	// timeout.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	errText := firstLine(stderr.buf.String())
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, &Error{Argv: argv, Msg: "no token within " + timeout.String() + " (the provider's timeout)" + suffix(errText), Timeout: true}
	case ctx.Err() != nil:
		return nil, &Error{Argv: argv, Msg: ctx.Err().Error()}
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &Error{Argv: argv, Msg: ee.ProcessState.String() + suffix(errText)}
		}
		return nil, &Error{Argv: argv, Msg: err.Error()}
	case stdout.over:
		return nil, &Error{Argv: argv, Msg: fmt.Sprintf("printed more than %d bytes", MaxOutput)}
	}
	out := bytes.TrimSpace(stdout.buf.Bytes())
	if len(out) == 0 {
		return nil, &Error{Argv: argv, Msg: "printed no token" + suffix(errText)}
	}
	return out, nil
}

func suffix(stderr string) string {
	if stderr == "" {
		return ""
	}
	return ": " + stderr
}

// firstLine is the first line of s that holds more than white space.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// capped keeps up to max bytes and notes whether more came; it never
// fails a write, so the command is not killed by a broken pipe.
type capped struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if len(p) > room {
		c.over = true
		c.buf.Write(p[:max(0, room)])
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}
