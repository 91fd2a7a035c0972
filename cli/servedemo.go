package cli

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// defaultDemoAddr is a fixed port, so the printed config stays valid from
// one run to the next.
const defaultDemoAddr = "127.0.0.1:8400"

func newServeDemo(e env) *cobra.Command {
	var addr string
	var ttl time.Duration
	cmd := &cobra.Command{
		Use:   "serve-demo",
		Short: "Run the demo OAuth server and sample API until interrupted",
		Long: `serve-demo runs the built-in demo — a real OAuth 2.0 authorization server and a
sample API — on a loopback address until interrupted, and prints a ready-to-paste
keyhole config for its providers on stdout. It logs one line per request on
stderr and serves request counts at GET /_stats. It listens on loopback only;
a teammate elsewhere reaches it through ssh -L.

Access tokens live 90s unless --token-ttl or $KEYHOLE_DEMO_TOKEN_TTL says
otherwise (the flag wins).`,
		Example: `  keyhole serve-demo > demo.toml
  keyhole serve-demo --addr 127.0.0.1:9000 --token-ttl 1h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("token-ttl") {
				envTTL, err := demo.TokenTTLFromEnv()
				if err != nil {
					return &exitError{code: ExitUsage, err: err}
				}
				if envTTL > 0 {
					ttl = envTTL
				}
			}
			srv, err := demo.Start(demo.Options{Addr: addr, TokenTTL: ttl, Log: e.stderr})
			if err != nil {
				var opErr *net.OpError
				if errors.As(err, &opErr) {
					return &exitError{code: ExitNetwork, err: fmt.Errorf("%w (is another server on %s? pick one with --addr)", err, addr)}
				}
				return &exitError{code: ExitUsage, err: err}
			}
			defer srv.Close()
			fmt.Fprint(e.stdout, demo.Config(srv.URL()))
			fmt.Fprintf(e.stderr, "keyhole demo server on %s (access tokens live %s); Ctrl+C stops it\n", srv.URL(), ttl)
			<-cmd.Context().Done()
			fmt.Fprintln(e.stderr, "stopping the demo server")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultDemoAddr, "loopback address to listen on (127.0.0.1:PORT or [::1]:PORT; port 0 picks a free one)")
	cmd.Flags().DurationVar(&ttl, "token-ttl", demo.DefaultTokenTTL, "access token lifetime (also $KEYHOLE_DEMO_TOKEN_TTL)")
	return cmd
}
