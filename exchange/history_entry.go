package exchange

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// HistoryBodyCap is the most of each body a history entry keeps: enough to
// recognise an exchange, small enough that 500 of them stay cheap to load.
const HistoryBodyCap = 64 << 10

// HistoryEntry is one exchange as history keeps it: every secret masked.
type HistoryEntry struct {
	Time     time.Time `json:"time"`
	Provider string    `json:"provider"`
	Method   string    `json:"method"`
	// URL is the final URL, the token and credential parameters masked.
	URL           string      `json:"url"`
	RequestHeader http.Header `json:"request_headers,omitempty"`
	RequestBody   string      `json:"request_body,omitempty"`
	// Status is 0 when no response came (Error says why).
	Status         int         `json:"status,omitempty"`
	StatusText     string      `json:"status_text,omitempty"`
	ResponseHeader http.Header `json:"response_headers,omitempty"`
	ResponseBody   string      `json:"response_body,omitempty"`
	// Duration is Response.Duration; Timing its phases.
	Duration time.Duration `json:"duration_ns,omitempty"`
	Timing   *Timing       `json:"timing,omitempty"`
	// Size is the number of response body bytes received.
	Size  int64  `json:"size,omitempty"`
	Error string `json:"error,omitempty"`
	// Notes are the exchange's notes and what history left out.
	Notes []string `json:"notes,omitempty"`
}

