package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/model"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
	"github.com/keyhole-sh/keyhole/share"
)

// shareFlags are keyhole share's flags.
type shareFlags struct {
	addr, authorizedKeys string
	maxViewers           int
}

func newShareCmd(e env, configPath *string) *cobra.Command {
	var f shareFlags
	cmd := &cobra.Command{
		Use:   "share",
		Short: "Show this session to teammates over SSH: read-only, always masked",
		Long: `share opens the TUI as usual and, beside it, an SSH server where teammates
watch the session live in their own terminals, at their own sizes:

  ssh -p 2222 HOST

Viewers see the providers, the token's state and countdown, the request and
the response, and follow what you do; their keys scroll and search their own
copy and change nothing of yours. Secrets are masked for them always, even
while you reveal them here; they never see the join code, a sign-in's
address or user code.

Who gets in: the keys of --authorized-keys (OpenSSH format), or without it
the join code shown on your screen (W), typed at the viewer's prompt. Wrong
codes are slowed, then refused for a while. The host key is kept 0600 in
keyhole's state folder; its fingerprint is printed when sharing starts.

It listens on 127.0.0.1 unless told otherwise: teammates on other machines
reach it through SSH (ssh -L 2222:127.0.0.1:2222 you@your-host). Binding
another address prints a warning.`,
		Example: `  keyhole share
  keyhole share --authorized-keys ~/.ssh/team_keys --max-viewers 4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runShare(cmd.Context(), e, *configPath, f)
		},
	}
	cmd.Flags().StringVar(&f.addr, "addr", share.DefaultAddr, "the address viewers connect to")
	cmd.Flags().StringVar(&f.authorizedKeys, "authorized-keys", "", "admit the keys of this OpenSSH authorized_keys file instead of a join code")
	cmd.Flags().IntVar(&f.maxViewers, "max-viewers", 10, "the most viewers at once")
	return cmd
}

func runShare(ctx context.Context, e env, flagPath string, f shareFlags) error {
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return &exitError{code: ExitUsage, err: errors.New("keyhole share runs the TUI: it needs a terminal on stdin and stdout")}
	}
	if f.maxViewers < 1 {
		return &exitError{code: ExitUsage, err: fmt.Errorf("--max-viewers %d: at least 1", f.maxViewers)}
	}
	warmWidths()
	opts, cleanup, err := tuiOptions(e, flagPath, false)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	defer cleanup()
	srv, changed, err := startShare(e, f, opts.Theme)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	defer func() { _ = srv.Close(model.GoodbyeQuit) }()
	fmt.Fprintln(e.stderr, shareBanner(srv))
	opts.Share = srv
	opts.Notice = shareNotice(srv)
	p := tea.NewProgram(model.Starting(opts), tea.WithContext(ctx), tea.WithFPS(frameRate), tea.WithInput(e.stdin), tea.WithOutput(e.stdout))
	done := make(chan struct{})
	defer close(done)
	go func() {
		// A viewer came or left: tell the presenter's program, from here
		// and not from the server's goroutines, which must not wait on it.
		for {
			select {
			case <-done:
				return
			case <-changed:
				p.Send(model.SharingChangedMsg{})
			}
		}
	}()
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("run the TUI: %w", err)
	}
	return nil
}

// startShare starts the SSH server. Its host key lives in keyhole's state
// folder, never in the working one; charm.land/ssh reports panics and
// failed channel requests through the global slog, which would print
// under the TUI: it is silenced first.
func startShare(e env, f shareFlags, theme string) (*share.Server, <-chan struct{}, error) {
	dir, err := tokencache.StateDir(e.getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("share: %w", err)
	}
	if err := safefile.MkdirPrivate(dir); err != nil {
		return nil, nil, fmt.Errorf("share: %w", err)
	}
	hostKey := filepath.Join(dir, "share_host_ed25519")
	if fi, err := os.Lstat(hostKey); err == nil && !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("share: host key %s is not a regular file (a link is not followed)", hostKey)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	presenter := presenterName(e.getenv)
	changed := make(chan struct{}, 1)
	srv, err := share.Start(share.Options{
		Addr: f.addr, HostKeyPath: hostKey, AuthorizedKeys: f.authorizedKeys, MaxViewers: f.maxViewers,
		NewViewer: func(_ share.Viewer, first any) tea.Model {
			return model.NewViewer(model.ViewerOptions{Presenter: presenter, Theme: theme}, first)
		},
		Changed: func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		},
	})
	return srv, changed, err
}

// presenterName is whose session viewers watch: user@host.
func presenterName(getenv func(string) string) string {
	user := getenv("USER")
	if user == "" {
		user = getenv("LOGNAME")
	}
	if user == "" {
		user = "someone"
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		return user + "@" + host
	}
	return user
}

// shareBanner is what share prints before the TUI takes the screen (it is
// there again after): where, the host key, the warning for an address
// that is not loopback.
func shareBanner(srv *share.Server) string {
	s := fmt.Sprintf("keyhole share: listening on %s\nkeyhole share: host key %s", srv.Addr(), srv.Fingerprint())
	if w := loopbackWarning(srv.Addr()); w != "" {
		s += "\n" + w
	}
	return s
}

// shareNotice is the TUI's first notice while sharing.
func shareNotice(srv *share.Server) string {
	n := "sharing on " + srv.Addr()
	if code := srv.JoinCode(); code != "" {
		n += " · join code " + code
	}
	n += " · W: who is watching"
	if w := loopbackWarning(srv.Addr()); w != "" {
		n = w + " · " + n
	}
	return n
}

// loopbackWarning says so when addr is not a loopback address: anyone who
// reaches it may try to get in.
func loopbackWarning(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() || host == "localhost" {
		return ""
	}
	return "keyhole share: warning: listening on " + addr + ", not a loopback address: anyone who can reach it can try to join"
}
