package cli

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/httptoken"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// What call and curl share: reading -H and -d, and the origin check.

// methods offered by completion for call and curl.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// parseHeaderFlags reads each -H 'Name: value'.
func parseHeaderFlags(flags []string) ([]exchange.Field, error) {
	var out []exchange.Field
	for _, h := range flags {
		if strings.ContainsAny(h, "\r\n") {
			return nil, &exitError{code: ExitUsage, err: fmt.Errorf("-H: a header is one line (the value is not repeated here: it may be a credential)")}
		}
		f, err := exchange.ParseHeaders(h)
		if err != nil || len(f) != 1 {
			return nil, &exitError{code: ExitUsage, err: fmt.Errorf("-H: want 'Name: value' (the value is not repeated here: it may be a credential)")}
		}
		out = append(out, f[0])
	}
	return out, nil
}

// data is the request body -d gave.
type data struct {
	// body is the text to send.
	body string
	// file is the absolute path of -d @FILE ("" otherwise), for curl to
	// name instead of copying the file into the command.
	file string
}

// readData reads -d: the text as given, @FILE a file's bytes as they are
// (like curl's --data-binary, not -d, which strips newlines from files),
// @- standard input. "" is no body.
func readData(e env, arg string) (data, error) {
	name, isFile := strings.CutPrefix(arg, "@")
	if !isFile {
		return data{body: arg}, nil
	}
	if name == "-" {
		if e.stdin == nil {
			return data{}, nil
		}
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return data{}, &exitError{code: ExitUsage, err: fmt.Errorf("-d @-: read standard input: %w", err)}
		}
		return data{body: string(b)}, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return data{}, &exitError{code: ExitUsage, err: fmt.Errorf("-d @%s: %w", name, err)}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return data{}, &exitError{code: ExitUsage, err: err}
	}
	return data{body: string(b), file: abs}, nil
}

// target resolves a path or URL for provider p and tells whether it leaves
// the provider's base_url origin, where its token is not sent unless asked.
func target(p *config.Provider, raw string) (u *url.URL, foreign bool, err error) {
	u, err = exchange.ResolveURL(p.BaseURL, raw)
	if err != nil {
		return nil, false, &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", p.Name, err)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, false, &exitError{code: ExitUsage, err: fmt.Errorf("%s: %s: only http and https URLs", p.Name, u.Scheme)}
	}
	if p.BaseURL == "" {
		return u, false, nil
	}
	base, err := url.Parse(p.BaseURL)
	if err != nil {
		return nil, false, &exitError{code: ExitUsage, err: fmt.Errorf("%s: base_url: %w", p.Name, err)}
	}
	return u, !providers.SameOrigin(base, u), nil
}

// origin is scheme://host[:port] of a URL, for messages.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

// withheldNote says why a request goes out without the token.
func withheldNote(p *config.Provider, u *url.URL) string {
	return fmt.Sprintf("keyhole: %s is not %s's origin (%s): the token is not sent there; --send-token sends it", origin(u.String()), p.Name, origin(p.BaseURL))
}

// validMethod checks an HTTP method token, so a typo cannot smuggle a space
// or a newline into the request line or the curl command.
func validMethod(m string) (string, error) {
	m = strings.ToUpper(strings.TrimSpace(m))
	if !httptoken.Valid(m) {
		return "", &exitError{code: ExitUsage, err: fmt.Errorf("%q is not an HTTP method", m)}
	}
	return m, nil
}

// exactArgs is cobra.ExactArgs with a message that names what is missing.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		return fmt.Errorf("usage: keyhole %s (got %d argument(s)); see keyhole %s --help", cmd.Use, len(args), cmd.Name())
	}
}
