//go:build unix

package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptEndsAStuckCommand: the first Ctrl+C cancels what
// keyhole is doing, so it can end cleanly; a command stuck where no
// cancellation reaches — reading a config that is a FIFO nobody writes
// to — ends at the second, as the person expects. Before, every Ctrl+C
// and SIGTERM was taken and ignored, and only SIGKILL ended keyhole.
func TestSecondInterruptEndsAStuckCommand(t *testing.T) {
	if fifo := os.Getenv("KEYHOLE_SIGNAL_CHILD_FIFO"); fifo != "" {
		h := harnessIn(t, filepath.Dir(fifo))
		e, _, _ := h.env()
		os.Exit(run(context.Background(), []string{"--config", fifo, "providers"}, e))
	}
	fifo := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondInterruptEndsAStuckCommand$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KEYHOLE_SIGNAL_CHILD_FIFO="+fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	exited := false
	t.Cleanup(func() {
		if !exited {
			_ = cmd.Process.Kill()
			<-done
		}
	})
	// Opening the FIFO for writing succeeds once keyhole holds it for
	// reading; held open and never written to, keyhole's read blocks.
	var w *os.File
	for deadline := time.Now().Add(10 * time.Second); w == nil; {
		f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		switch {
		case err == nil:
			w = f
		case !errors.Is(err, syscall.ENXIO) || time.Now().After(deadline):
			t.Fatalf("keyhole never opened the config: %v", err)
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
	defer w.Close()
	for i := range 2 {
		time.Sleep(300 * time.Millisecond)
		if err := cmd.Process.Signal(os.Interrupt); err != nil && i == 0 {
			t.Fatal(err)
		}
	}
	select {
	case <-done:
		exited = true
	case <-time.After(5 * time.Second):
		t.Fatal("keyhole still runs after a second interrupt")
	}
}
