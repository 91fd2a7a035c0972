package providers

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrForeignOrigin is returned when a request goes to another origin than
// the provider's base_url: its token is not sent there unless forced.
var ErrForeignOrigin = errors.New("request goes to another origin than the provider's base_url: the token is not sent")

// Injection describes how a token rides on a request, for display.
type Injection struct {
	// Header is the header name, "" when the token goes in the query.
	Header string
	// Prefix is what stands before the token in the header ("Bearer ").
	Prefix string
	// Query is the query parameter name, "" when the token goes in a header.
	Query string
}

// Injection returns where this provider puts its token: the inject table,
// else a header "Authorization" with a prefix taken from token_type.
func (p *Provider) Injection(tokenType string) Injection {
	in := Injection{Header: "Authorization"}
	if p.Inject != nil {
		if p.Inject.Query != "" {
			return Injection{Query: p.Inject.Query}
		}
		if p.Inject.Header != "" {
			in.Header = p.Inject.Header
		}
		if p.Inject.Prefix != nil {
			in.Prefix = *p.Inject.Prefix
			return in
		}
	}
	in.Prefix = schemePrefix(tokenType)
	return in
}

// schemePrefix maps token_type onto the Authorization scheme: "bearer" is
// written "Bearer " (RFC 6750), any other type as sent, none as Bearer.
func schemePrefix(tokenType string) string {
	switch t := strings.TrimSpace(tokenType); {
	case t == "" || strings.EqualFold(t, "bearer"):
		return "Bearer "
	default:
		return t + " "
	}
}

// SameOrigin reports whether u has the scheme, host and port of base.
func SameOrigin(base, u *url.URL) bool {
	return strings.EqualFold(base.Scheme, u.Scheme) && strings.EqualFold(hostPort(base), hostPort(u))
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

// Apply puts tok on req where the provider wants it. A request to another
// origin than base_url gets ErrForeignOrigin unless force is set.
func (p *Provider) Apply(req *http.Request, tok *Token, force bool) (Injection, error) {
	if tok == nil || tok.Access.IsZero() {
		return Injection{}, errors.New("no token to send")
	}
	if !force {
		// Without a base_url no origin is the provider's: the token goes
		// nowhere unless forced.
		base, err := url.Parse(p.BaseURL)
		if err != nil || p.BaseURL == "" || !SameOrigin(base, req.URL) {
			return Injection{}, ErrForeignOrigin
		}
	}
	in := p.Injection(tok.Type)
	if in.Query != "" {
		req.URL.RawQuery = setQueryParam(req.URL.RawQuery, in.Query, tok.Access.Reveal())
		return in, nil
	}
	// A token that already carries its scheme (one vendor issues
	// "Bearer eyJ...") must not become "Bearer Bearer eyJ...".
	if strings.HasPrefix(strings.ToLower(tok.Access.Reveal()), strings.ToLower(in.Prefix)) {
		in.Prefix = ""
	}
	req.Header.Set(in.Header, in.Prefix+tok.Access.Reveal())
	return in, nil
}

// setQueryParam sets name=value in a raw query, leaving every other
// parameter exactly as written. Going through url.Values would re-sort and
// re-encode the user's query, and silently drop any pair that holds a ';'
// (url.ParseQuery refuses those).
func setQueryParam(rawQuery, name, value string) string {
	var keep []string
	if rawQuery != "" {
		for _, part := range strings.Split(rawQuery, "&") {
			k, _, _ := strings.Cut(part, "=")
			if uk, err := url.QueryUnescape(k); err == nil && uk == name {
				continue
			}
			keep = append(keep, part)
		}
	}
	return strings.Join(append(keep, url.QueryEscape(name)+"="+url.QueryEscape(value)), "&")
}
