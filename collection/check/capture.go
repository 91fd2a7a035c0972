package check

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// ErrNothing is a capture whose path finds nothing in the response.
var ErrNothing = errors.New("finds nothing")

// Capture is one `# @capture NAME = PATH`.
type Capture struct {
	Name    string  // the variable it sets
	Path    string  // the path as written
	Subject Subject // Status, Header or Body
	Key     string  // the header's name, or the body's gjson path ("" for the whole body)
}

// ParseCapture reads "NAME = PATH". PATH is status, header.NAME, body (the
// whole body), body.PATH, or a bare gjson path, which is always into the
// JSON body ("id", "data.items.0.id"; a body field named status or header
// is written body.status).
func ParseCapture(text string) (Capture, error) {
	name, path, ok := strings.Cut(text, "=")
	name, path = strings.TrimSpace(name), strings.TrimSpace(path)
	if !ok {
		return Capture{}, errors.New("@capture is written NAME = PATH, as id = body.id or loc = header.Location")
	}
	if !vars.ValidName(name) {
		return Capture{}, fmt.Errorf("%q cannot name a variable: a name holds letters, digits and _ - . only", name)
	}
	if path == "" {
		return Capture{}, fmt.Errorf("@capture %s needs a path after =", name)
	}
	c := Capture{Name: name, Path: path}
	switch {
	case path == "status":
		c.Subject = Status
	case path == "body":
		c.Subject = Body
	case strings.HasPrefix(path, "header."):
		c.Subject, c.Key = Header, strings.TrimPrefix(path, "header.")
		if !validHeader(c.Key) {
			return Capture{}, fmt.Errorf("%q is not a header name", c.Key)
		}
	case path == "duration":
		return Capture{}, errors.New("a capture takes status, header.NAME or a body path, not duration")
	default:
		c.Subject, c.Key = Body, strings.TrimPrefix(path, "body.")
		if c.Key == "" {
			return Capture{}, errors.New("body. needs a path after it (body.id)")
		}
	}
	return c, nil
}

// Value is what the capture reads in resp: a string's text without
// quotes, a number, true, false or null as written, an object or array as
// its JSON, several header values joined with ", ". A path that finds
// nothing is an error wrapping ErrNothing; the caller adds file:line.
func (c Capture) Value(resp Response) (string, error) {
	switch c.Subject {
	case Status:
		return strconv.Itoa(resp.Status), nil
	case Header:
		vs := resp.Header.Values(c.Key)
		if len(vs) == 0 {
			return "", fmt.Errorf("@capture %s = %s: %w: the response has no %s header", c.Name, c.Path, ErrNothing, c.Key)
		}
		return strings.Join(vs, ", "), nil
	}
	if c.Key == "" {
		return string(resp.Body), nil
	}
	if !gjson.ValidBytes(resp.Body) {
		return "", fmt.Errorf("@capture %s = %s: %w: the body is not JSON", c.Name, c.Path, ErrNothing)
	}
	v := read(Body, c.Key, resp)
	if !v.exists {
		return "", fmt.Errorf("@capture %s = %s: %w in the body", c.Name, c.Path, ErrNothing)
	}
	return v.text, nil
}

// Secret reports whether the value captured is a credential — a
// credential header (Set-Cookie, Authorization) or a credential JSON field
// (access_token, password) — and must be masked like every other secret.
func (c Capture) Secret() bool {
	switch c.Subject {
	case Header:
		return secret.SensitiveHeader(c.Key)
	case Body:
		// Before the capture, what the path finds is not known: a path
		// that does not name its field is taken for a credential's.
		return c.Key != "" && credentialPath(c.Key, false)
	}
	return false
}
