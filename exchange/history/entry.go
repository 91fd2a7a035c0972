package history

import (
	"bytes"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// BodyCap is the most of each body a history entry keeps: enough to
// recognise an exchange, small enough that 500 of them stay cheap to load.
const BodyCap = 64 << 10

// Entry is one exchange as history keeps it: every secret masked.
type Entry struct {
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
	Duration time.Duration    `json:"duration_ns,omitempty"`
	Timing   *exchange.Timing `json:"timing,omitempty"`
	// Size is the number of response body bytes received.
	Size  int64  `json:"size,omitempty"`
	Error string `json:"error,omitempty"`
	// Notes are the exchange's notes and what history left out.
	Notes []string `json:"notes,omitempty"`
}

// NewEntry records ex, sent for provider, with its secrets masked:
// the token wherever it appears (plain, URL-escaped, base64, JSON-escaped);
// Authorization, Cookie, Set-Cookie and every other credential header;
// credential query and form parameters and JSON fields (client_secret,
// access_token, password, ...), and the values they carried wherever they
// appear again (a server echoing the request, a token response); a URL
// password; and whatever redact (Session.Redact) knows — in the URL, the
// headers, both bodies, the error and the notes. Bodies are kept up to
// BodyCap, with a note. Time is when the request went out (on
// exchange.Options.Now), else now.
func NewEntry(provider string, ex *exchange.Exchange, redact func(string) string) Entry {
	e := Entry{Provider: provider}
	if ex == nil {
		return e
	}
	red := ex.Redactor()
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
	e.RequestHeader = maskHeader(s.Header, func(name, v string) string {
		if strings.EqualFold(name, "Cookie") {
			return secret.MaskCookies(v, false)
		}
		return clean(exchange.HeaderValue(name, v, s.Injection, s.Token, false))
	})
	var notes []string
	if len(s.Body) > 0 {
		var note string
		e.RequestBody, note = keepBody("request", s.Body, clean)
		notes = addNote(notes, note)
	}
	if r := ex.Response; r != nil {
		e.Time = r.Timing.Start
		e.Status, e.StatusText = r.Status, r.StatusText
		e.ResponseHeader = maskHeader(r.Header, func(name, v string) string {
			switch {
			case strings.EqualFold(name, "Set-Cookie"):
				return secret.MaskCookies(v, true)
			case secret.SensitiveHeader(name):
				return secret.MaskCredential(v)
			}
			return clean(v)
		})
		var note string
		e.ResponseBody, note = keepBody("response", r.Body, clean)
		notes = addNote(notes, note)
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

func addNote(notes []string, n string) []string {
	if n == "" {
		return notes
	}
	return append(notes, n)
}

// maskHeader copies h with each value passed through mask.
func maskHeader(h http.Header, mask func(name, v string) string) http.Header {
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

// keepBody returns up to BodyCap of a body, redacted, and a note
// when it kept less than all of it. Redaction runs on a window a little
// wider than the cap, whose tail is then dropped: a secret cut in two by
// the window's edge would escape the redactor, and the tail is where such
// a half would stand.
func keepBody(which string, b []byte, clean func(string) string) (string, string) {
	const margin = 16 << 10
	if len(b) == 0 {
		return "", ""
	}
	whole := len(b) <= BodyCap+margin
	window := b
	if !whole {
		window = b[:BodyCap+margin]
	}
	text := document.TrimPartialRune(window)
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		return "", "the " + which + " body (" + document.HumanSize(int64(len(b))) + ", binary) is not kept in history"
	}
	s := clean(string(text))
	if whole && len(s) <= BodyCap {
		return s, ""
	}
	if !whole {
		s = s[:max(0, len(s)-margin)]
	}
	if len(s) > BodyCap {
		s = s[:BodyCap]
	}
	s = string(document.TrimPartialRune([]byte(s)))
	return s, "history keeps the first " + document.HumanSize(int64(len(s))) + " of the " + which + " body (" + document.HumanSize(int64(len(b))) + ")"
}
