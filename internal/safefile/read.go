package safefile

import (
	"fmt"
	"io"
	"os"
)

// TooLargeError is ReadCapped's error for a file over its cap. It does
// not name the file: the caller says what the file was for.
type TooLargeError struct {
	Max int64
}

func (e *TooLargeError) Error() string {
	return "larger than " + sizeText(e.Max)
}

// ReadCapped reads the whole file at path through Open (no symbolic link
// followed, regular files only, so a FIFO does not hang the read), but
// never more than max bytes: a bigger file is a *TooLargeError, found
// after reading max+1 bytes rather than trusting a size that may change
// under the read. A missing file is fs.ErrNotExist as usual.
func ReadCapped(path string, max int64) ([]byte, error) {
	f, err := Open(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Max: max}
	}
	return data, nil
}

// sizeText is n bytes in the largest whole unit that says it exactly.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
