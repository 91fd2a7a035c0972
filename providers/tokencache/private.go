package tokencache

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// openPrivate opens path to read it — never through a symbolic link, never
// blocking on a FIFO — and, where others could read the file, makes it its
// owner's alone and warns, naming it by what. The mode is checked on the
// open file, not the path, so what is checked is what is read. A file whose
// mode cannot be fixed is refused with a *looseModeError.
func openPrivate(path, what string, warnf func(string, ...any)) (*os.File, error) {
	f, err := safefile.Open(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			_ = f.Close()
			return nil, &looseModeError{path: path, perm: perm, err: err}
		}
		warnf("%s %s was readable by others (mode %04o); changed it to 0600", what, path, perm)
	}
	return f, nil
}

// readPrivate reads at most limit bytes of path, opened as openPrivate
// opens it. Its errors are openPrivate's, or the read's.
func readPrivate(path, what string, limit int64, warnf func(string, ...any)) ([]byte, error) {
	f, err := openPrivate(path, what, warnf)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// looseModeError: the file is readable by others and chmod failed.
type looseModeError struct {
	path string
	perm fs.FileMode
	err  error
}

func (e *looseModeError) Error() string {
	return fmt.Sprintf("%s is readable by others (mode %04o) and its mode cannot be fixed (%v)", e.path, e.perm, e.err)
}

func (e *looseModeError) Unwrap() error { return e.err }
