// Package tuistart is what a start of the TUI begins before main: it
// tells the command lines that can only open the TUI, and has the width
// table Bubble Tea's renderer measures every cell with built while the
// other packages initialise.
package tuistart

import (
	"os"
	"strings"

	"github.com/mattn/go-runewidth"
)

// init starts building go-runewidth's width table when the command line
// can only open the TUI. The renderer builds the 2 MB table on the first
// non-ASCII rune (every keyhole frame has box lines): about 7 ms, which
// fell inside the first frame's flush, and later, started from main, took
// a core from the model being built. Package initialisation runs on one
// core and leaves the other idle: begun here, the table is ready before
// main starts. Building it twice costs nothing: the second call finds it
// built.
func init() {
	if _, _, ok := Flags(os.Args[1:]); ok {
		go runewidth.RuneWidth('─')
	}
}

// Flags reads the --config and --env of args that can only open the
// TUI, as Cobra would (the last one given wins); ok is false for any other
// args.
func Flags(args []string) (configPath, envName string, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, inline := strings.Cut(a, "=")
		if name != "--config" && name != "--env" {
			return "", "", false
		}
		if !inline {
			if i+1 == len(args) || strings.HasPrefix(args[i+1], "-") {
				return "", "", false
			}
			i++
			value = args[i]
		}
		if name == "--config" {
			if value == "" {
				return "", "", false // Cobra's path says it is empty
			}
			configPath = value
		} else {
			envName = value
		}
	}
	return configPath, envName, true
}
