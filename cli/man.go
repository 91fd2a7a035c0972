package cli

import (
	"fmt"

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
			_, err = fmt.Fprint(e.stdout, page.Build(roff.NewDocument()))
			return err
		},
	}
}