// NewHistoryEntry records ex, sent for provider, with its secrets masked:
// the token wherever it appears (plain, URL-escaped, base64, JSON-escaped);
// Authorization, Cookie, Set-Cookie and every other credential header;
// credential query and form parameters and JSON fields (client_secret,
// access_token, password, ...), and the values they carried wherever they
// appear again (a server echoing the request, a token response); a URL
// password; and whatever redact (Session.Redact) knows — in the URL, the
// headers, both bodies, the error and the notes. Bodies are kept up to
// HistoryBodyCap, with a note. Time is when the request went out (on
// Options.Now), else now.
func NewHistoryEntry(provider string, ex *Exchange, redact func(string) string) HistoryEntry {
	e := HistoryEntry{Provider: provider}
	if ex == nil {
		return e
	}
	red := historyRedactor(ex)
	clean := func(s string) string {
		s = red.Redact(s)
		if redact != nil {
			s = redact(s)
		}
		return s
	}
	s := ex.Sent
	e.Method = s.Method
	if s.URL != nil {
		e.URL = clean(s.DisplayURL(false))
	}
	e.RequestHeader = historyHeader(s.Header, func(name, v string) string {
		if strings.EqualFold(name, "Cookie") {
			return maskCookies(v, false)
		}
		return clean(s.headerValue(name, v, false))
	})
	var notes []string
	if len(s.Body) > 0 {
		var note string
		e.RequestBody, note = historyBody("request", s.Body, clean)
		notes = historyNote(notes, note)
	}
	if r := ex.Response; r != nil {
		e.Time = r.Timing.Start
		e.Status, e.StatusText = r.Status, r.StatusText
		e.ResponseHeader = historyHeader(r.Header, func(name, v string) string {
			switch {
			case strings.EqualFold(name, "Set-Cookie"):
				return maskCookies(v, true)
			case secret.SensitiveHeader(name):
				return maskCredential(v)
			}
			return clean(v)
		})
		var note string
		e.ResponseBody, note = historyBody("response", r.Body, clean)
		notes = historyNote(notes, note)
		if r.Truncated {
			notes = append(notes, "the response body was cut at max_body")
		}
		e.Duration, e.Size = r.Duration, r.Size
		t := r.Timing
		e.Timing = &t
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if ex.Err != nil {
		e.Error = clean(ex.Err.Error())
	}
	for _, n := range ex.Notes {
		e.Notes = append(e.Notes, clean(n))
	}
	e.Notes = append(e.Notes, notes...)
	return e
}

func historyNote(notes []string, n string) []string {
	if n == "" {
		return notes
	}
	return append(notes, n)
}

// ScreenRedactor masks what the screen shows of ex — its response body
// and headers — with the rule history uses: every secret the exchange
// carried (historyRedactor) and what known knows (Session.Redactor: the
// configured secrets and the token in hand).
func ScreenRedactor(ex *Exchange, known *secret.Redactor) *secret.Redactor {
	return historyRedactor(ex).Merge(known)
}

// historyRedactor knows every secret the exchange carried, so that it can
// mask them where they turn up again: in an echoed request, a token
// response, an error message.
func historyRedactor(ex *Exchange) *secret.Redactor {
	var red secret.Redactor
	add := func(vs ...string) {
		for _, v := range vs {
			red.Add(secret.New(v))
			// A JSON body echoed inside another JSON string escapes the
			// secret twice; the Redactor knows the once-escaped form.
			if b, err := json.Marshal(v); err == nil && string(b[1:len(b)-1]) != v {
				red.Add(secret.New(string(b[1 : len(b)-1])))
			}
		}
	}
	s := ex.Sent
	red.Add(s.Token)
	if ex.Token != nil {
		red.Add(ex.Token.Access, ex.Token.Refresh)
	}
	for name, vs := range s.Header {
		if secret.SensitiveHeader(name) || strings.EqualFold(name, s.Injection.Header) {
			for _, v := range vs {
				add(credentialParts(v)...)
			}
		}
	}
	if s.URL != nil {
		if pw, ok := s.URL.User.Password(); ok {
			add(pw)
			// Go's client sends URL userinfo as a Basic header.
			red.AddBasic(secret.New(s.URL.User.Username()), secret.New(pw))
		}
		add(sensitiveParams(s.URL.RawQuery, s.Injection.Query)...)
	}
	add(sensitiveParams(string(s.Body), "")...)
	add(sensitiveJSON(s.Body)...)
	if r := ex.Response; r != nil {
		for _, v := range r.Header.Values("Set-Cookie") {
			pair, _, _ := strings.Cut(v, ";")
			_, value, _ := strings.Cut(pair, "=")
			add(strings.TrimSpace(value))
		}
		for name, vs := range r.Header {
			if secret.SensitiveHeader(name) && !strings.EqualFold(name, "Set-Cookie") {
				for _, v := range vs {
					add(credentialParts(v)...)
				}
			}
		}
		add(sensitiveJSON(r.Body)...)
	}
	return &red
}

// credentialParts are the secret pieces of a credential header's value:
// the whole, what follows the scheme, a Basic pair decoded and its
// password, and each cookie's value.
func credentialParts(v string) []string {
	out := []string{v}
	if scheme, rest, ok := strings.Cut(v, " "); ok && isScheme(scheme) {
		rest = strings.TrimSpace(rest)
		out = append(out, rest)
		if strings.EqualFold(scheme, "Basic") {
			if raw, err := base64.StdEncoding.DecodeString(rest); err == nil {
				_, pw, _ := strings.Cut(string(raw), ":")
				out = append(out, string(raw), pw)
			}
		}
	}
	for _, pair := range strings.Split(v, ";") {
		if _, value, ok := strings.Cut(pair, "="); ok {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// sensitiveParams returns the values of credential parameters (and of
// the token's parameter, extra) in a query or form body, raw and decoded.
func sensitiveParams(q, extra string) []string {
	var out []string
	for _, part := range strings.Split(q, "&") {
		name, hasValue := queryParamName(part)
		if !hasValue || !(secret.SensitiveParam(name) || (extra != "" && name == extra)) {
			continue
		}
		_, raw, _ := strings.Cut(part, "=")
		out = append(out, raw)
		if v, err := url.QueryUnescape(raw); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// sensitiveJSON returns the string values of credential fields anywhere
// in a JSON body ({"client_secret": "..."}, a token response).
func sensitiveJSON(body []byte) []string {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || len(t) > 4<<20 || (t[0] != '{' && t[0] != '[') {
		return nil
	}
	var v any
	if json.Unmarshal(t, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (secret.SensitiveParam(k) || secret.SensitiveHeader(k)) {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// maskCookies keeps cookie names and masks their values: "sid=••••".
// For Set-Cookie only the first pair is the cookie; the attributes after
// it (Path, HttpOnly) stay readable.
func maskCookies(v string, set bool) string {
	pairs := strings.Split(v, ";")
	for i, pair := range pairs {
		if set && i > 0 {
			break
		}
		if name, _, ok := strings.Cut(pair, "="); ok {
			pairs[i] = name + "=" + secret.Mask
		} else if strings.TrimSpace(pair) != "" {
			pairs[i] = secret.Mask
		}
	}
	return strings.Join(pairs, ";")
}

// historyHeader copies h with each value passed through mask.
func historyHeader(h http.Header, mask func(name, v string) string) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for name, vs := range h {
		for _, v := range vs {
			out[name] = append(out[name], mask(name, v))
		}
	}
	return out
}

// historyBody returns up to HistoryBodyCap of a body, redacted, and a note
// when it kept less than all of it. Redaction runs on a window a little
// wider than the cap, whose tail is then dropped: a secret cut in two by
// the window's edge would escape the redactor, and the tail is where such
// a half would stand.
func historyBody(which string, b []byte, clean func(string) string) (string, string) {
	const margin = 16 << 10
	if len(b) == 0 {
		return "", ""
	}
	whole := len(b) <= HistoryBodyCap+margin
	window := b
	if !whole {
		window = b[:HistoryBodyCap+margin]
	}
	text := document.TrimPartialRune(window)
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		return "", "the " + which + " body (" + document.HumanSize(int64(len(b))) + ", binary) is not kept in history"
	}
	s := clean(string(text))
	if whole && len(s) <= HistoryBodyCap {
		return s, ""
	}
	if !whole {
		s = s[:max(0, len(s)-margin)]
	}
	if len(s) > HistoryBodyCap {
		s = s[:HistoryBodyCap]
	}
	s = string(document.TrimPartialRune([]byte(s)))
	return s, "history keeps the first " + document.HumanSize(int64(len(s))) + " of the " + which + " body (" + document.HumanSize(int64(len(b))) + ")"
}
