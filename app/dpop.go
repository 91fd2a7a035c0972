package app

import "github.com/keyhole-sh/keyhole/providers/tokencache"

// stateDir is where DPoP keys and nonces are kept: the state folder, or
// "" (in memory, for this run) for the built-in demo, whose server and
// port change every run, or when there is no state folder to be had.
func (a *App) stateDir(builtin bool) string {
	if builtin || a.opts.Getenv == nil {
		return ""
	}
	dir, err := tokencache.StateDir(a.opts.Getenv)
	if err != nil {
		return ""
	}
	return dir
}
