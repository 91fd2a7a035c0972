package cli

import "github.com/keyhole-sh/keyhole/exchange"

// shellQuote returns s as one POSIX shell word, for the commands keyhole
// prints (curl, chmod). The quoting lives with the curl export, in
// exchange, so the TUI and the command line quote alike.
func shellQuote(s string) string { return exchange.ShellQuote(s) }
