// Package check reads and evaluates the checks of a .http collection:
// `# @assert EXPR` (status == 201, header.Content-Type contains json,
// body.items.# > 0, body.id exists, body.name matches ^[a-z]+$,
// duration < 500ms) and `# @capture NAME = PATH` (a variable set from a
// response for the requests that follow). Paths into a JSON body are gjson
// paths. The package does no I/O: the caller sends the request and hands
// over the Response.
package check

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Response is what a check reads of an exchange.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Duration time.Duration
}

// Subject is what the left side of an assertion, or a capture, reads.
type Subject int

const (
	// Status is the response's status code.
	Status Subject = iota
	// Duration is how long the exchange took.
	Duration
	// Header is one response header; several values are joined with ", ".
	Header
	// Body is the response body: the whole of it (Path ""), or the value a
	// gjson path finds in it.
	Body
)

func (s Subject) String() string {
	switch s {
	case Status:
		return "status"
	case Duration:
		return "duration"
	case Header:
		return "header"
	}
	return "body"
}

// value is what a subject found in a response.
type value struct {
	exists bool
	text   string       // a string's text, anything else's JSON
	json   gjson.Result // for a body path: its JSON type and elements
	isJSON bool
	secret bool // a credential header or field: shown masked
	plain  bool // a status or a duration: shown without quotes
}

// read finds a subject in resp. name is the header's name or the body's
// gjson path ("" for the whole body).
func read(s Subject, name string, resp Response) value {
	switch s {
	case Status:
		return value{exists: true, text: strconv.Itoa(resp.Status), plain: true}
	case Duration:
		return value{exists: true, text: resp.Duration.String(), plain: true}
	case Header:
		vs := resp.Header.Values(name)
		return value{exists: len(vs) > 0, text: strings.Join(vs, ", "), secret: secret.SensitiveHeader(name)}
	}
	if name == "" {
		return value{exists: true, text: string(resp.Body)}
	}
	if !gjson.ValidBytes(resp.Body) {
		return value{}
	}
	r := gjson.GetBytes(resp.Body, name)
	v := value{exists: r.Exists(), json: r, isJSON: true, secret: credentialPath(name, r.IsObject())}
	if r.Type == gjson.String {
		v.text = r.Str
	} else {
		v.text = r.Raw
	}
	return v
}

// pathKey is the field a gjson path ends at ("data.access_token" →
// "access_token"), and whether the path names it at all: one whose last
// part is a pattern (*, ?), a modifier (@…) or a query, or that holds a
// multipath ([…], {…}), may end at any field, a credential's included
// ("body.*.*" finds {"u":{"password":…}}'s password).
func pathKey(path string) (key string, named bool) {
	last := path
	for i := len(path) - 1; i >= 0; i-- {
		if (path[i] == '.' || path[i] == '|') && (i == 0 || path[i-1] != '\\') {
			last = path[i+1:]
			break
		}
	}
	if last == "#" {
		return "#", true // a count
	}
	var b strings.Builder
	for i := 0; i < len(last); i++ {
		switch c := last[i]; {
		case c == '\\' && i+1 < len(last):
			i++
			b.WriteByte(last[i])
		case strings.IndexByte("*?@#()[]{}=<>!%", c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	if unescapedAny(path, "[]{}") {
		return b.String(), false
	}
	return b.String(), true
}

// unescapedAny reports whether s holds one of chars not escaped by a
// backslash.
func unescapedAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte(chars, s[i]) >= 0 {
			return true
		}
	}
	return false
}

// credentialPath reports whether what path finds is to be shown masked
// whole: its field is a credential's, or the path does not name its field
// — unless what it found is a JSON object, whose own credential fields
// are masked by name wherever it is shown (secret.MaskJSON), and the path
// holds no multipath, which can rename them.
func credentialPath(path string, object bool) bool {
	key, named := pathKey(path)
	if named {
		return secret.SensitiveField(key)
	}
	return !object || unescapedAny(path, "[]{}")
}

// maxShown bounds a found value in an outcome: a line in a report, not
// the body.
const maxShown = 60

// show is how an outcome quotes what was found: masked when it is a
// credential, credential fields masked inside JSON, cut short, and a
// string quoted so a server's control characters reach no terminal.
func (v value) show() string {
	if !v.exists {
		return ""
	}
	if v.secret {
		return secret.Mask
	}
	text := v.text
	if masked, changed := secret.MaskJSON(text); changed {
		text = masked
	}
	if utf8.RuneCountInString(text) > maxShown {
		n := 0
		for i := range text {
			if n == maxShown {
				text = text[:i] + "…"
				break
			}
			n++
		}
	}
	if v.plain || v.isJSON && v.json.Type != gjson.String {
		// A number, a status, JSON outside strings: no quotes, and any
		// control character a server slipped in made a space.
		return strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f || r == utf8.RuneError {
				return ' '
			}
			return r
		}, text)
	}
	return strconv.QuoteToGraphic(text)
}

// parseSubject reads "status", "duration", "header.NAME", "body" or
// "body.PATH".
func parseSubject(left string) (Subject, string, error) {
	switch {
	case left == "status":
		return Status, "", nil
	case left == "duration":
		return Duration, "", nil
	case left == "body":
		return Body, "", nil
	case strings.HasPrefix(left, "header."):
		name := strings.TrimPrefix(left, "header.")
		if !validHeader(name) {
			return 0, "", fmt.Errorf("%q is not a header name", name)
		}
		return Header, name, nil
	case strings.HasPrefix(left, "body."):
		path := strings.TrimPrefix(left, "body.")
		if path == "" {
			return 0, "", fmt.Errorf("body. needs a path after it (body.id, body.items.#)")
		}
		return Body, path, nil
	}
	return 0, "", fmt.Errorf("%q is not something to check: use status, duration, header.NAME or body.PATH", left)
}

// validHeader reports whether name is an HTTP field name (RFC 9110 token).
func validHeader(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
