//go:build unix

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestAFailureAsksTheTerminalNothing: a command that fails on a
// terminal says so without asking the terminal anything first. fang asked
// it for its background colour (OSC 11) before it handed an error on, and
// waited for the answer, twice: a round trip on every failure over SSH,
// 4 s on a terminal that never answers — for a call answered 404 (exit 4,
// the body said, nothing more to say), a broken config, the TUI's broken
// config. Here keyhole runs on a pseudo-terminal that answers nothing.
func TestAFailureAsksTheTerminalNothing(t *testing.T) {
	if args := os.Getenv("KEYHOLE_FAILING_CHILD_ARGS"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), osEnv()))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"no such thing"}`, http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "silent.toml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, "[providers.api]\nbase_url = %q\ngrant = \"static\"\ntoken = \"static-token-77\"\n", srv.URL), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad-cfg.toml")
	if err := os.WriteFile(bad, []byte("[providers.api]\nbase_url = \"https://api.example.test\"\ngrant = \"magic\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"404", []string{"--config", cfg, "call", "api", "GET", "/missing"}, ExitClientError, []string{"no such thing"}},
		{"config", []string{"--config", bad, "call", "api", "GET", "/x"}, ExitUsage, []string{"ERROR", bad + ":3", "magic"}},
		{"tui", []string{"--config", bad}, ExitUsage, []string{"ERROR", bad + ":3", "magic"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := onSilentTerminal(t, dir, c.args)
			if code != c.code {
				t.Errorf("exit %d, want %d; the terminal got %q", code, c.code, out)
			}
			if bytes.Contains(out, []byte("\x1b]11;?")) {
				t.Errorf("keyhole asked the terminal for its background: %q", out)
			}
			for _, want := range c.says {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("the terminal does not say %q: %q", want, out)
				}
			}
		})
	}
}

// TestHelpAsksTheTerminalNothing: help, and Cobra's refusals of a
// command line, come at once on a terminal that answers nothing, and ask
// it nothing. fang asked it for its background colour (OSC 11) before
// printing either, and waited 2 s for the answer. Help is coloured there,
// but not under NO_COLOR or a dumb TERM.
func TestHelpAsksTheTerminalNothing(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		args   []string
		env    []string
		code   int
		says   []string
		colour bool
	}{
		{"help", []string{"--help"}, nil, ExitOK, []string{"USAGE", "COMMANDS", "serve-demo"}, true},
		{"call help", []string{"call", "--help"}, nil, ExitOK, []string{"USAGE", "--send-token"}, true},
		{"help run", []string{"help", "run"}, nil, ExitOK, []string{"USAGE", "--fail-fast"}, true},
		{"NO_COLOR", []string{"call", "--help"}, []string{"NO_COLOR=1"}, ExitOK, []string{"USAGE", "--send-token"}, false},
		{"dumb", []string{"--help"}, []string{"TERM=dumb"}, ExitOK, []string{"USAGE", "COMMANDS"}, false},
		{"unknown flag", []string{"--bogus"}, nil, ExitUsage, []string{"ERROR", "unknown flag: --bogus", "keyhole --help"}, true},
		{"unknown call flag", []string{"call", "--bogus"}, nil, ExitUsage, []string{"ERROR", "unknown flag: --bogus", "keyhole call --help"}, true},
		{"unknown command", []string{"bogus"}, nil, ExitUsage, []string{"ERROR", `unknown command "bogus"`, "keyhole --help"}, true},
		{"missing argument", []string{"ops"}, nil, ExitUsage, []string{"ERROR", "requires at least 1 arg(s)", "keyhole ops --help"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			out, code := onSilentTerminal(t, dir, c.args, c.env...)
			took := time.Since(start)
			if code != c.code {
				t.Errorf("exit %d, want %d; the terminal got %q", code, c.code, out)
			}
			if bytes.Contains(out, []byte("\x1b]11;?")) {
				t.Errorf("keyhole asked the terminal for its background: %q", out)
			}
			// fang waited 2 s for the answer; a start of the test binary
			// takes a fraction of that.
			if took > 1800*time.Millisecond {
				t.Errorf("keyhole took %v: it waited for the terminal", took)
			}
			for _, want := range c.says {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("the terminal does not say %q: %q", want, out)
				}
			}
			if coloured := bytes.Contains(out, []byte("\x1b[38;")); coloured != c.colour {
				t.Errorf("coloured: %v, want %v: %q", coloured, c.colour, out)
			}
			for _, line := range bytes.Split(out, []byte("\r\n")) {
				if c.code == ExitOK && bytes.HasSuffix(line, []byte(" ")) {
					t.Errorf("a line of help ends in spaces: %q", line)
				}
			}
		})
	}
}

// onSilentTerminal runs keyhole with args, and the variables of env, on a
// pseudo-terminal that answers nothing, and returns what it wrote there
// and its exit code.
func onSilentTerminal(t *testing.T, dir string, args []string, env ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAFailureAsksTheTerminalNothing$", "-test.count=1")
	// The colours keyhole uses are the test's to say, not the
	// environment's it runs in.
	var parent []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLORTERM":
		default:
			parent = append(parent, kv)
		}
	}
	cmd.Env = append(parent, "KEYHOLE_FAILING_CHILD_ARGS="+strings.Join(args, "\x1f"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_STATE_HOME="+filepath.Join(dir, "state"), "HOME="+dir, "TERM=xterm-256color")
	cmd.Env = append(cmd.Env, env...)
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer tty.Close()
	var out bytes.Buffer
	read := make(chan error, 1)
	go func() { _, err := io.Copy(&out, tty); read <- err }()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("keyhole did not end; the terminal got %q", out.String())
	}
	select {
	case <-read: // EIO once the child is gone
	case <-time.After(5 * time.Second):
	}
	var ee *exec.ExitError
	switch {
	case werr == nil:
		return out.Bytes(), 0
	case errors.As(werr, &ee):
		return out.Bytes(), ee.ExitCode()
	}
	t.Fatalf("keyhole: %v", werr)
	return nil, 0
}
