package history

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// victim is a file of the user's that a planted link points at: its mode
// and content must survive whatever keyhole does with the history.
func victim(t *testing.T) (path string, check func()) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(path, []byte("the user's own file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, func() {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("the link's target had its mode changed to %04o", fi.Mode().Perm())
		}
		b, _ := os.ReadFile(path)
		if string(b) != "the user's own file\n" {
			t.Errorf("the link's target was written to: %q", b)
		}
	}
}

func skipWithoutSymlinks(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("creating symbolic links needs a privilege on Windows")
	}
}

// A symbolic link at history.jsonl, planted before keyhole starts or while
// it runs, is refused: the target's mode is not changed and no entry is
// appended to it.
func TestHistoryRefusesALinkAtItsFile(t *testing.T) {
	skipWithoutSymlinks(t)
	t.Run("before open", func(t *testing.T) {
		dir := t.TempDir()
		target, check := victim(t)
		if err := os.Symlink(target, filepath.Join(dir, FileName)); err != nil {
			t.Fatal(err)
		}
		h, err := Open(dir, 10)
		if err == nil {
			err = h.Add(Entry{URL: "https://api.example/leak"})
		}
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("history over a link: %v; want a refusal naming the link", err)
		}
		check()
	})
	t.Run("while running", func(t *testing.T) {
		dir := t.TempDir()
		h, err := Open(dir, 10)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Add(Entry{URL: "https://api.example/first"}); err != nil {
			t.Fatal(err)
		}
		target, check := victim(t)
		path := filepath.Join(dir, FileName)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
		if err := h.Add(Entry{URL: "https://api.example/leak"}); !errors.Is(err, safefile.ErrNotRegular) {
			t.Errorf("Add through a link: %v; want a refusal", err)
		}
		check()
	})
}

// The lock file is opened without following a link too: flock would
// otherwise create or open the link's target.
func TestHistoryRefusesALinkAtItsLock(t *testing.T) {
	skipWithoutSymlinks(t)
	dir := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "created-by-keyhole")
	if err := os.Symlink(elsewhere, filepath.Join(dir, "history.lock")); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, 10)
	if !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("Open with a link at the lock: %v; want a refusal", err)
	}
	if _, err := os.Lstat(elsewhere); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock link's target was created: %v", err)
	}
}

// A FIFO at history.jsonl does not hang keyhole.
func TestHistoryRefusesAFIFO(t *testing.T) {
	skipWithoutSymlinks(t)
	dir := t.TempDir()
	if err := mkfifo(filepath.Join(dir, FileName)); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	if _, err := Open(dir, 10); !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("Open over a FIFO: %v; want a refusal", err)
	}
}
