package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// IsLoopback reports whether host, a URL's Hostname, is this machine:
// 127.0.0.0/8, ::1 or localhost. Plain http there never crosses a network.
func IsLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// InClear reports whether raw is a plain http:// URL to a host that is not
// loopback: what is sent there, a client secret or a password, can be read
// (and the answer changed) by anyone on the way.
func InClear(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, "http") && u.Host != "" && !IsLoopback(u.Hostname())
}

// ClearEndpoints names the keys of p's endpoints that are InClear: those
// that receive its credentials (the token, device, revocation and
// introspection endpoints, a custom login or refresh), where the person
// signs in, and the issuer its other endpoints are discovered from. The
// API itself (base_url) is not among them: it receives only the token.
// p is a resolved provider; an unresolved ${VAR} parses as no URL.
func (p *Provider) ClearEndpoints() []string {
	var keys []string
	add := func(key, raw string) {
		if raw != "" && InClear(raw) {
			keys = append(keys, key)
		}
	}
	add("issuer", p.Issuer)
	add("token_url", p.TokenURL)
	add("auth_url", p.AuthURL)
	add("device_url", p.DeviceURL)
	add("revoke_url", p.RevokeURL)
	add("introspect_url", p.IntrospectURL)
	add("par_url", p.PARURL)
	if p.Login != nil {
		add("login.url", p.Login.URL)
	}
	if p.Refresh != nil {
		add("refresh.url", p.Refresh.URL)
	}
	return keys
}

// ClearWarning is the warning for endpoints, named by keys, that are plain
// http to a host that is not loopback; "" when there are none.
func ClearWarning(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	verb := "is"
	if len(keys) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s %s plain http to a host that is not loopback: the client secret, password and tokens sent there cross the network unencrypted, readable and changeable on the way (use https)", strings.Join(keys, ", "), verb)
}
