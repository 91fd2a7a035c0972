package exchange

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Where a request goes: a path joined to the provider's base_url, or a full
// URL; and back, a full URL as a path under base_url.

// ResolveURL joins target to base: a full URL stands as it is; a path is
// appended to base's path (so /Owners under https://h/api/v1 is
// https://h/api/v1/Owners, not https://h/Owners as RFC 3986 would have it).
func ResolveURL(base, target string) (*url.URL, error) {
	target = strings.TrimSpace(target)
	if HasScheme(target) {
		u, err := url.Parse(target)
		if err != nil {
			// url.Parse's error quotes the whole URL, query and all, and
			// RedactURL cannot mask what does not parse: keep only the
			// cause, and mask sensitive parameters in the text shown.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			var red secret.Redactor
			shown, why := red.Redact(target), red.Redact(err.Error())
			if masked, ok := maskUserinfo(shown); ok {
				// A password holding a '/' ends the host early, and Go's
				// error quotes a piece of it as the port: only the
				// URL, masked, says where the trouble is.
				shown, why = masked, unquoted(why)
			}
			return nil, fmt.Errorf("URL %q: %s", shown, why)
		}
		return u, nil
	}
	// Paths go into errors redacted: their query may carry a credential.
	var red secret.Redactor
	if base == "" {
		return nil, fmt.Errorf("path %q needs the provider's base_url, which is not set", red.Redact(target))
	}
	if strings.HasPrefix(target, "//") {
		// A URL parser reads //host/x as a host and a path: joined, the
		// host would be dropped without a word, and /x sent where
		// //host/x was shown.
		return nil, fmt.Errorf("path %q starts with //, which names a host: write the full URL (https://…), or one / for a path under the provider's base_url", red.Redact(target))
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base_url: %w", err)
	}
	ref, err := url.Parse("/" + strings.TrimPrefix(target, "/"))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("path %q: %s", red.Redact(target), red.Redact(err.Error()))
	}
	u := *b
	// Join the escaped forms: joining Path alone would turn an escaped
	// slash (/files/a%2Fb) into a separator (/files/a/b).
	raw := strings.TrimSuffix(b.EscapedPath(), "/") + ref.EscapedPath()
	if u.Path, err = url.PathUnescape(raw); err != nil {
		return nil, fmt.Errorf("path %q: %s", red.Redact(target), red.Redact(err.Error()))
	}
	u.RawPath = raw
	u.RawQuery = ref.RawQuery
	if b.RawQuery != "" && ref.RawQuery != "" {
		u.RawQuery = b.RawQuery + "&" + ref.RawQuery
	} else if ref.RawQuery == "" {
		u.RawQuery = b.RawQuery
	}
	u.Fragment = ""
	return &u, nil
}

// maskUserinfo masks what may be a password in a URL that did not parse,
// so that url.URL cannot find it: after the first ':' between "://" and
// the last '@'. It reports whether there was one.
func maskUserinfo(target string) (string, bool) {
	start := strings.Index(target, "://")
	at := strings.LastIndex(target, "@")
	if start < 0 || at < start {
		return target, false
	}
	colon := strings.Index(target[start+3:at], ":")
	if colon < 0 {
		return target, false
	}
	colon += start + 3
	return target[:colon+1] + secret.Mask + target[at:], true
}

// unquoted is a url.Parse error without the pieces of the URL it quotes
// ("invalid port \":x\" after host" becomes "invalid port after host").
func unquoted(msg string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, `"`)
		if i < 0 {
			break
		}
		j := strings.Index(msg[i+1:], `"`)
		if j < 0 {
			break
		}
		b.WriteString(strings.TrimRight(msg[:i], " "))
		msg = msg[i+1+j+1:]
	}
	b.WriteString(msg)
	return b.String()
}

// HasScheme reports whether target starts with "scheme://", the mark of a
// full URL. Looking for "://" anywhere would take a path whose query holds
// a URL (/redirect?to=https://x) for a full URL.
func HasScheme(target string) bool {
	i := strings.Index(target, "://")
	if i <= 0 {
		return false
	}
	for j, c := range target[:i] {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// RelativeTarget returns fullURL as a path under baseURL when it lies
// there — same origin, its path inside base_url's path, base_url's query
// (if any) at the start of its query — so the composer shows /items?page=2
// rather than the whole URL. It returns fullURL unchanged otherwise, and
// whenever the path would not resolve back (ResolveURL) to the same URL:
// with userinfo, for one, or exactly base_url itself without a slash.
func RelativeTarget(baseURL, fullURL string) string {
	base, err := url.Parse(baseURL)
	if err != nil || base.Scheme == "" || baseURL == "" {
		return fullURL
	}
	u, err := url.Parse(fullURL)
	if err != nil || u.User != nil || u.Scheme == "" || !providers.SameOrigin(base, u) {
		return fullURL
	}
	prefix := strings.TrimSuffix(base.EscapedPath(), "/")
	rest, ok := strings.CutPrefix(u.EscapedPath(), prefix)
	if !ok || !strings.HasPrefix(rest, "/") {
		return fullURL
	}
	query := u.RawQuery
	if base.RawQuery != "" {
		switch {
		case query == base.RawQuery:
			query = ""
		case strings.HasPrefix(query, base.RawQuery+"&"):
			query = strings.TrimPrefix(query, base.RawQuery+"&")
		default:
			return fullURL
		}
	}
	target := rest
	if query != "" {
		target += "?" + query
	}
	// The proof: the path must come back to the same request.
	back, err := ResolveURL(baseURL, target)
	if err != nil || back.EscapedPath() != u.EscapedPath() || back.RawQuery != u.RawQuery {
		return fullURL
	}
	return target
}
