// Package history keeps the exchanges of this session and earlier ones in
// history.jsonl: entries with every secret masked, appended under a file
// lock, compacted to the newest few hundred.
package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// FileName is the history's file name in keyhole's state folder.
const FileName = "history.jsonl"

// maxLine is the longest line read back; longer ones are skipped.
// An entry holds two bodies of at most BodyCap, which JSON may
// escape to six bytes a byte.
const maxLine = 4 << 20

// History is the exchanges of this session and earlier ones: kept in
// memory, and appended to a JSON-lines file (0600, in a 0700 folder) that
// holds at most about limit entries. Entries are redacted before they get
// here (NewEntry). A History is safe for concurrent use; several
// processes may share the file, which a lock file guards.
type History struct {
	path, lockPath string // "" when nothing goes to disk
	limit          int

	// loaded is set once the file has been read (Load); it is read
	// without mu, which a Load parsing a long file holds for a while.
	loaded atomic.Bool

	mu      sync.Mutex
	entries []Entry // oldest first
	onDisk  int     // lines in the file, as far as this process knows
	notes   []string
}

// Open opens the history in dir and loads it: Prepare, then Load.
func Open(dir string, limit int) (*History, error) {
	h, err := Prepare(dir, limit)
	if err != nil {
		return nil, err
	}
	if err := h.Load(); err != nil {
		return nil, err
	}
	return h, nil
}

// Prepare makes the history in dir (keyhole's state folder) ready without
// reading it: it creates the folder with mode 0700 if needed and tightens
// a looser one. Load reads the file, and Add loads it first if it has not
// been: a start does not pay for parsing a long history before it draws.
// limit is the `history` setting; 0 or less keeps this session's
// exchanges in memory only (up to config.DefaultHistory) and writes
// nothing.
func Prepare(dir string, limit int) (*History, error) {
	if limit <= 0 {
		h := &History{limit: config.DefaultHistory}
		h.loaded.Store(true)
		return h, nil
	}
	if dir == "" {
		return nil, errors.New("history: no folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := tighten(abs, 0o700); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return &History{path: filepath.Join(abs, FileName), lockPath: filepath.Join(abs, "history.lock"), limit: limit}, nil
}

// Load reads the newest limit entries from the file, once. A line that
// does not read as an entry is skipped with a note (Notes), not an error.
// It does I/O: call it off the UI loop.
func (h *History) Load() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.loadLocked()
}

// Loaded reports whether the file has been read (always, for a history
// kept in memory only). It does not wait for a Load under way.
func (h *History) Loaded() bool { return h.loaded.Load() }

// loadLocked is Load, h.mu held.
func (h *History) loadLocked() error {
	if h.loaded.Load() {
		return nil
	}
	unlock, err := h.lock()
	if err != nil {
		return err
	}
	defer unlock()
	entries, raw, lines, notes, err := h.read()
	if err != nil {
		return err
	}
	h.entries, h.notes, h.onDisk = entries, notes, lines
	h.loaded.Store(true)
	if h.onDisk > h.compactAt() {
		return h.rewrite(raw)
	}
	return nil
}

// tighten makes the folder ours alone, as the token cache does: the
// history holds URLs and bodies that are none of anyone else's business.
// The file itself is tightened on its open descriptor (read), never by
// path, which a planted symbolic link would redirect.
func tighten(path string, mode fs.FileMode) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&^mode != 0 {
		return os.Chmod(path, mode)
	}
	return nil
}

// compactAt is how many lines the file may reach before it is rewritten
// with the newest limit: a quarter more, so the rewrite is rare, not one
// per exchange once the history is full.
func (h *History) compactAt() int { return h.limit + max(1, h.limit/4) }

// Notes say what loading skipped (lines that are not entries).
func (h *History) Notes() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.notes...)
}

// Path is the history file, "" when nothing is written.
func (h *History) Path() string { return h.path }

// List returns the entries, newest first. It reads memory only: before
// Load, it has what this session added.
func (h *History) List() []Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Entry, len(h.entries))
	for i, e := range h.entries {
		out[len(out)-1-i] = e
	}
	return out
}

