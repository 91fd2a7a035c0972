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
// terminal says so without asking the terminal anything first. fang asks
// it for its background colour (OSC 11) before it hands an error on, and
// waits for the answer, twice: a round trip on every failure over SSH,
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

// onSilentTerminal runs keyhole with args on a pseudo-terminal that
// answers nothing, and returns what it wrote there and its exit code.
func onSilentTerminal(t *testing.T, dir string, args []string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAFailureAsksTheTerminalNothing$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KEYHOLE_FAILING_CHILD_ARGS="+strings.Join(args, "\x1f"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_STATE_HOME="+filepath.Join(dir, "state"), "HOME="+dir, "TERM=xterm-256color")
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
