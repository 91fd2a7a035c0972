package safefile

import (
	"fmt"
	"io/fs"
	"os"
)

// OpenIn opens name, a path relative to root, for reading as Open does —
// refusing a symbolic link at name and anything but a regular file, never
// waiting on a FIFO — and never out of root. A folder on the way that is a
// link out of root is refused by the open itself (os.Root walks the path
// one folder at a time from root), so no folder can be swapped for such a
// link between a look at where the path leads and the open. A link inside
// root to a file inside root may be met only if it is swapped in after
// the look at name: what is read still lies in root.
func OpenIn(root *os.Root, name string) (*os.File, error) {
	if fi, err := root.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s: %w: it is a symbolic link, which keyhole does not follow; remove it", name, ErrNotRegular)
	}
	f, err := root.OpenFile(name, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	return regular(f, name)
}
