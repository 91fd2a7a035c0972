//go:build !unix

package exchange

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs") }
