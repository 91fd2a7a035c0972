package spec

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/internal/xdg"
)

// CacheDir is keyhole's cache folder: $XDG_CACHE_HOME/keyhole, or
// ~/.cache/keyhole when XDG_CACHE_HOME is unset or not absolute (the XDG
// spec says to ignore a relative one). getenv is os.Getenv outside tests.
func CacheDir(getenv func(string) string) (string, error) {
	dir, err := xdg.Dir(getenv, "XDG_CACHE_HOME", "LOCALAPPDATA", ".cache")
	if err != nil {
		return "", fmt.Errorf("cannot place the spec cache: %w", err)
	}
	return dir, nil
}

// cache is the specs folder under the cache folder: downloaded specs with
// their validators, and indexes by the hash of the bytes they came from.
// The folder is 0700 and its files 0600, written whole or not at all; a
// symbolic link in their place is refused, never followed.
type cache struct {
	dir      string // <CacheDir>/specs; "" caches nothing
	readOnly bool   // read what is there, make and write nothing
}

// openCache makes the folder, mode 0700, refusing a link at either
// level. A readOnly cache makes nothing: without the folder, it holds
// nothing.
func openCache(root string, readOnly bool) (*cache, error) {
	if root == "" {
		return &cache{}, nil
	}
	dir := filepath.Join(root, "specs")
	if readOnly {
		// A link in place of either folder is not followed: no cache.
		for _, d := range []string{root, dir} {
			if fi, err := os.Lstat(d); err != nil || !fi.IsDir() {
				return &cache{}, nil
			}
		}
		return &cache{dir: dir, readOnly: true}, nil
	}
	for _, d := range []string{root, dir} {
		if err := safefile.MkdirPrivate(d); err != nil {
			return nil, fmt.Errorf("spec cache folder: %w", err)
		}
	}
	return &cache{dir: dir}, nil
}

// read returns the cached file name, or nil when there is none (or it
// cannot be read: the cache is only a cache). max bounds what is read.
func (c *cache) read(name string, max int64) []byte {
	if c.dir == "" {
		return nil
	}
	f, err := safefile.Open(filepath.Join(c.dir, name), os.O_RDONLY, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(b)) > max {
		return nil
	}
	return b
}

// write replaces the cached file name with data: a new file, mode 0600,
// renamed over the old one, so a reader never sees half a file and a link
// planted at the name is replaced, not written through.
func (c *cache) write(name string, data []byte) error {
	if c.dir == "" || c.readOnly {
		return nil
	}
	if err := safefile.WritePrivate(filepath.Join(c.dir, name), data); err != nil {
		return fmt.Errorf("spec cache: %w", err)
	}
	return nil
}
