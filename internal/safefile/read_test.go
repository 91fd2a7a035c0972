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

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// TestReadCapped: a file up to the cap is read whole; one byte more is a
// TooLargeError saying the cap; a link, a folder and a FIFO are refused
// (the FIFO at once: nothing waits for a writer); a missing file is
// fs.ErrNotExist.
func TestReadCapped(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	exact := write("exact", strings.Repeat("x", 2048))
	over := write("over", strings.Repeat("x", 2049))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(exact, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}

	if data, err := safefile.ReadCapped(exact, 2048); err != nil || len(data) != 2048 {
		t.Errorf("a file at the cap: %d bytes, %v; want all 2048", len(data), err)
	}
	_, err := safefile.ReadCapped(over, 2048)
	var tooLarge *safefile.TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Max != 2048 || err.Error() != "larger than 2 KiB" {
		t.Errorf("a file one byte over the cap: %v; want %q", err, "larger than 2 KiB")
	}
	if _, err := safefile.ReadCapped(filepath.Join(dir, "missing"), 2048); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v; want fs.ErrNotExist", err)
	}
	for _, path := range []string{link, dir, fifo} {
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
