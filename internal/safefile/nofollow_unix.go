//go:build unix

package safefile

import "syscall"

// noFollow makes open fail on a symbolic link, and not wait for a writer
// or reader on a FIFO (it has no effect on a regular file).
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
