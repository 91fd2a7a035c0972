package doctor

import (
	"net/http"
	"sort"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/httptoken"
)

// Challenge is one authentication challenge from a WWW-Authenticate header
// (RFC 9110 §11.6.1): a scheme followed either by a token68 or by
// auth-params. Servers may send several challenges in one header line.
type Challenge struct {
	// Scheme is the auth-scheme as the server wrote it ("Bearer", "basic").
	// Schemes are case-insensitive: compare with Is.
	Scheme string
	// Params holds the auth-params with their names lower-cased (names are
	// case-insensitive) and quoted values unescaped; nil when there are
	// none. A name the server repeated keeps its first value.
	Params map[string]string
	// Token68 is the challenge's token68 form ("Negotiate YIIG..."); a
	// challenge has either a Token68 or Params, never both.
	Token68 string
}

// Is reports whether the challenge's scheme is scheme, ignoring case.
func (c Challenge) Is(scheme string) bool { return strings.EqualFold(c.Scheme, scheme) }

// Param returns the auth-param name (any case), or "".
func (c Challenge) Param(name string) string { return c.Params[strings.ToLower(name)] }

// Realm returns the realm auth-param.
func (c Challenge) Realm() string { return c.Param("realm") }

// ErrorCode returns a Bearer challenge's error (RFC 6750 §3.1:
// invalid_request, invalid_token, insufficient_scope), or "". It is not
// named Error so that a Challenge is never mistaken for an error value.
func (c Challenge) ErrorCode() string { return c.Param("error") }

// ErrorDescription returns a Bearer challenge's error_description, or "".
func (c Challenge) ErrorDescription() string { return c.Param("error_description") }

// Scopes returns a Bearer challenge's scope auth-param split on spaces
// (RFC 6750 §3: the scopes the resource needs), or nil.
func (c Challenge) Scopes() []string { return strings.Fields(c.Param("scope")) }

// String writes the challenge back in canonical form: the scheme, then
// the token68 or the params sorted by name with every value quoted.
// Parsing the result gives the same Challenge back.
func (c Challenge) String() string {
	var b strings.Builder
	b.WriteString(c.Scheme)
	if c.Token68 != "" {
		b.WriteString(" ")
		b.WriteString(c.Token68)
		return b.String()
	}
	names := make([]string, 0, len(c.Params))
	for name := range c.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(name)
		b.WriteString("=")
		b.WriteString(quoteString(c.Params[name]))
	}
	return b.String()
}

// FormatWWWAuthenticate joins challenges into one header value, each in
// the canonical form Challenge.String writes.
func FormatWWWAuthenticate(challenges []Challenge) string {
	parts := make([]string, len(challenges))
	for i, c := range challenges {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

// Challenges parses every WWW-Authenticate line of a response header, in
// order. A nil header gives nil.
func Challenges(h http.Header) []Challenge {
	var out []Challenge
	for _, v := range h.Values("WWW-Authenticate") {
		out = append(out, ParseWWWAuthenticate(v)...)
	}
	return out
}

// ParseWWWAuthenticate reads the challenges in one WWW-Authenticate value:
//
//	Bearer realm="api", error="invalid_token", Basic realm="y"
//
// The grammar is ambiguous at each comma (another auth-param of this
// challenge, or the next challenge?); a name followed by "=" is a param,
// anything else starts a new challenge, as RFC 9110 intends. The header
// comes from a server we do not control, so the parser never fails: junk
// is skipped a byte or a quoted string at a time, which also guarantees
// that every turn of the loop moves forward, so it always ends.
func ParseWWWAuthenticate(header string) []Challenge {
	p := &parser{s: header}
	var out []Challenge
	cur := -1 // index in out of the challenge params attach to; -1 none
	for {
		p.skip(func(c byte) bool { return isOWS(c) || c == ',' })
		if p.done() {
			return out
		}
		name := p.token()
		if name == "" {
			p.skipJunk()
			continue
		}
		afterName := p.i
		p.skip(isOWS)
		if p.peek() == '=' {
			p.i++
			value := p.value()
			// A param with no challenge before it, or after a token68
			// (which ends its challenge), belongs to nothing: drop it.
			if cur >= 0 {
				c := &out[cur]
				key := strings.ToLower(name)
				if _, dup := c.Params[key]; !dup {
					if c.Params == nil {
						c.Params = map[string]string{}
					}
					c.Params[key] = value
				}
			}
			continue
		}
		p.i = afterName
		out = append(out, Challenge{Scheme: name})
		cur = len(out) - 1
		if !isOWS(p.peek()) {
			continue
		}
		p.skip(isOWS)
		if t68, ok := p.token68(); ok {
			out[cur].Token68 = t68
			cur = -1
		}
	}
}

// parser walks a header value; i only ever grows.
type parser struct {
	s string
	i int
}

func (p *parser) done() bool { return p.i >= len(p.s) }

// peek returns the current byte, or 0 at the end.
func (p *parser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}

func (p *parser) skip(match func(byte) bool) {
	for !p.done() && match(p.s[p.i]) {
		p.i++
	}
}

// token reads a run of tchars (RFC 9110 §5.6.2), possibly empty.
func (p *parser) token() string {
	start := p.i
	p.skip(httptoken.Char)
	return p.s[start:p.i]
}

// token68 reads a token68 if one stands here and is all the challenge
// holds (it must be followed by a comma or the end); otherwise it leaves
// the position alone and reports false. "realm=x" is not one: the "="
// padding would have to end the value.
func (p *parser) token68() (string, bool) {
	j := p.i
	for j < len(p.s) && isToken68(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	k := j
	for k < len(p.s) && isOWS(p.s[k]) {
		k++
	}
	if k < len(p.s) && p.s[k] != ',' {
		return "", false
	}
	t := p.s[p.i:j]
	p.i = k
	return t, true
}

// value reads an auth-param value after "=": optional whitespace, then a
// quoted-string or a token (possibly empty).
func (p *parser) value() string {
	p.skip(isOWS)
	if p.peek() == '"' {
		return p.quoted()
	}
	return p.token()
}

// quoted reads a quoted-string starting at its opening quote, undoing
// backslash escapes. An unterminated string runs to the end of the header.
func (p *parser) quoted() string {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			return b.String()
		case c == '\\' && !p.done():
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// skipJunk steps over one byte that cannot start a name, or over a whole
// quoted string so that a comma inside it is not taken for a separator.
func (p *parser) skipJunk() {
	if p.peek() == '"' {
		p.quoted()
		return
	}
	p.i++
}

// quoteString writes v as a quoted-string, escaping only what must be.
func quoteString(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// isToken68 reports whether c may appear in a token68 before its
// trailing "=" padding (RFC 9110 §11.2).
func isToken68(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
