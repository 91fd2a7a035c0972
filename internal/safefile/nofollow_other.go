//go:build !unix

package safefile

// noFollow is 0 where open has no such flag (Windows, where creating a
// symbolic link takes a privilege most users do not have); Open's check of
// the open file still refuses anything but a regular file.
const noFollow = 0