// Add keeps e and appends it to the file, rewriting the file with the
// newest entries when it has grown a quarter past the limit. It does I/O:
// call it off the UI loop. A zero Time is set to now.
func (h *History) Add(e Entry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false) // keep & < > readable in URLs and bodies
	if err := enc.Encode(e); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// The file is read before the first append: the entries kept in
	// memory and the count that decides a compaction must be the file's.
	if err := h.loadLocked(); err != nil {
		return err
	}
	h.entries = append(h.entries, e)
	if n := len(h.entries) - h.limit; n > 0 {
		h.entries = append([]Entry(nil), h.entries[n:]...)
	}
	if h.path == "" {
		return nil
	}
	unlock, err := h.lock()
	if err != nil {
		return err
	}
	defer unlock()
	// Never through a symbolic link: one planted here would have the
	// history appended to whatever file it points at.
	f, err := safefile.Open(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	// One write per line: appends from two processes do not interleave.
	_, err = f.Write(line.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if h.onDisk++; h.onDisk <= h.compactAt() {
		return nil
	}
	// Read the file again: another process may have appended to it.
	_, raw, _, _, err := h.read()
	if err != nil {
		return err
	}
	return h.rewrite(raw)
}

// lock holds the history file against other processes (flock on a
// separate lock file, so the atomic rename does not drop the lock). A
// symbolic link at the lock path is refused, not followed.
func (h *History) lock() (func(), error) {
	fl := flock.New(h.lockPath, flock.SetPermissions(0o600), flock.SetFlag(safefile.LockFlag))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, 20*time.Millisecond)
	err = safefile.CheckLock(h.lockPath, err)
	if err != nil || !ok {
		_ = fl.Close()
		if err == nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("history: locking %s: %w", h.lockPath, err)
	}
	return func() { _ = fl.Unlock() }, nil
}

// read loads the file: the newest limit entries, the raw lines of the
// newest entries (for a rewrite), how many lines the file holds, and notes
// for the lines skipped. A file others can read is made 0600 first; a
// symbolic link or anything else that is not a regular file is refused.
func (h *History) read() (entries []Entry, raw [][]byte, lines int, notes []string, err error) {
	f, err := safefile.Open(h.path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, 0, nil, nil
	}
	if err != nil {
		return nil, nil, 0, nil, fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, nil, 0, nil, fmt.Errorf("history: %w", err)
	} else if fi.Mode().Perm()&^0o600 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return nil, nil, 0, nil, fmt.Errorf("history: %w", err)
		}
	}
	err = readLines(f, maxLine, func(n int, line []byte, tooLong bool) {
		lines++
		var e Entry
		switch {
		case tooLong:
			notes = append(notes, fmt.Sprintf("%s line %d: longer than %s, skipped", FileName, n, document.HumanSize(maxLine)))
			return
		case json.Unmarshal(line, &e) != nil || e.Time.IsZero():
			notes = append(notes, fmt.Sprintf("%s line %d: not a history entry, skipped", FileName, n))
			return
		}
		entries = append(entries, e)
		raw = append(raw, append([]byte(nil), line...))
		if len(raw) > 2*h.limit { // keep memory bounded on a huge file
			entries = append([]Entry(nil), entries[len(entries)-h.limit:]...)
			raw = append([][]byte(nil), raw[len(raw)-h.limit:]...)
		}
	})
	if err != nil {
		return nil, nil, 0, nil, fmt.Errorf("history: %w", err)
	}
	if n := len(entries) - h.limit; n > 0 {
		entries = entries[n:]
	}
	return entries, raw, lines, notes, nil
}

// rewrite replaces the file, atomically, with the newest limit of raw.
func (h *History) rewrite(raw [][]byte) error {
	if n := len(raw) - h.limit; n > 0 {
		raw = raw[n:]
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	w := bufio.NewWriter(tmp)
	for _, line := range raw {
		w.Write(line)
		w.WriteByte('\n')
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), h.path)
	}
	if err != nil {
		return fmt.Errorf("history: rewriting %s: %w", h.path, err)
	}
	h.onDisk = len(raw)
	return nil
}

// readLines calls fn for each non-blank line (without its newline),
// numbered from 1; a line longer than limit is reported as tooLong, not
// kept in memory.
func readLines(r io.Reader, limit int, fn func(n int, line []byte, tooLong bool)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	n, tooLong := 0, false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(buf)+len(chunk) <= limit+1 {
			buf = append(buf, chunk...)
		} else {
			tooLong, buf = true, buf[:0]
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if line := bytes.TrimSpace(buf); len(line) > 0 || tooLong {
			n++
			fn(n, line, tooLong)
		} else if len(chunk) > 0 {
			n++ // a blank line still counts for the numbering
		}
		buf, tooLong = buf[:0], false
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
