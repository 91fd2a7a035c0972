package share

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// readAuthorizedKeys reads an OpenSSH authorized_keys file: its keys, their
// comments and the options before them that keyhole honours — from="…"
// and expiry-time="…" — or that change nothing for a read-only viewer
// (restrict and the no-…-forwarding ones; keyhole forwards nothing). Any
// other option is refused, with its line: a file written for sshd may
// mean more than keyhole can do, and a key must not get in wider than
// the file meant.
func readAuthorizedKeys(file string) ([]authorizedKey, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--authorized-keys: %w", err)
	}
	var keys []authorizedKey
	for i, text := range strings.Split(string(data), "\n") {
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("--authorized-keys %s:%d: not an OpenSSH public key", file, i+1)
		}
		k := authorizedKey{key: key, comment: comment}
		for _, opt := range options {
			if err := k.apply(opt); err != nil {
				return nil, fmt.Errorf("--authorized-keys %s:%d: %w", file, i+1, err)
			}
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--authorized-keys %s: no key in it", file)
	}
	return keys, nil
}

// apply takes one option of the key's line.
func (k *authorizedKey) apply(opt string) error {
	name, value, _ := strings.Cut(opt, "=")
	value = unquote(value)
	switch strings.ToLower(name) {
	case "from":
		from, err := parseFrom(value)
		if err != nil {
			return fmt.Errorf("from=%q: %w", value, err)
		}
		k.from = from
	case "expiry-time":
		t, err := parseExpiry(value)
		if err != nil {
			return fmt.Errorf("expiry-time=%q: %w", value, err)
		}
		k.expires = t
	case "restrict", "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc", "pty":
		// keyhole forwards nothing and runs no rc file; a viewer gets
		// the terminal it asks for.
	case "no-pty":
		return fmt.Errorf("no-pty: a viewer needs a terminal to watch in; remove the option or the key")
	default:
		return fmt.Errorf("the option %s is not supported (keyhole honours from= and expiry-time=); remove it", name)
	}
	return nil
}

// unquote takes the quotes off an option's value, and the backslashes
// before the quotes inside it.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`)
	}
	return v
}

// addrPattern is one entry of a from="…" list: an address with * and ?
// wildcards, or a CIDR prefix; negated with a leading !.
type addrPattern struct {
	negated bool
	glob    string       // when prefix is not valid
	prefix  netip.Prefix // 10.0.0.0/8, 2001:db8::/32
}

// parseFrom reads from="…"'s comma-separated patterns. A host name is
// refused: sshd matches names through reverse DNS, which keyhole does
// not do, and a !name that could never match would let that host in.
func parseFrom(list string) ([]addrPattern, error) {
	var out []addrPattern
	for _, p := range strings.Split(list, ",") {
		var ap addrPattern
		if p, ap.negated = strings.CutPrefix(p, "!"); p == "" {
			return nil, fmt.Errorf("an empty pattern")
		}
		if strings.Contains(p, "/") {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("%s is not an address/length", p)
			}
			ap.prefix = pre.Masked()
		} else {
			if !addressGlob(p) {
				return nil, fmt.Errorf("%s is a host name: keyhole matches addresses only (it does no reverse DNS); use the address", p)
			}
			ap.glob = strings.ToLower(p)
		}
		out = append(out, ap)
	}
	return out, nil
}

// addressGlob reports whether p can only be an address pattern: IPv4's
// digits and dots, or IPv6's hex digits with at least one colon, with *
// and ?. "cafe" is hex but a host name: !cafe must not be taken for an
// address that never matches, which would let that host in.
func addressGlob(p string) bool {
	if strings.Trim(p, "0123456789.*?") == "" {
		return true
	}
	return strings.Contains(p, ":") && strings.Trim(p, "0123456789abcdefABCDEF.:*?") == ""
}

// parseExpiry reads expiry-time="…": YYYYMMDD or YYYYMMDDHHMM[SS], in
// the local time zone, or in UTC with a trailing Z, as sshd does.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		v, loc = s, time.UTC
	}
	for _, layout := range []string{"20060102", "200601021504", "20060102150405"} {
		if len(v) == len(layout) {
			if t, err := time.ParseInLocation(layout, v, loc); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("not YYYYMMDD or YYYYMMDDHHMM[SS], with Z for UTC")
}

// admits reports whether the key may come in from addr at now: before its
// expiry-time, and from an address its from="…" matches and none of its
// negated patterns does.
func (k authorizedKey) admits(addr net.Addr, now time.Time) bool {
	if !k.expires.IsZero() && !now.Before(k.expires) {
		return false
	}
	if k.from == nil {
		return true
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	matched := false
	for _, p := range k.from {
		if p.matches(ip) {
			if p.negated {
				return false
			}
			matched = true
		}
	}
	return matched
}

func (p addrPattern) matches(ip netip.Addr) bool {
	if p.prefix.IsValid() {
		return p.prefix.Contains(ip)
	}
	ok, err := path.Match(p.glob, strings.ToLower(ip.String()))
	return err == nil && ok
}
