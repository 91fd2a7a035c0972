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
	// startHeapLimit is how far the heap may grow before the collector
	// runs during the start. A start allocates about 5 MB: with the
	// default GOGC the collector ran twice before the first frame, for
	// about 8 ms of clock on the two cores the start needs.
	startHeapLimit = 64 << 20
	// startGCPause is how long the collector waits: long past the first
	// frame, short enough that a session never runs without it.
	startGCPause = time.Second
)

// prepareTUIStart readies a start of the TUI. It builds go-runewidth's
// width table on another core: Bubble Tea's renderer measures each cell
// with it, and the 2 MB table is built on the first non-ASCII rune (every
// keyhole frame has box lines), about 8 ms that fell inside the first
// frame's flush. And it holds the garbage collector off until startGCPause
// has passed or the heap reaches startHeapLimit, whichever comes first.
func prepareTUIStart() {
	go runewidth.RuneWidth('─')
	holdGC(startGCPause, startHeapLimit)
}

// holdGC holds the garbage collector off for pause or until the heap
// reaches limit, then puts back the settings it found (GOGC and
// GOMEMLIMIT included).
func holdGC(pause time.Duration, limit int64) {
	gcPercent := debug.SetGCPercent(-1)
	oldLimit := debug.SetMemoryLimit(limit)
	time.AfterFunc(pause, func() {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(oldLimit)
	})
}

// frameRate is how often Bubble Tea may draw a frame, its maximum: a frame
// waits for the renderer's next tick, 8 ms at most instead of the default
// 60 fps's 17 — the first frame and every key's. When nothing changed a
// tick compares the frame with the last one and writes nothing.
const frameRate = 120
