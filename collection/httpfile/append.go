package httpfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

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
	if err := safefile.WriteWhole(path, data, mode); err != nil {
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
