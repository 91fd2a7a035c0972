//go:build !unix

package history

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs") }
