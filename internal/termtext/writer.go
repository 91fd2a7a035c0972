package termtext

import "io"

// chunk is how much of a Write is made safe at a time: the copy it needs
// stays this small however large the body.
const chunk = 64 << 10

// Writer writes what it is given to a terminal as Text would show it. A
// rune or a \r\n cut across two Writes is put back together, so call
// Flush after the last Write: it writes what is held back.
type Writer struct {
	w    io.Writer
	buf  []byte
	held []byte // the end of the last Write: a rune cut short, or \r
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write makes p safe and writes it; a rune or \r\n p ends in the middle
// of is held back for the next Write or Flush.
func (w *Writer) Write(p []byte) (int, error) {
	data := p
	if len(w.held) > 0 {
		data = append(append(make([]byte, 0, len(w.held)+len(p)), w.held...), p...)
		w.held = w.held[:0]
	}
	for len(data) > 0 {
		part := data[:min(len(data), chunk)]
		out, n := appendSafe(w.buf[:0], part, true, true)
		w.buf = out
		if n == 0 {
			break // only a cut rune or \r is left: at most utf8.UTFMax-1 bytes
		}
		if len(out) > 0 {
			if _, err := w.w.Write(out); err != nil {
				return 0, err
			}
		}
		data = data[n:]
	}
	w.held = append(w.held, data...)
	return len(p), nil
}

// Flush writes what the last Write held back, shown as the bytes it is.
func (w *Writer) Flush() error {
	if len(w.held) == 0 {
		return nil
	}
	out, _ := appendSafe(w.buf[:0], w.held, true, false)
	w.held = w.held[:0]
	_, err := w.w.Write(out)
	return err
}
