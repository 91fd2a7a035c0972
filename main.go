// Command keyhole is a terminal UI for exploring OAuth-protected HTTP APIs.
package main

import (
	"os"

	"github.com/keyhole-sh/keyhole/cli"
)

func main() {
	os.Exit(cli.Execute())
}
