// Command specgen writes an OpenAPI description of the size and shape of
// GitHub's REST description (spec/spectest's GitHub options: 1,200
// operations, 900 $ref'd component schemas, 9-deep chains, allOf and
// oneOf), for bench/run to point a provider's openapi key at.
//
//	go run ./internal/specgen -o github.json              # about 13 MB
//	go run ./internal/specgen -deref -o deref.json        # about 73 MB, GitHub's dereferenced size
//
// The output is deterministic: the same flags give the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

func main() {
	o := spectest.GitHub()
	deref := flag.Bool("deref", false, "the size of GitHub's dereferenced description (about 73 MB)")
	out := flag.String("o", "", "file to write (required; 0600)")
	flag.IntVar(&o.Example, "example", o.Example, "bytes of each operation's response example: most of the weight")
	flag.IntVar(&o.Operations, "operations", o.Operations, "operations")
	yaml := flag.Bool("yaml", false, "write YAML instead of JSON")
	flag.Parse()
	if *deref {
		o.Example = spectest.GitHubDereferenced().Example
	}
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: specgen -o FILE [-deref] [-example BYTES] [-operations N] [-yaml]")
		os.Exit(2)
	}
	data := spectest.JSON(o)
	if *yaml {
		data = spectest.YAML(o)
	}
	if err := os.WriteFile(*out, data, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}
