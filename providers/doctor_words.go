package providers

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// docTOMLString writes s as a TOML basic string, so a fix can be pasted into
// the config as it stands.
func docTOMLString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// docTOMLArray writes a TOML array of strings; an empty one shows a
// placeholder to fill in rather than a bare [].
func docTOMLArray(ss []string) string {
	if len(ss) == 0 {
		return `["…"]`
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = docTOMLString(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// docInjectLine writes an injection as the config's inject table.
func docInjectLine(in Injection) string {
	if in.Query != "" {
		return fmt.Sprintf("`inject = { query = %s }`", docTOMLString(in.Query))
	}
	return fmt.Sprintf("`inject = { header = %s, prefix = %s }`", docTOMLString(docOr(in.Header, "Authorization")), docTOMLString(in.Prefix))
}

// docMask shows a credential as its scheme (or whatever text stands before
// it) followed by the mask.
func docMask(prefix string) string {
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

// docDur writes a duration to the second ("3m12s"), in days and hours past
// two days.
func docDur(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd%dh", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	}
	return d.String()
}

// docSchemeWord reports whether s can be an auth-scheme: one token.
func docSchemeWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !wwwTchar(s[i]) {
			return false
		}
	}
	return true
}

// docSchemeName writes a token type as the scheme RFC 6750 spells: any case
// of "bearer" is "Bearer"; others stand as sent.
func docSchemeName(t string) string {
	t = strings.TrimSpace(t)
	if strings.EqualFold(t, "bearer") {
		return "Bearer"
	}
	return t
}

// docIgnorableScope reports whether servers commonly grant a scope without
// listing it in the answer: OIDC's own scopes and Azure's "<resource>/.default",
// which the token response replaces with the permissions it stands for.
func docIgnorableScope(s string) bool {
	switch s {
	case "openid", "offline_access", "profile", "email", "address", "phone":
		return true
	}
	return strings.HasSuffix(s, ".default")
}

func docHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// docMinus is a without the members of b, in a's order.
func docMinus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !docHas(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// docUnion is a followed by the members of b it lacks.
func docUnion(a, b []string) []string {
	out := append([]string(nil), a...)
	return append(out, docMinus(b, a)...)
}

func docMentionsAny(text string, subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// docMentionsWord reports whether word stands in text with no letter,
// digit or underscore on either side, so "aud" does not match "audit".
func docMentionsWord(text, word string) bool { return docWordIndex(text, word) >= 0 }

// docWordIndex is where word first stands alone in text, or -1.
func docWordIndex(text, word string) int {
	if word == "" {
		return -1
	}
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return -1
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !docWordByte(text[start-1])) && (end == len(text) || !docWordByte(text[end])) {
			return start
		}
		i = start + 1
	}
	return -1
}

func docWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// docAudHas reports whether aud holds want, ignoring a trailing slash
// and the case of a URL's scheme and host.
func docAudHas(aud []string, want string) bool {
	for _, a := range aud {
		if strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(want, "/")) {
			return true
		}
	}
	return false
}

// docURLLike reports whether every aud value is an absolute URL.
func docURLLike(aud []string) bool {
	for _, a := range aud {
		if !strings.Contains(a, "://") {
			return false
		}
	}
	return len(aud) > 0
}

// docAudSharesHost reports whether some aud URL names the host of api.
func docAudSharesHost(aud []string, api string) bool {
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

// docQuoteList quotes each value, sanitised: aud values come from the token.
func docQuoteList(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%q", docSanitize(s))
	}
	return strings.Join(parts, ", ")
}

// docScopeText lists scopes for a sentence, saying when they are only the
// ones asked for.
func docScopeText(have []string, fromServer bool) string {
	s := "none"
	if len(have) > 0 {
		s = strings.Join(have, " ")
	}
	if !fromServer {
		s += ", assumed from the request: the server did not list them"
	}
	return s
}

func docOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
