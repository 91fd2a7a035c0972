package cli

import (
	"errors"
	"os/exec"
	"runtime"

	"github.com/keyhole-sh/keyhole/providers"
)

// openBrowser asks the desktop to show url in the default browser. It
// returns once the helper has started: xdg-open and open hand the URL over
// and exit, and waiting for a browser to close would be wrong.
//
// Only an absolute http(s) URL is opened (the session checks it too,
// before calling any opener): it cannot start with "-", so it is never
// taken for an option, and it goes as one argument. No "--" is passed:
// Debian's xdg-open answers it with "unexpected option" and exits 1.
func openBrowser(url string) error {
	if err := providers.CheckBrowserURL(url); err != nil {
		return err
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		// rundll32 takes the URL as one argument, untouched by cmd.exe's
		// quoting rules, so & and ^ in a query survive.
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New(cmd.Args[0] + " is not installed")
		}
		return err
	}
	// Reap the helper in the background; its exit status says nothing
	// useful (xdg-open exits 0 even when no browser is configured).
	go func() { _ = cmd.Wait() }()
	return nil
}

// sshSession reports whether keyhole runs in an SSH session with no
// display of its own: a browser opened here would open on a screen nobody
// is looking at, if at all.
func sshSession(getenv func(string) string) bool {
	if getenv("SSH_CONNECTION") == "" && getenv("SSH_TTY") == "" {
		return false
	}
	return getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}
