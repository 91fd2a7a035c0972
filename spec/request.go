package spec

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/httptoken"
)

// Value is one parameter value given for an operation (keyhole call's
// -p NAME=VALUE).
type Value struct{ Name, Value string }

// Header is one request header a filled operation carries.
type Header struct{ Name, Value string }

// Filled is an operation with its parameters filled in: what to send.
type Filled struct {
	Method string
	// Target is the path, its parameters escaped and substituted, and
	// the query: to be joined to the provider's base_url, or to Server.
	Target string
	// Header holds the header parameters, then a Cookie header for the
	// cookie ones.
	Header []Header
	// ContentType is the request body's documented media type, "" when
	// the operation documents none.
	ContentType string
}

// UsageError is a parameter or body that the operation needs and was not
// given, or one given that it does not have.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// Fill builds op's request from the values given, in the order given.
// Path parameters are escaped as one path segment each, query parameters
// added to the query, header and cookie ones sent as headers. A required
// parameter or body that is missing, or a value for a parameter op does
// not have, is a *UsageError naming it. A name op uses in several places
// (id in the path and in the query) fills each of them.
func Fill(op *Operation, values []Value, hasBody bool) (Filled, error) {
	f := Filled{Method: op.Method}
	given := map[string][]string{}
	for _, v := range values {
		if !hasParameter(op, v.Name) {
			return f, &UsageError{fmt.Sprintf("@%s has no parameter %q%s", op.ID, v.Name, known(op))}
		}
		given[v.Name] = append(given[v.Name], v.Value)
	}
	for _, p := range op.Parameters {
		if p.Required && len(given[p.Name]) == 0 && !(p.In == "header" && reservedHeader(p.Name)) {
			return f, &UsageError{fmt.Sprintf("@%s needs its %s parameter %q: add -p %s=VALUE", op.ID, p.In, p.Name, p.Name)}
		}
	}
	if op.Body != nil && op.Body.Required && !hasBody {
		return f, &UsageError{fmt.Sprintf("@%s needs a request body (%s): add -d BODY, -d @FILE or -d @-", op.ID, op.Body.ContentType)}
	}
	if op.Body != nil && hasBody {
		f.ContentType = op.Body.ContentType
	}
	path, err := fillPath(op, given)
	if err != nil {
		return f, err
	}
	query := url.Values{}
	var cookies []string
	var order []string // query names in the order the operation lists them
	for _, p := range op.Parameters {
		vals := given[p.Name]
		if len(vals) == 0 {
			continue
		}
		switch p.In {
		case "query":
			if _, seen := query[p.Name]; !seen {
				order = append(order, p.Name)
			}
			query[p.Name] = append(query[p.Name], vals...)
		case "header":
			// A spec's parameter name must not break the request's headers.
			if !httptoken.Valid(p.Name) {
				return f, &UsageError{fmt.Sprintf("@%s: header parameter %q is not a valid header name", op.ID, p.Name)}
			}
			for _, v := range vals {
				if strings.ContainsAny(v, "\r\n\x00") {
					return f, &UsageError{fmt.Sprintf("-p %s: a header value is one line", p.Name)}
				}
				f.Header = append(f.Header, Header{p.Name, v})
			}
		case "cookie":
			for _, v := range vals {
				cookies = append(cookies, url.QueryEscape(p.Name)+"="+url.QueryEscape(v))
			}
		}
	}
	if len(cookies) > 0 {
		f.Header = append(f.Header, Header{"Cookie", strings.Join(cookies, "; ")})
	}
	f.Target = path
	var q []string
	if fixed := pathQuery(op.Path); fixed != "" {
		q = append(q, fixed)
	}
	if len(q) > 0 || len(order) > 0 {
		for _, name := range order {
			for _, v := range query[name] {
				q = append(q, url.QueryEscape(name)+"="+url.QueryEscape(v))
			}
		}
		f.Target += "?" + strings.Join(q, "&")
	}
	return f, nil
}

// fillPath writes op's path with each {name} replaced by its value, escaped
// as one segment: a value cannot add a segment (a '/'), a query (a '?') or
// climb out of the path ("..").
func fillPath(op *Operation, given map[string][]string) (string, error) {
	path, _, _ := strings.Cut(op.Path, "?")
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", &UsageError{fmt.Sprintf("@%s: the spec's path %q does not start with one /", op.ID, path)}
	}
	return expand(path, literal, func(name string) (string, error) {
		vals := given[name]
		if len(vals) == 0 {
			return "", &UsageError{fmt.Sprintf("@%s needs its path parameter %q: add -p %s=VALUE", op.ID, name, name)}
		}
		v := vals[len(vals)-1]
		if v == "" {
			// Empty, the path is another one: /items/{id} is /items/,
			// the collection; /{id}/ is //, a host; /{id}. is /., which
			// a server resolves elsewhere.
			return "", &UsageError{fmt.Sprintf("@%s: its path parameter %q is empty: add -p %s=VALUE", op.ID, name, name)}
		}
		return segment(v), nil
	})
}

// pathQuery is the query a path key carries as written — OpenAI's spec
// keys a second /responses as "/responses?beta=true" — sent before the
// parameters', each pair escaped; "" when there is none.
func pathQuery(path string) string {
	_, query, ok := strings.Cut(path, "?")
	if !ok || query == "" {
		return ""
	}
	var out []string
	for _, pair := range strings.Split(query, "&") {
		if pair == "" {
			continue
		}
		name, value, hasValue := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if !hasValue {
			// A flag (?beta) goes as a flag: beta= is another query to
			// some servers.
			out = append(out, url.QueryEscape(name))
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		out = append(out, url.QueryEscape(name)+"="+url.QueryEscape(value))
	}
	return strings.Join(out, "&")
}

// literal escapes the spec's own text of a path, keeping its slashes.
func literal(s string) string {
	return (&url.URL{Path: s}).EscapedPath()
}

// segment escapes a value as one path segment.
func segment(v string) string {
	switch v {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(v)
}

func hasParameter(op *Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Name == name {
			return true
		}
	}
	return strings.Contains(op.Path, "{"+name+"}")
}

// known lists op's parameters for an error message.
func known(op *Operation) string {
	if len(op.Parameters) == 0 {
		return " (it takes none)"
	}
	names := make([]string, len(op.Parameters))
	for i, p := range op.Parameters {
		names[i] = p.Name
	}
	return " (it has " + strings.Join(names, ", ") + ")"
}
