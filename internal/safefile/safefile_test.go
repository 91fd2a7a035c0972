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
	"time"

	"github.com/gofrs/flock"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// planted is a folder as someone hostile may have left it: a regular
// file ("x"), a link to it, a link to nowhere (dir/nowhere) and a FIFO.
type planted struct {
	dir, regular, link, dangling, fifo string
}

func plant(t *testing.T) planted {
	t.Helper()
	dir := t.TempDir()
	p := planted{
		dir:      dir,
		regular:  filepath.Join(dir, "regular"),
		link:     filepath.Join(dir, "link"),
		dangling: filepath.Join(dir, "dangling"),
		fifo:     filepath.Join(dir, "fifo"),
	}
	if err := os.WriteFile(p.regular, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(p.regular, p.link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), p.dangling); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p.fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpen(t *testing.T) {
	p := plant(t)
	dir, regular, link, dangling, fifo := p.dir, p.regular, p.link, p.dangling, p.fifo
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

// TestReadCapped: a file up to the cap is read whole; one byte more is a
// TooLargeError saying the cap; a link (dangling or not), a folder and a
// FIFO are refused (the FIFO at once: nothing waits for a writer); a
// missing file is fs.ErrNotExist.
func TestReadCapped(t *testing.T) {
	p := plant(t)
	exact, over := filepath.Join(p.dir, "exact"), filepath.Join(p.dir, "over")
	for path, n := range map[string]int{exact: 2048, over: 2049} {
		if err := os.WriteFile(path, []byte(strings.Repeat("x", n)), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	if data, err := safefile.ReadCapped(exact, 2048); err != nil || len(data) != 2048 {
		t.Errorf("a file at the cap: %d bytes, %v; want all 2048", len(data), err)
	}
	_, err := safefile.ReadCapped(over, 2048)
	var tooLarge *safefile.TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Max != 2048 || err.Error() != "larger than 2 KiB" {
		t.Errorf("a file one byte over the cap: %v; want %q", err, "larger than 2 KiB")
	}
	if _, err := safefile.ReadCapped(filepath.Join(p.dir, "missing"), 2048); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v; want fs.ErrNotExist", err)
	}
	for _, path := range []string{p.link, p.dangling, p.dir, p.fifo} {
		start := time.Now()
		data, err := safefile.ReadCapped(path, 2048)
		if !errors.Is(err, safefile.ErrNotRegular) || data != nil {
			t.Errorf("%s: %q, %v; want ErrNotRegular", filepath.Base(path), data, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: refused only after %v", filepath.Base(path), d)
		}
	}
}

// TestTooLargeErrorSaysTheCap: the cap in the largest unit that says it
// exactly.
func TestTooLargeErrorSaysTheCap(t *testing.T) {
	for max, want := range map[int64]string{
		64 << 20:   "larger than 64 MiB",
		1 << 20:    "larger than 1 MiB",
		1536 << 10: "larger than 1536 KiB",
		1000:       "larger than 1000 bytes",
	} {
		if got := (&safefile.TooLargeError{Max: max}).Error(); got != want {
			t.Errorf("Max %d: %q, want %q", max, got, want)
		}
	}
}
