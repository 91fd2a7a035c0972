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
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestASilentFailureAsksTheTerminalNothing: a call answered 404 on a
// terminal ends with exit 4 and the body, nothing more to say; fang still
// asked the terminal for its background colour (OSC 11) before handing
// the error on, and waited for the answer: a round trip on every such
// call over SSH, seconds on a terminal that never answers. Here keyhole
// runs on a pseudo-terminal that answers nothing.
func TestASilentFailureAsksTheTerminalNothing(t *testing.T) {
	if cfg := os.Getenv("KEYHOLE_SILENT_CHILD_CONFIG"); cfg != "" {
		os.Exit(run(context.Background(), []string{"--config", cfg, "call", "api", "GET", "/missing"}, osEnv()))
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
	cmd := exec.Command(os.Args[0], "-test.run=^TestASilentFailureAsksTheTerminalNothing$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KEYHOLE_SILENT_CHILD_CONFIG="+cfg,
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
	if !errors.As(werr, &ee) || ee.ExitCode() != ExitClientError {
		t.Errorf("exit: %v, want %d", werr, ExitClientError)
	}
	if bytes.Contains(out.Bytes(), []byte("\x1b]11;?")) {
		t.Errorf("keyhole asked the terminal for its background on a failure with nothing to print: %q", out.String())
	}
	if !bytes.Contains(out.Bytes(), []byte("no such thing")) {
		t.Errorf("the body is not on the terminal: %q", out.String())
	}
}
