package doctor

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
)

// authPrefix is what stands before the credential in the Authorization
// header: the text before the token when the header carries it, else
// everything before its last word.
func (d *doctor) authPrefix() string {
	if d.bare != "" {
		if i := strings.LastIndex(d.auth, d.bare); i >= 0 {
			return d.auth[:i]
		}
	}
	if i := strings.LastIndexAny(d.auth, " \t"); i >= 0 {
		return d.auth[:i]
	}
	return ""
}

// configProduced reports whether the Authorization header sent is the one
// the provider's inject table makes (as Apply would write it), rather
// than one written in the request by hand.
func (d *doctor) configProduced() bool {
	if d.tok == nil || d.want.Query != "" || !strings.EqualFold(d.want.Header, "Authorization") {
		return false
	}
	made := d.want.Prefix + d.plain
	if strings.HasPrefix(strings.ToLower(d.plain), strings.ToLower(d.want.Prefix)) {
		made = d.plain
	}
	return strings.EqualFold(strings.TrimSpace(made), d.auth)
}

// currentInject names the config's present way of sending the token.
func (d *doctor) currentInject() string {
	if d.p.Inject == nil {
		return fmt.Sprintf("the default (`Authorization: %s…`)", d.want.Prefix)
	}
	return injectLine(d.want)
}

// renewKey is how the person gets a new token in the TUI: r, or a when
// only a browser login can give one (DESIGN.md: r never opens a browser).
func (d *doctor) renewKey() string {
	if d.p.Interactive() && (d.tok == nil || d.tok.Refresh.IsZero()) {
		return "press a to log in again"
	}
	return "press r"
}

// bareChallenge returns a challenge without an error code: RFC 6750 §3.1
// has a server send one when the request carried no credentials it
// recognised.
func (d *doctor) bareChallenge() (Challenge, bool) {
	for _, c := range d.challenges {
		if c.ErrorCode() == "" && c.Token68 == "" {
			return c, true
		}
	}
	return Challenge{}, false
}

// serverWantsQuery returns the query parameter the server's answer says
// it reads the token from ("access_token URL query parameter is
// required"), or "". Only names that carry a token count, and only with
// "query" or "parameter" close by, so "invalid access_token" does not.
func (d *doctor) serverWantsQuery() string {
	text := strings.ToLower(d.serverMsg + " " + d.errCh.ErrorDescription())
	for _, name := range []string{"access_token", "auth_token", "api_key", "apikey"} {
		at := wordIndex(text, name)
		if at < 0 {
			continue
		}
		near := text[max(0, at-nearBytes):min(len(text), at+len(name)+nearBytes)]
		if mentionsAny(near, "query", "parameter", "?"+name+"=") || mentionsWord(near, "param") {
			return name
		}
	}
	return ""
}

// nearBytes is how close, in bytes, a word about the URL must stand to a
// parameter name for the server to mean that parameter.
const nearBytes = 40

// serverWantsHeader returns the scheme the server expects in an
// Authorization header and why it thinks so, or "" when it does not say.
func (d *doctor) serverWantsHeader() (string, string) {
	if c, ok := d.bareChallenge(); ok {
		return providers.Scheme(c.Scheme), fmt.Sprintf("its challenge `%s` carries no error, so it saw no credentials", d.quote(c.String()))
	}
	if strings.Contains(strings.ToLower(d.serverMsg), "authorization header") {
		return "Bearer", fmt.Sprintf("it answered %q", d.serverMsg)
	}
	return "", ""
}

// serverSaysAudience reports whether the server blames the audience.
func (d *doctor) serverSaysAudience() bool {
	text := strings.ToLower(d.errCh.ErrorDescription() + " " + d.serverMsg)
	return strings.Contains(text, "audience") || mentionsWord(text, "aud")
}

// checked lists, for the generic finding, what the doctor looked at and
// found in order.
func (d *doctor) checked() []string {
	var out []string
	switch {
	case d.where.header != "":
		out = append(out, fmt.Sprintf("the token went in `%s: %s`", d.where.header, mask(d.prefixOf(d.where.headerValue))))
	case d.where.query != "":
		out = append(out, fmt.Sprintf("the token went in ?%s=%s", d.where.query, mask("")))
	}
	switch {
	case d.tok == nil:
	case !d.tok.Expiry.IsZero():
		out = append(out, fmt.Sprintf("it is valid until %s (%s left)", d.clock(d.tok.Expiry), durfmt.Words(d.tok.Expiry.Sub(d.now))))
	default:
		out = append(out, "its expiry is unknown")
	}
	if !d.serverNow.IsZero() && !d.has(CodeClockSkew) {
		out = append(out, "the server's clock agrees with keyhole's")
	}
	if len(d.challenges) == 0 {
		out = append(out, "no WWW-Authenticate")
	} else {
		out = append(out, "WWW-Authenticate: "+d.quote(FormatWWWAuthenticate(d.challenges)))
	}
	if have, ok := d.grantedScopes(); ok {
		out = append(out, "scopes granted: "+scopeText(have, true))
	}
	if d.claims != nil && len(d.claims.Audience) > 0 {
		out = append(out, "aud "+quoteList(d.claims.Audience))
	}
	if d.serverMsg != "" {
		out = append(out, fmt.Sprintf("the server said %q", d.serverMsg))
	}
	return out
}

// prefixOf is the text of a header value before the token, for showing it
// masked.
func (d *doctor) prefixOf(v string) string {
	if d.bare != "" {
		if i := strings.LastIndex(v, d.bare); i >= 0 {
			return strings.TrimSpace(v[:i])
		}
	}
	if i := strings.LastIndexAny(v, " \t"); i >= 0 {
		return strings.TrimSpace(v[:i])
	}
	return ""
}

// serverMessage pulls the server's own explanation out of an error
// body: RFC 6749's error_description, or the message field vendors use
// (sys303's error_msg, maptable's message), else a short plain-text body.
// HTML pages and long bodies give "". The text is raw: callers quote it.
func serverMessage(body []byte) string {
	const maxJSON = 64 << 10
	trimmed := strings.TrimSpace(string(body[:min(len(body), maxJSON)]))
	if trimmed == "" {
		return ""
	}
	if strings.HasPrefix(trimmed, "{") {
		var obj map[string]any
		if json.Unmarshal([]byte(trimmed), &obj) != nil {
			return ""
		}
		msg := ""
		for _, key := range []string{"error_description", "error_msg", "message", "msg", "detail", "error"} {
			switch v := obj[key].(type) {
			case string:
				msg = v
			case map[string]any:
				msg, _ = v["message"].(string)
			}
			if msg != "" {
				break
			}
		}
		// sys303 puts the useful half in details: "Access token invalid"
		// says less than "goes in the access_token URL query parameter".
		if more, _ := obj["details"].(string); more != "" && more != msg {
			msg = strings.TrimPrefix(msg+": "+more, ": ")
		}
		return msg
	}
	if strings.HasPrefix(trimmed, "<") || len(trimmed) > quoteLen {
		return ""
	}
	return trimmed
}

// sanitize makes outside text safe to show in one line: whitespace
// collapsed, every other control character shown as a symbol by the
// sanitizer all of keyhole's output goes through (a server must not drive
// the terminal), and cut at a readable length.
func sanitize(s string) string {
	s = termtext.Line(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) > quoteLen {
		s = string([]rune(s)[:quoteLen]) + "…"
	}
	return s
}

// parseBase parses base_url, refusing one with no host.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base_url %q has no host", raw)
	}
	return u, nil
}

// origin is scheme://host[:port]: never the path or the query, which may
// hold a credential.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}
