// Package safefile opens the files keyhole keeps in its state and cache
// folders (the token cache, its lock files, the history, the spec cache)
// without following a symbolic link and without blocking on a FIFO, and
// writes them private (0600) and whole. A link planted at one of those
// paths would otherwise have keyhole append secrets to, or change the mode
// of, whatever file the link points at.
package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// ErrNotRegular is wrapped by the error Open returns when the path is a
// symbolic link, a folder, a FIFO or anything else that is not a regular
// file.
var ErrNotRegular = errors.New("not a regular file")

// LockFlag is the open flag for a lock file (gofrs/flock's SetFlag): create
// it when missing, never through a symbolic link.
const LockFlag = os.O_CREATE | os.O_RDWR | noFollow

// Open opens path with flag (os.O_RDONLY, os.O_WRONLY|os.O_APPEND|os.O_CREATE,
// ...) and perm like os.OpenFile, but refuses a symbolic link at path, and
// anything else that is not a regular file, with an error wrapping
// ErrNotRegular. A missing file is fs.ErrNotExist as usual.
//
// The check is made on the open file, not on the path beforehand, so what
// is checked is what is read or written: there is no window in which the
// path can be swapped.
func Open(path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|noFollow, perm)
	if err != nil {
		if isLink(path, err) {
			return nil, fmt.Errorf("%s: %w: it is a symbolic link, which keyhole does not follow; remove it", path, ErrNotRegular)
		}
		return nil, err
	}
	return regular(f, path)
}

// regular returns f, opened at path, if it is a regular file; else it
// closes f and says what it is.
func regular(f *os.File, path string) (*os.File, error) {
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w (%s); remove it", path, ErrNotRegular, describe(fi.Mode()))
	}
	return f, nil
}

// MkdirPrivate makes path a folder of mode 0700, with its parents, and
// tightens it to 0700 when it exists looser (MkdirAll's mode passes
// through the umask, and an existing folder may be anything). A symbolic
// link at path is refused, never followed; so is anything that is not a
// folder.
func MkdirPrivate(path string) error {
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return err
		}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link, which keyhole does not follow; remove it", path)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		// Windows has ACLs, not mode bits; the user profile is private.
		return os.Chmod(path, 0o700)
	}
	return nil
}

// CheckLock refuses a lock path that is a symbolic link, for the error
// message: an open with LockFlag fails on one too, but with the bare
// "too many levels of symbolic links".
func CheckLock(path string, err error) error {
	if err != nil && isLink(path, err) {
		return fmt.Errorf("%s: %w: it is a symbolic link, which keyhole does not follow; remove it", path, ErrNotRegular)
	}
	return err
}

// isLink reports whether a failed open of path failed because path is a
// symbolic link. O_NOFOLLOW's error differs between systems (ELOOP on
// Linux, EMLINK on FreeBSD, EFTYPE on NetBSD), so the path is looked at.
func isLink(path string, err error) bool {
	if errors.Is(err, fs.ErrNotExist) {
		return false
	}
	fi, lerr := os.Lstat(path)
	return lerr == nil && fi.Mode()&fs.ModeSymlink != 0
}

func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}
