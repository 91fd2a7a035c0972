package secret

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// sensitiveHeaders are request and response headers whose values are
// credentials whatever their content.
var sensitiveHeaders = map[string]bool{
	"authorization":       true,
	"proxy-authorization": true,
	"cookie":              true,
	"set-cookie":          true,
	"x-api-key":           true,
	"api-key":             true,
	"x-auth-token":        true,
	"x-access-token":      true,
}

// SensitiveHeader reports whether a header's value is a credential and must
// be masked on screen and redacted everywhere else.
func SensitiveHeader(name string) bool {
	return sensitiveHeaders[strings.ToLower(name)]
}

// sensitiveParams are query and form parameters that carry credentials.
var sensitiveParams = map[string]bool{
	"client_secret":    true,
	"access_token":     true,
	"refresh_token":    true,
	"id_token":         true,
	"password":         true,
	"code":             true,
	"code_verifier":    true,
	"token":            true,
	"api_key":          true,
	"apikey":           true,
	"client_assertion": true,
	"assertion":        true,
}

// SensitiveParam reports whether a query or form parameter carries a
// credential.
func SensitiveParam(name string) bool {
	return sensitiveParams[strings.ToLower(name)]
}

// RedactURL returns rawURL with the values of sensitive query parameters and
// any userinfo password replaced by the mask. Text that does not parse as a
// URL is returned unchanged: callers pass it through a Redactor as well.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	changed := false
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), Mask)
			changed = true
		}
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, part := range parts {
			name, _, hasValue := strings.Cut(part, "=")
			key, err := url.QueryUnescape(name)
			if err != nil {
				key = name
			}
			if hasValue && SensitiveParam(key) {
				parts[i] = name + "=" + Mask
				changed = true
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if !changed {
		return rawURL
	}
	return u.String()
}

// Redactor replaces known secret values, in every encoding they are likely
// to travel in, with the mask. The zero value redacts nothing and is ready
// to use. A Redactor is not safe for concurrent mutation; build it, then
// share it read-only.
type Redactor struct {
	needles []string // longest first, so a secret that contains another is replaced whole
}

// minSecretLen keeps very short values (an empty password, "x") from
// turning every occurrence of a common letter into a mask.
const minSecretLen = 4

// Add registers secrets to redact. Empty and very short values are ignored.
func (r *Redactor) Add(secrets ...String) {
	for _, s := range secrets {
		v := s.Reveal()
		if len(v) < minSecretLen {
			continue
		}
		r.needles = append(r.needles, forms(v)...)
	}
	sort.Slice(r.needles, func(i, j int) bool { return len(r.needles[i]) > len(r.needles[j]) })
	r.needles = dedupe(r.needles)
}

// AddBasic registers the Basic authentication value built from user and
// password, whose base64 form hides the password from a plain search.
func (r *Redactor) AddBasic(user, password String) {
	if password.IsZero() {
		return
	}
	raw := user.Reveal() + ":" + password.Reveal()
	esc := url.QueryEscape(user.Reveal()) + ":" + url.QueryEscape(password.Reveal())
	r.Add(New(base64.StdEncoding.EncodeToString([]byte(raw))), New(base64.StdEncoding.EncodeToString([]byte(esc))))
}

// Redact returns text with every registered secret, and the values of
// sensitive parameters in any URL-looking part, replaced by the mask.
func (r *Redactor) Redact(text string) string {
	if r != nil {
		for _, n := range r.needles {
			text = strings.ReplaceAll(text, n, Mask)
		}
	}
	return redactParams(text)
}

// forms lists the encodings a secret commonly appears in.
func forms(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v), base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v))}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	return out
}

func dedupe(s []string) []string {
	out := s[:0]
	seen := map[string]bool{}
	for _, v := range s {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}

// redactParams masks the values of sensitive name=value pairs wherever they
// stand in free text (URLs inside error messages, form bodies).
func redactParams(text string) string {
	if !strings.Contains(text, "=") {
		return text
	}
	var b strings.Builder
	i := 0
	for i < len(text) {
		eq := strings.IndexByte(text[i:], '=')
		if eq < 0 {
			b.WriteString(text[i:])
			break
		}
		eq += i
		// The parameter name runs back from '=' to the previous separator.
		start := eq
		for start > i && isNameByte(text[start-1]) {
			start--
		}
		b.WriteString(text[i : eq+1])
		i = eq + 1
		if !SensitiveParam(text[start:eq]) {
			continue
		}
		end := i
		for end < len(text) && !isValueEnd(text[end]) {
			end++
		}
		if end > i {
			b.WriteString(Mask)
		}
		i = end
	}
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isValueEnd(c byte) bool {
	switch c {
	case '&', ' ', '"', '\'', '\n', '\r', '\t', '#', ';', ',', '>', ')':
		return true
	}
	return false
}
