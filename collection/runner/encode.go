package runner

import (
	"strings"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// encodeTarget percent-encodes what a URL written in a .http file may
// hold but a request line may not: spaces (`$filter=Name eq 'Ann'`),
// characters outside ASCII and the few ASCII ones RFC 3986 leaves out
// ("<>\^`{|}). Both tools encode them so before sending; a % already
// there is left alone, as they leave it, so `%20` is sent as written.
// The scheme and host are not touched: only what follows the host.
func encodeTarget(target string) string {
	from := 0
	if exchange.HasScheme(target) {
		from = strings.Index(target, "://") + 3
		if j := strings.IndexAny(target[from:], "/?#"); j >= 0 {
			from += j
		} else {
			return target
		}
	}
	return target[:from] + percentEncode(target[from:])
}

// percentEncode writes every byte of s that a URL does not carry as it is
// (plainURLByte) as %XX; a % already there stays.
func percentEncode(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !plainURLByte(r) }) < 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainURLByte(rune(c)) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// SchemelessHost is the host a URL names without a scheme
// ("localhost:3000/items", "127.0.0.1:1378/api"): JetBrains would send it
// over http and VS Code over https, and keyhole would take it for a path
// under a provider's base_url. Only a host with a port, or localhost, is
// told from a path; "" when the target is none of those.
func SchemelessHost(target string) string {
	if strings.HasPrefix(target, "/") || exchange.HasScheme(target) {
		return ""
	}
	host := target
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	name, port, ok := strings.Cut(host, ":")
	if strings.EqualFold(host, "localhost") || ok && name != "" && port != "" && strings.Trim(port, "0123456789") == "" {
		return host
	}
	return ""
}

// encodedForms are the values in vals that percentEncode changes, as it
// writes them: the forms in which a secret leaves in a URL or a form.
func encodedForms(vals []secret.String) []secret.String {
	var out []secret.String
	for _, v := range vals {
		if e := percentEncode(v.Reveal()); e != v.Reveal() {
			out = append(out, secret.New(e))
		}
	}
	return out
}

// plainURLByte: a character a URL carries as it is.
func plainURLByte(c rune) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune("\"<>\\^`{|}", c)
}

// formBody joins the lines of an application/x-www-form-urlencoded body
// as VS Code documents: a line starting with & continues the line before
// it (`name=foo` then `&password=bar` is one form), and so does a line
// after one ending in & (a newline inside a form is never a field's). An
// &-line's indentation is not part of the form. What a form may not hold
// as it is (`scope=openid profile`) is percent-encoded, as VS Code sends
// it; a %XX already written stays.
func formBody(body string) string {
	lines := strings.Split(body, "\n")
	var b strings.Builder
	joined := false // the line before ended in &
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		amp := strings.HasPrefix(t, "&")
		if amp || joined {
			l = strings.TrimRight(t, " \t")
		} else if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		joined = strings.HasSuffix(strings.TrimRight(l, " \t"), "&")
	}
	return percentEncode(b.String())
}
