package cli

import (
	"io"

	"github.com/keyhole-sh/keyhole/internal/termtext"
)

// writeBody writes a response body to stdout. On a terminal it goes
// through the sanitizer: a body's escape sequences (a clipboard write, a
// new window title, a cleared screen) are shown as symbols, as the
// inspector shows them, and never acted on. Anywhere else the body is
// written byte for byte, in one Write: a pipe or a file gets exactly what
// the server sent, at the speed of a copy.
func writeBody(w io.Writer, body []byte, tty bool) error {
	if !tty {
		_, err := w.Write(body)
		return err
	}
	tw := termtext.NewWriter(w)
	if _, err := tw.Write(body); err != nil {
		return err
	}
	return tw.Flush()
}
