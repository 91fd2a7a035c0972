// Package browser hands web addresses, and nothing else, to the desktop's
// browser. The addresses come from servers (discovery, a device grant's
// answer): a browser helper given "javascript:…", "file:///…" or "--help"
// would run it, show a local file or take it for an option.
package browser

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
)

// ErrNotWebURL is why an address was not handed to a browser: it is not an
// absolute http or https URL. The authorization and verification URLs come
// from the server (discovery, the device grant's answer), and a browser
// helper (xdg-open, open) given "javascript:…", "file:///…" or "--help"
// would run, show a local file or take it for an option.
var ErrNotWebURL = errors.New("keyhole opens only http and https addresses in a browser")

// Check returns nil when raw may be handed to a browser helper:
// an absolute http or https URL (the scheme in any case) with a host, and
// no space or control character, so it is one argument that cannot start
// with "-". Anything else is printed for the person to judge, not opened.
func Check(raw string) error {
	for _, c := range []byte(raw) {
		if c <= ' ' || c == 0x7F {
			return fmt.Errorf("%w: the address holds a space or a control character", ErrNotWebURL)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: the address does not parse", ErrNotWebURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return fmt.Errorf("%w: the address is not absolute", ErrNotWebURL)
	default:
		return fmt.Errorf("%w, not %s: addresses", ErrNotWebURL, strings.ToLower(u.Scheme))
	}
	if u.Opaque != "" || u.Host == "" {
		return fmt.Errorf("%w: the address has no host", ErrNotWebURL)
	}
	return nil
}

// Open asks the desktop to show url in the default browser. It
// returns once the helper has started: xdg-open and open hand the URL over
// and exit, and waiting for a browser to close would be wrong.
//
// Only an absolute http(s) URL is opened (the session checks it too,
// before calling any opener): it cannot start with "-", so it is never
// taken for an option, and it goes as one argument. No "--" is passed:
// Debian's xdg-open answers it with "unexpected option" and exits 1.
func Open(url string) error {
	if err := Check(url); err != nil {
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
