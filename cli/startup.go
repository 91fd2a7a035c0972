package cli

import (
	"runtime/debug"
	"time"

	"github.com/mattn/go-runewidth"
)

// What a start of the TUI does before its first frame, on a cold process:
// package inits, Cobra, the config, the model built beside Bubble Tea's
// terminal setup (model.Starting), the first View and the renderer's
// first flush. Two costs in it are not keyhole's own work, and both are
// moved out of the first frame's way here.
const (
	// startGCPercent is GOGC during the start. A start allocates about
	// 5 MB: with the default GOGC (100, a first collection at 4 MB) the
	// collector ran twice before the first frame, for about 8 ms of clock
	// on the two cores the start needs; at 400 the first comes at 16 MB.
	// A raised GOGC, not the collector off under a memory limit: that
	// would lower a smaller GOMEMLIMIT's bound, or collect back to back
	// once the live heap passed the limit.
	startGCPercent = 400
	// startGCPause is how long the start's GOGC lasts: long past the
	// first frame, short enough that a session never runs with it.
	startGCPause = time.Second
)

// prepareTUIStart readies a start of the TUI: it lets the heap grow
// further before the first collection until startGCPause has passed.
// (The width table is under way already: internal/tuistart starts it
// during the package inits.)
func prepareTUIStart() {
	holdGC(startGCPause, startGCPercent)
}

// warmWidths builds go-runewidth's width table on another core, for a
// start of the TUI that internal/tuistart could not tell from its command
// line (keyhole demo): Bubble Tea's renderer measures each cell with it,
// and the 2 MB table is built on the first non-ASCII rune, about 7 ms
// inside the first frame's flush otherwise. Building it twice costs
// nothing: the second call finds it built.
func warmWidths() { go runewidth.RuneWidth('─') }

// holdGC sets GOGC to percent, unless GOGC is already higher or off, for
// pause, then puts back what it found. It returns a channel closed once
// it has.
func holdGC(pause time.Duration, percent int) <-chan struct{} {
	done := make(chan struct{})
	was := debug.SetGCPercent(percent)
	if was < 0 || was >= percent {
		debug.SetGCPercent(was)
		close(done)
		return done
	}
	time.AfterFunc(pause, func() {
		debug.SetGCPercent(was)
		close(done)
	})
	return done
}

// frameRate is how often Bubble Tea may draw a frame, its maximum: a frame
// waits for the renderer's next tick, 8 ms at most instead of the default
// 60 fps's 17 — the first frame and every key's. When nothing changed a
// tick compares the frame with the last one and writes nothing.
const frameRate = 120
