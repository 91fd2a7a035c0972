package doctor

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// tomlArray writes a TOML array of strings; an empty one shows a
// placeholder to fill in rather than a bare [].
func tomlArray(ss []string) string {
	if len(ss) == 0 {
		return `["…"]`
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = tomltext.Quote(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// injectLine writes an injection as the config's inject table.
func injectLine(in providers.Injection) string {
	if in.Query != "" {
		return fmt.Sprintf("`inject = { query = %s }`", tomltext.Quote(in.Query))
	}
	return fmt.Sprintf("`inject = { header = %s, prefix = %s }`", tomltext.Quote(cmp.Or(in.Header, "Authorization")), tomltext.Quote(in.Prefix))
}

// mask shows a credential as its scheme (or whatever text stands before
// it) followed by the mask.
func mask(prefix string) string {
	if prefix = strings.TrimSpace(prefix); prefix == "" {
		return secret.Mask
	}
	return prefix + " " + secret.Mask
}

// clock shows t on keyhole's clock: the time of day, with the date when
// it is not today.
func (d *doctor) clock(t time.Time) string {
	t = t.In(d.now.Location())
	if y, m, day := t.Date(); y != d.now.Year() || m != d.now.Month() || day != d.now.Day() {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("15:04:05")
}

// ignorableScope reports whether servers commonly grant a scope without
// listing it in the answer: OIDC's own scopes and Azure's "<resource>/.default",
// which the token response replaces with the permissions it stands for.
func ignorableScope(s string) bool {
	switch s {
	case "openid", "offline_access", "profile", "email", "address", "phone":
		return true
	}
	return strings.HasSuffix(s, ".default")
}

// minus is a without the members of b, in a's order.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// union is a followed by the members of b it lacks.
func union(a, b []string) []string {
	out := append([]string(nil), a...)
	return append(out, minus(b, a)...)
}

func mentionsAny(text string, subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// mentionsWord reports whether word stands in text with no letter,
// digit or underscore on either side, so "aud" does not match "audit".
func mentionsWord(text, word string) bool { return wordIndex(text, word) >= 0 }

// wordIndex is where word first stands alone in text, or -1.
func wordIndex(text, word string) int {
	if word == "" {
		return -1
	}
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return -1
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !wordByte(text[start-1])) && (end == len(text) || !wordByte(text[end])) {
			return start
		}
		i = start + 1
	}
	return -1
}

func wordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// audHas reports whether aud holds want, ignoring a trailing slash
// and the case of a URL's scheme and host.
func audHas(aud []string, want string) bool {
	for _, a := range aud {
		if strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(want, "/")) {
			return true
		}
	}
	return false
}

// urlLike reports whether every aud value is an absolute URL.
func urlLike(aud []string) bool {
	for _, a := range aud {
		if !strings.Contains(a, "://") {
			return false
		}
	}
	return len(aud) > 0
}

// audSharesHost reports whether some aud URL names the host of api.
func audSharesHost(aud []string, api string) bool {
	au, err := url.Parse(api)
	if err != nil {
		return false
	}
	for _, a := range aud {
		if u, err := url.Parse(a); err == nil && strings.EqualFold(u.Hostname(), au.Hostname()) {
			return true
		}
	}
	return false
}

// quoteList quotes each value, sanitised: aud values come from the token.
func quoteList(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%q", sanitize(s))
	}
	return strings.Join(parts, ", ")
}

// scopeText lists scopes for a sentence, saying when they are only the
// ones asked for.
func scopeText(have []string, fromServer bool) string {
	s := "none"
	if len(have) > 0 {
		s = strings.Join(have, " ")
	}
	if !fromServer {
		s += ", assumed from the request: the server did not list them"
	}
	return s
}
