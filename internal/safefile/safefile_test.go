//go:build unix

package safefile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gofrs/flock"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		flag       int
		want       error // nil: opens
	}{
		{"regular", regular, os.O_RDONLY, nil},
		{"regular for append", regular, os.O_WRONLY | os.O_APPEND | os.O_CREATE, nil},
		{"missing", filepath.Join(dir, "missing"), os.O_RDONLY, fs.ErrNotExist},
		{"created", filepath.Join(dir, "new"), os.O_WRONLY | os.O_CREATE, nil},
		{"link", link, os.O_RDONLY, safefile.ErrNotRegular},
		{"link for append", link, os.O_WRONLY | os.O_APPEND | os.O_CREATE, safefile.ErrNotRegular},
		{"dangling link, create", dangling, os.O_WRONLY | os.O_CREATE, safefile.ErrNotRegular},
		{"folder", dir, os.O_RDONLY, safefile.ErrNotRegular},
		{"FIFO, read", fifo, os.O_RDONLY, safefile.ErrNotRegular},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := safefile.Open(c.path, c.flag, 0o600)
			if f != nil {
				f.Close()
			}
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("Open = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("opening a dangling link created its target")
	}
}

func TestLockFlag(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	link := filepath.Join(dir, "x.lock")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fl := flock.New(link, flock.SetFlag(safefile.LockFlag))
	ok, err := fl.TryLock()
	if err = safefile.CheckLock(link, err); ok || !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("TryLock through a link = %v, %v; want a refusal", ok, err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Error("locking through a link created its target")
	}
	plain := flock.New(filepath.Join(dir, "y.lock"), flock.SetFlag(safefile.LockFlag))
	if ok, err := plain.TryLock(); !ok || err != nil {
		t.Errorf("TryLock on a fresh path = %v, %v", ok, err)
	}
	_ = plain.Unlock()
}
