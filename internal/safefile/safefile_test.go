//go:build unix

package safefile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestMkdirPrivate: a folder is made 0700 with its parents, an open one
// is tightened, and a link or a file in its place is refused.
func TestMkdirPrivate(t *testing.T) {
	dir := t.TempDir()
	nested := filepath.Join(dir, "a", "b")
	if err := safefile.MkdirPrivate(nested); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(nested); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("made %v, %v; want 0700", fi.Mode(), err)
	}
	open := filepath.Join(dir, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := safefile.MkdirPrivate(open); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Errorf("an open folder stayed %v", fi.Mode().Perm())
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(open, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{link: "is a symbolic link, which keyhole does not follow", file: "is not a folder"} {
		if err := safefile.MkdirPrivate(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("MkdirPrivate(%s) = %v; want %q", path, err, want)
		}
	}
}

// TestWriteWhole: the file gets exactly its mode (WritePrivate's 0600, or
// the one WriteWhole is given, whatever the umask), replaces the old one
// whole, and a link planted at its name is replaced, never written
// through; nothing is left behind.
func TestWriteWhole(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	for _, c := range []struct {
		name  string
		write func(path string, data []byte) error
		perm  fs.FileMode
	}{
		{"WritePrivate", safefile.WritePrivate, 0o600},
		{"WriteWhole 0644", func(path string, data []byte) error { return safefile.WriteWhole(path, data, 0o644) }, 0o644},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f")
			for _, data := range []string{"first", "second"} {
				if err := c.write(path, []byte(data)); err != nil {
					t.Fatal(err)
				}
				if b, err := os.ReadFile(path); err != nil || string(b) != data {
					t.Fatalf("read back %q, %v; want %q", b, err, data)
				}
				if fi, err := os.Lstat(path); err != nil || fi.Mode() != c.perm {
					t.Fatalf("mode %v, %v; want a regular file %v", fi.Mode(), err, c.perm)
				}
			}
			// A link to that file, planted where the next write goes.
			link := filepath.Join(dir, "link")
			if err := os.Symlink(path, link); err != nil {
				t.Fatal(err)
			}
			if err := c.write(link, []byte("secret")); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(path); string(b) != "second" {
				t.Errorf("written through the link: %q", b)
			}
			if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() {
				t.Errorf("the link was not replaced by a file: %v, %v", fi.Mode(), err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 2 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}
