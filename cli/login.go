package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/muesli/cancelreader"

	"github.com/keyhole-sh/keyhole/internal/browser"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/ui"
)

// getToken returns the provider's token: the cached one while it is valid,
// else a refreshed or fetched one. When only the person can get a new one
// (an interactive grant with no usable refresh token), it runs the grant,
// talking to the person on stderr. force runs the grant from scratch,
// ignoring the cache and any refresh token.
//
// A token the cache could not keep is returned all the same, with a
// warning on stderr: the server issued it, and the next run will need
// another.
func getToken(ctx context.Context, e env, sess *providers.Session, force, noBrowser bool) (*providers.Token, error) {
	tok, err := obtainToken(ctx, e, sess, force, noBrowser)
	sayTokenNotes(e, sess, tok)
	warnCacheErr(e, tok, err)
	return tok, err
}

// warnCacheErr says on stderr when a token just got could not be cached.
func warnCacheErr(e env, tok *providers.Token, err error) {
	if err == nil && tok.CacheErr != nil {
		fmt.Fprintf(e.stderr, "keyhole: warning: %s\n", termtext.Line(tok.CacheErr.Error()))
	}
}

// obtainToken is getToken without the notes and the warning.
func obtainToken(ctx context.Context, e env, sess *providers.Session, force, noBrowser bool) (*providers.Token, error) {
	if force && sess.Provider().Interactive() {
		return login(ctx, e, sess, noBrowser)
	}
	var tok *providers.Token
	var err error
	if force {
		tok, err = sess.Fetch(ctx)
	} else {
		tok, err = sess.Token(ctx)
	}
	if errors.Is(err, providers.ErrNeedsLogin) && sess.Provider().Interactive() {
		return login(ctx, e, sess, noBrowser)
	}
	return tok, err
}

// login runs the provider's interactive grant. Everything meant for the
// person goes to stderr, so that stdout holds only what the command prints
// ($(keyhole token x) stays clean).
func login(ctx context.Context, e env, sess *providers.Session, noBrowser bool) (*providers.Token, error) {
	p := sess.Provider()
	why := ""
	switch {
	case noBrowser:
		why = "--no-browser"
	case sshSession(e.getenv):
		why = "SSH session without a display: open it on your own machine"
	case e.open == nil:
		why = "no browser to open here"
	}
	pend, err := sess.Authorize(ctx, providers.AuthorizeOptions{Open: e.open, NoBrowser: why != ""})
	if err != nil {
		return nil, err
	}
	if pend.OpenErr != nil {
		why = "could not open a browser: " + sess.Redact(pend.OpenErr.Error())
		if errors.Is(pend.OpenErr, browser.ErrNotWebURL) {
			// The server's address is shown for the person to judge, not
			// opened: it may be javascript:, a local file, an option.
			why = "not opened: " + pend.OpenErr.Error() + "; check it before you open it"
		}
	}
	w := e.stderr
	paste := pend.CanPaste() && e.tty(e.stdin)
	describeLogin(w, e, p, pend, why, paste, time.Now())

	stopPaste := func() {}
	if paste {
		stopPaste = readPastes(e, pend)
	}
	tok, err := pend.Wait(ctx)
	stopPaste()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, &exitError{code: ExitUsage, err: fmt.Errorf("%s: sign-in interrupted", p.Name)}
		}
		return nil, err
	}
	fmt.Fprintf(w, "keyhole: signed in; %s has a token.\n", termtext.Line(p.Name))
	return tok, nil
}

// describeLogin tells the person what to do: where to go, the code to
// enter or a QR code to scan, what is being approved, and the time left.
// The addresses and the user code come from the server, the names from the
// config: all are printed through the sanitizer.
func describeLogin(w io.Writer, e env, p *config.Provider, pend *providers.Pending, why string, paste bool, now time.Time) {
	line := termtext.Line
	name, client, why := line(p.Name), line(pend.ClientID), line(why)
	scopes := "no scopes"
	if len(pend.Scopes) > 0 {
		scopes = "scopes " + line(strings.Join(pend.Scopes, " "))
	}
	left := ""
	if !pend.Expires.IsZero() {
		left = fmt.Sprintf("%s (until %s)", durfmt.Clock(pend.Expires.Sub(now)), pend.Expires.Format("15:04:05"))
	}
	howOpen := func(u string) {
		if pend.Opened {
			fmt.Fprintf(w, "Opened your browser at:\n  %s\n", line(u))
			return
		}
		if errors.Is(pend.OpenErr, browser.ErrNotWebURL) {
			fmt.Fprintf(w, "The server gave this address (%s):\n  %s\n", why, line(u))
			return
		}
		fmt.Fprintf(w, "Open this address in a browser (%s):\n  %s\n", why, line(u))
	}
	if pend.Grant == config.GrantDeviceCode {
		fmt.Fprintf(w, "keyhole: %s needs you to approve this device (device grant for client %s, %s).\n", name, client, scopes)
		target := pend.URL
		if pend.Opened && pend.CompleteURL != "" {
			target = pend.CompleteURL
		}
		howOpen(target)
		if pend.Opened {
			fmt.Fprintf(w, "and check that it shows the code  %s\n", line(pend.UserCode))
		} else {
			fmt.Fprintf(w, "and enter the code  %s\n", line(pend.UserCode))
		}
		// A QR code is a link the phone opens: only for a web address.
		if pend.CompleteURL != "" && browser.Check(pend.CompleteURL) == nil {
			if q := ui.QR(pend.CompleteURL); q != "" {
				fmt.Fprintln(w, "or scan this with a phone (it holds the code):")
				// On a terminal, dark modules on a light ground whatever
				// the theme; a log or a pipe gets the blocks alone.
				fmt.Fprintln(colorprofile.NewWriter(w, environ(e.getenv)), q)
			}
		}
		if left != "" {
			fmt.Fprintf(w, "The code expires in %s. Waiting for the approval…\n", left)
		}
		return
	}
	fmt.Fprintf(w, "keyhole: %s needs you to sign in (authorization code for client %s, %s).\n", name, client, scopes)
	howOpen(pend.URL)
	if left != "" {
		fmt.Fprintf(w, "Waiting %s for the browser to come back to %s…\n", left, pend.Redirect)
	}
	if paste {
		fmt.Fprintln(w, "If the browser cannot reach this machine, paste the address it ends on here and press Enter.")
	} else if sshSession(e.getenv) {
		if u, err := url.Parse(pend.Redirect); err == nil {
			fmt.Fprintf(w, "From another machine, forward the port first: ssh -L %s:127.0.0.1:%s <this host>\n", u.Port(), u.Port())
		}
	}
}

// readPastes reads lines from stdin (a terminal) and hands the first
// non-empty one to the grant as the redirect the browser ended on. The
// returned stop ends the reading, also while it waits for a key.
func readPastes(e env, pend *providers.Pending) (stop func()) {
	cr, err := cancelreader.NewReader(e.stdin)
	if err != nil {
		return func() {}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(cr)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			if err := pend.Paste(line); err != nil {
				fmt.Fprintf(e.stderr, "keyhole: %s\n", termtext.Line(err.Error()))
				continue
			}
			fmt.Fprintln(e.stderr, "keyhole: checking the pasted address…")
			return
		}
	}()
	return func() {
		cr.Cancel()
		wg.Wait()
		_ = cr.Close()
	}
}

// environ rebuilds the part of the environment colour detection reads.
func environ(getenv func(string) string) []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "WT_SESSION"} {
		if v := getenv(k); v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}
