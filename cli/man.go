package cli

import (
	"fmt"
	"strings"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// newManCmd is keyhole man: the manual page of the whole command tree, in
// roff, for packagers (keyhole man > keyhole.1). Hidden: it is not a
// command people run for themselves.
func newManCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:                   "man",
		Short:                 "Print keyhole's manual page (roff)",
		Hidden:                true,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return fmt.Errorf("man page: %w", err)
			}
			page.WithLongDescription(manParagraphs(cmd.Root().Long))
			_, err = fmt.Fprint(e.stdout, page.Build(roff.NewDocument()))
			return err
		},
	}
}

// manParagraphs is long as the manual page's text: roff makes each line
// of it a paragraph of its own, so a paragraph's lines are joined into
// one (the reader's man fills it to the width), and paragraphs are one
// line apart. A paragraph with an indented line (a list, an example)
// keeps its lines.
func manParagraphs(long string) string {
	var paras []string
	for _, para := range strings.Split(strings.TrimSpace(long), "\n\n") {
		if lines := strings.Split(para, "\n"); indented(lines) {
			paras = append(paras, para)
			continue
		}
		paras = append(paras, strings.Join(strings.Fields(para), " "))
	}
	return strings.Join(paras, "\n")
}
