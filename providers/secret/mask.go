package secret

import (
	"net/url"
	"strings"
)

// The rules for masking a credential where it stands: a header's value, a
// cookie, a query or form, a URL. The Redactor finds secrets in free text;
// these mask the places whose name says they hold one.

// SplitScheme splits a credential such as "Bearer eyJ..." into its auth
// scheme and what follows; ok is false when the first word does not read
// as a scheme (Bearer, Basic, Token, access_token...) or nothing follows.
func SplitScheme(v string) (scheme, rest string, ok bool) {
	scheme, rest, ok = strings.Cut(v, " ")
	if !ok || rest == "" || !isScheme(scheme) {
		return "", v, false
	}
	return scheme, rest, true
}

// isScheme reports whether word looks like an HTTP auth scheme rather than
// part of a credential.
func isScheme[T string | []byte](word T) bool {
	if len(word) == 0 || len(word) > 20 {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// MaskCredential masks a credential's value, keeping its auth scheme
// readable ("Basic ••••"): a wrong scheme is what people come to see.
func MaskCredential(v string) string {
	if scheme, _, ok := SplitScheme(v); ok {
		return scheme + " " + Mask
	}
	return Mask
}

// MaskCookies keeps cookie names and masks their values: "sid=••••".
// For Set-Cookie (set) only the first pair is the cookie; the attributes
// after it (Path, HttpOnly) stay readable.
func MaskCookies(v string, set bool) string {
	pairs := strings.Split(v, ";")
	for i, pair := range pairs {
		if set && i > 0 {
			break
		}
		if name, _, ok := strings.Cut(pair, "="); ok {
			pairs[i] = name + "=" + Mask
		} else if strings.TrimSpace(pair) != "" {
			pairs[i] = Mask
		}
	}
	return strings.Join(pairs, ";")
}

// ParamName is the decoded name of one name=value pair of a query or form
// (a name that does not decode stays as written), and whether the pair has
// a value: how every rule here reads a parameter's name.
func ParamName(pair string) (string, bool) {
	raw, _, hasValue := strings.Cut(pair, "=")
	name, err := url.QueryUnescape(raw)
	if err != nil {
		name = raw
	}
	return name, hasValue
}

// MaskQuery masks, in place, the values of the credential parameters of a
// query or form body (SensitiveParam) and of param, the one a token rides
// in ("" for none). The other pairs keep the order and spelling they were
// written with: url.Values would sort them and drop any pair holding a ';'.
func MaskQuery(q, param string) (string, bool) {
	if q == "" {
		return q, false
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, part := range parts {
		if name, hasValue := ParamName(part); hasValue && (SensitiveParam(name) || param != "" && name == param) {
			raw, _, _ := strings.Cut(part, "=")
			parts[i] = raw + "=" + Mask
			changed = true
		}
	}
	if !changed {
		return q, false
	}
	return strings.Join(parts, "&"), true
}

// MaskURL writes u with a userinfo password and the values of credential
// query parameters (and of param, see MaskQuery) masked. The mask is
// written unescaped, so a screen shows ••••, not %E2%80%A2.
func MaskURL(u *url.URL, param string) string {
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			// The placeholder goes through String's escaping and is
			// swapped for the mask afterwards.
			c.User = url.UserPassword(c.User.Username(), "PASSWORD")
		}
	}
	c.RawQuery, _ = MaskQuery(c.RawQuery, param)
	return strings.Replace(c.String(), ":PASSWORD@", ":"+Mask+"@", 1)
}
