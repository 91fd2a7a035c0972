package vars

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// reference is VS Code's {{name.response.body.PATH}} (and .headers.NAME,
// and the same of .request): read from the named request's last exchange
// in this run. The value is literal — it came from a server — and secret
// when it is a credential header or a credential JSON field.
func (e *expander) reference(ref Ref) (Value, error) {
	if e.r.Exchange == nil {
		return Value{}, fmt.Errorf("no request named %s has been sent in this run", ref.Name)
	}
	x, ok := e.r.Exchange(ref.Name)
	if !ok {
		return Value{}, fmt.Errorf("no request named %s has been sent in this run", ref.Name)
	}
	msg := x.Response
	if ref.Part == "request" {
		msg = x.Request
	}
	if ref.Field == "headers" {
		values := msg.Header.Values(ref.Path)
		if len(values) == 0 {
			return Value{}, fmt.Errorf("the %s of %s has no header %s", ref.Part, ref.Name, ref.Path)
		}
		v := Literal(strings.Join(values, ", "))
		if secret.SensitiveHeader(ref.Path) {
			v = v.AsSecret()
		}
		return v, nil
	}
	if ref.Path == "*" {
		return Literal(string(msg.Body)), nil
	}
	path, last, err := JSONPath(ref.Path)
	if err != nil {
		return Value{}, err
	}
	if !gjson.ValidBytes(msg.Body) {
		return Value{}, fmt.Errorf("the %s body of %s is not JSON", ref.Part, ref.Name)
	}
	got := gjson.GetBytes(msg.Body, path)
	if !got.Exists() {
		return Value{}, fmt.Errorf("%s finds nothing in the %s body of %s", ref.Path, ref.Part, ref.Name)
	}
	v := Literal(ResultText(got))
	if secret.SensitiveField(last) {
		v = v.AsSecret()
	}
	return v, nil
}

// ResultText is a gjson result as a variable holds it: a string's text
// without quotes, anything else (number, true, null, object, array) as its
// JSON.
func ResultText(r gjson.Result) string {
	if r.Type == gjson.String {
		return r.Str
	}
	return r.Raw
}

// JSONPath turns the JSONPath VS Code's references take ($.data[0].id,
// $['a.b'], $.items[*].id, or data[0].id without the $) into a gjson path, and returns the last key it
// names ("" for an index), by which a credential field is known. Filters,
// slices and recursive descent are errors: gjson has other ways to say
// them, and a path that silently found something else would be worse.
func JSONPath(p string) (path, last string, err error) {
	rest, ok := strings.CutPrefix(p, "$")
	switch {
	case ok:
	case p == "" || p[0] == '/':
		return "", "", fmt.Errorf("%s is not a JSONPath: write $.field (XPath is not supported)", p)
	case p[0] == '[':
		rest = p
	default:
		// VS Code's JSONPath library reads a path without its $ from the
		// root: {{login.response.body.access_token}} is $.access_token,
		// and files are written so.
		rest = "." + p
	}
	var parts []string
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".."):
			return "", "", errors.New("recursive descent (..) is not supported")
		case rest[0] == '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key := rest[:end]
			rest = rest[end:]
			if key == "" {
				return "", "", fmt.Errorf("%s has an empty key", p)
			}
			if key == "*" {
				parts = append(parts, "#")
				last = ""
				continue
			}
			parts = append(parts, gjsonKey(key))
			last = key
		case rest[0] == '[':
			if len(rest) > 1 && (rest[1] == '\'' || rest[1] == '"') {
				q := rest[1:2]
				close := strings.Index(rest[2:], q+"]")
				if close < 0 {
					return "", "", fmt.Errorf("%s has an unclosed [%s", p, q)
				}
				key := rest[2 : 2+close]
				parts = append(parts, gjsonKey(key))
				last = key
				rest = rest[2+close+2:]
				continue
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return "", "", fmt.Errorf("%s has an unclosed [", p)
			}
			inner := rest[1:end]
			rest = rest[end+1:]
			if inner == "*" {
				parts = append(parts, "#")
				last = ""
				continue
			}
			if _, err := strconv.ParseUint(inner, 10, 32); err != nil {
				return "", "", fmt.Errorf("[%s]: only an index, a 'key' or * may stand in brackets", inner)
			}
			parts = append(parts, inner)
			last = ""
		default:
			return "", "", fmt.Errorf("%s: expected . or [ after $", p)
		}
	}
	if len(parts) == 0 {
		return "@this", "", nil
	}
	return strings.Join(parts, "."), last, nil
}

// gjsonKey escapes the characters gjson reads as path syntax.
func gjsonKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		if strings.ContainsRune(`.*?|#@\!=<>%()[]{},"`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
