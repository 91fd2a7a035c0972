package httpfile

import (
	"fmt"
	"slices"
)

// Check says whether Format(r) reads back as r, and if not, which part
// would change: a request composed from what a user typed (a URL with a
// space, a header value with a newline, a body line starting with ###)
// is refused before it is saved rather than saved as something else.
// Lines and offsets are not compared.
func Check(r Request) error {
	f := Parse("", Format(r))
	if len(f.Problems) > 0 {
		return fmt.Errorf("the request would not read back: line %d: %s", f.Problems[0].Line, f.Problems[0].Reason)
	}
	if len(f.Requests) != 1 {
		return fmt.Errorf("the request would read back as %d requests", len(f.Requests))
	}
	if what := differ(r, f.Requests[0]); what != "" {
		return fmt.Errorf("the request's %s would not read back as written", what)
	}
	return nil
}

// differ names the first part in which a and b differ, or is "". Lines
// and offsets are not compared, nor an empty method against GET (Format
// writes GET for it).
func differ(a, b Request) string {
	method := func(m string) string {
		if m == "" {
			return "GET"
		}
		return m
	}
	switch {
	case a.Name != b.Name:
		return "name"
	case method(a.Method) != method(b.Method):
		return "method"
	case a.URL != b.URL:
		return "URL"
	case a.Version != b.Version:
		return "HTTP version"
	case !slices.EqualFunc(a.Headers, b.Headers, func(x, y Header) bool { return x.Name == y.Name && x.Value == y.Value }):
		return "headers"
	case !slices.EqualFunc(a.Body, b.Body, func(x, y BodyPart) bool {
		return x.Text == y.Text && x.File == y.File && x.Substitute == y.Substitute
	}):
		return "body"
	case a.Provider != b.Provider:
		return "provider"
	case !slices.EqualFunc(a.Captures, b.Captures, sameText):
		return "captures"
	case !slices.EqualFunc(a.Asserts, b.Asserts, sameText):
		return "asserts"
	case !slices.Equal(a.Secrets, b.Secrets):
		return "secrets"
	}
	return ""
}

func sameText(x, y Directive) bool { return x.Text == y.Text }
