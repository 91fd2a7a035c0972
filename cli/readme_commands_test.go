package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestReadmeCommandsListEveryFlag: the README's list of commands (its
// "## Commands" block) has a line for each command, and each command's
// lines name every flag it takes (--config, --env and --help are said
// once below the block). call and run took --no-browser, which the list
// left out, and completion was not in it.
func TestReadmeCommandsListEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "## Commands\n\n```\n")
	if !ok {
		t.Fatal("README has no Commands block")
	}
	block, _, _ = strings.Cut(block, "```")
	e, _, _ := testEnv(t)
	root := newRoot(e, allCommands)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		var lines []string
		for line := range strings.Lines(block) {
			if strings.HasPrefix(line, "keyhole "+c.Name()+" ") || strings.TrimSpace(line) == "keyhole "+c.Name() {
				lines = append(lines, line)
			}
		}
		if len(lines) == 0 {
			t.Errorf("the README's Commands block has no line for keyhole %s", c.Name())
			continue
		}
		said := strings.Join(lines, "")
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" || f.Hidden {
				return
			}
			short := f.Shorthand != "" && regexp.MustCompile(`[\s\[]-`+f.Shorthand+`\b`).MatchString(said)
			if !short && !strings.Contains(said, "--"+f.Name) {
				t.Errorf("the README's lines for keyhole %s do not name --%s:\n%s", c.Name(), f.Name, said)
			}
		})
	}
}
