package httpfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// Append adds block (a ### block, e.g. from Format) at the end of the
// .http file at path, creating it (0600) if it is missing. The file's
// bytes are kept exactly, whatever they hold; a newline is put between
// them and the block only when the file does not end with one, and the
// block is given a final newline if it has none.
//
// The new file is written whole beside the old one (same folder, so the
// rename stays on one file system), with the old file's mode, flushed to
// disk and renamed over it: a crash or a full disk leaves the old file or
// the new one, never a cut one. A symbolic link at path, or anything but
// a regular file, is refused, not followed: a collection file is a file
// of the user's, and a planted link must not turn a save into a write
// somewhere else. Two keyhole processes appending at once may lose one
// block (the last rename wins); one process saves one request at a time.
func Append(path string, block []byte) error {
	old, mode, err := readExisting(path)
	if err != nil {
		return err
	}
	data := make([]byte, 0, len(old)+len(block)+2)
	data = append(data, old...)
	if len(old) > 0 && old[len(old)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, block...)
	if len(block) > 0 && block[len(block)-1] != '\n' {
		data = append(data, '\n')
	}
	if err := replace(path, data, mode); err != nil {
		return fmt.Errorf("saving to %s: %w", path, err)
	}
	return nil
}

// readExisting reads the file at path through safefile.Open (no link
// followed, regular files only), with its permission bits; a missing
// file is empty with mode 0600.
func readExisting(path string) ([]byte, fs.FileMode, error) {
	f, err := safefile.Open(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0o600, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("saving to %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("saving to %s: %w", path, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, 0, fmt.Errorf("saving to %s: reading it: %w", path, err)
	}
	return data, fi.Mode().Perm(), nil
}

// replace writes data to a temporary file in path's folder with mode,
// flushes it and renames it over path; on failure the temporary file is
// removed and path is as it was.
func replace(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".keyhole-*.http.tmp")
	if err != nil {
		return err
	}
	err = fill(tmp, data, mode)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	safefile.SyncDir(dir)
	return nil
}

// fill sets f's mode first (CreateTemp makes 0600, which the umask does
// not loosen; a shared collection file may be 0644 and stays so), writes
// data, flushes it and closes f whatever happens.
func fill(f *os.File, data []byte, mode fs.FileMode) error {
	err := f.Chmod(mode)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
