package providers

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotWebURL is why an address was not handed to a browser: it is not an
// absolute http or https URL. The authorization and verification URLs come
// from the server (discovery, the device grant's answer), and a browser
// helper (xdg-open, open) given "javascript:…", "file:///…" or "--help"
// would run, show a local file or take it for an option.
var ErrNotWebURL = errors.New("keyhole opens only http and https addresses in a browser")

// CheckBrowserURL returns nil when raw may be handed to a browser helper:
// an absolute http or https URL (the scheme in any case) with a host, and
// no space or control character, so it is one argument that cannot start
// with "-". Anything else is printed for the person to judge, not opened.
func CheckBrowserURL(raw string) error {
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
		return fmt.Errorf("%w, not %s:", ErrNotWebURL, strings.ToLower(u.Scheme))
	}
	if u.Opaque != "" || u.Host == "" {
		return fmt.Errorf("%w: the address has no host", ErrNotWebURL)
	}
	return nil
}

// openChecked hands raw to open only when CheckBrowserURL allows it.
func openChecked(open func(string) error, raw string) error {
	if err := CheckBrowserURL(raw); err != nil {
		return err
	}
	return open(raw)
}
