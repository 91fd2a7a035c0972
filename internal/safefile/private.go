package safefile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WritePrivate replaces the file at path with data, mode 0600, as
// WriteWhole does.
func WritePrivate(path string, data []byte) error {
	return WriteWhole(path, data, 0o600)
}

// WriteWhole replaces the file at path with data: written to a new file
// in the same folder (so the rename cannot cross file systems), given
// exactly perm and flushed to disk, then renamed over path. A reader sees
// the old file or the new one, never half of one, and a symbolic link
// planted at path is replaced, not written through. On failure the old
// file is untouched and the new one removed.
func WriteWhole(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	err = fill(tmp, data, perm)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	SyncDir(dir)
	return nil
}

// FillPrivate writes data to f, a file just created, and closes it: mode
// set to exactly 0600 first (creation asks for 0600 but the umask may take
// bits away, and the file must be neither looser nor unreadable), then
// flushed to disk, so the file is whole once it is renamed or linked into
// place. f is closed whatever happens.
func FillPrivate(f *os.File, data []byte) error {
	return fill(f, data, 0o600)
}

// fill is FillPrivate with perm for the mode, for WriteWhole: a caller
// replacing a file of the user's keeps its mode (a shared collection file
// may be 0644 and stays so).
func fill(f *os.File, data []byte, perm fs.FileMode) error {
	err := f.Chmod(perm)
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

// SyncDir flushes a rename or link in dir to disk, so a crash right after
// it cannot bring the old file back. Best effort: Windows cannot open a
// folder this way, and the file is already safely in one place or the
// other.
func SyncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
