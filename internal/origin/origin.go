// Package origin compares URLs by origin (RFC 6454: scheme, host and
// port), the test keyhole makes before a token goes with a request. It is
// one function so that every place that decides where a token may go
// decides it the same way.
package origin

import (
	"net"
	"net/url"
	"strings"
)

// Same reports whether a and b have the same scheme, host and port, a
// missing port counting as the scheme's default.
func Same(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	// JoinHostPort brackets an IPv6 literal again, so [::1] and [::1]:443
	// compare equal; Hostname() + ":443" gave "::1:443".
	switch strings.ToLower(u.Scheme) {
	case "https":
		return net.JoinHostPort(u.Hostname(), "443")
	case "http":
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}
