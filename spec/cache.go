package spec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// CacheDir is keyhole's cache folder: $XDG_CACHE_HOME/keyhole, or
// ~/.cache/keyhole when XDG_CACHE_HOME is unset or not absolute (the XDG
// spec says to ignore a relative one). getenv is os.Getenv outside tests.
func CacheDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "keyhole"), nil
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("LOCALAPPDATA")
	}
	if home == "" {
		return "", errors.New("cannot place the spec cache: neither XDG_CACHE_HOME nor HOME is set")
	}
	return filepath.Join(home, ".cache", "keyhole"), nil
}

// cache is the specs folder under the cache folder: downloaded specs with
// their validators, and indexes by the hash of the bytes they came from.
// The folder is 0700 and its files 0600, written whole or not at all; a
// symbolic link in their place is refused, never followed.
type cache struct {
	dir string // <CacheDir>/specs; "" caches nothing
}

// open makes the folder, mode 0700, refusing a link at either level.
func openCache(root string) (*cache, error) {
	if root == "" {
		return &cache{}, nil
	}
	dir := filepath.Join(root, "specs")
	for _, d := range []string{root, dir} {
		if err := ensureDir(d); err != nil {
			return nil, err
		}
	}
	return &cache{dir: dir}, nil
}

func ensureDir(path string) error {
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return fmt.Errorf("creating the spec cache folder: %w", err)
		}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("spec cache folder: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("spec cache folder %s is a symbolic link, which keyhole does not follow; remove it", path)
	}
	if !fi.IsDir() {
		return fmt.Errorf("spec cache folder %s is not a folder", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		// MkdirAll's mode passes through the umask; an existing folder
		// may be looser. The cache can hold a private spec.
		if err := os.Chmod(path, 0o700); err != nil {
			return fmt.Errorf("spec cache folder %s: %w", path, err)
		}
	}
	return nil
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
	if c.dir == "" {
		return nil
	}
	f, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("spec cache: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o600)
	}
	if werr == nil {
		werr = os.Rename(tmp, filepath.Join(c.dir, name))
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("spec cache: %w", werr)
	}
	return nil
}
