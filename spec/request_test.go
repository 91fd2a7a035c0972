package spec

import (
	"errors"
	"strings"
	"testing"
)

func TestFill(t *testing.T) {
	op := &Operation{ID: "getFile", Method: "GET", Path: "/repos/{owner}/files/{path}",
		Parameters: []Parameter{
			{Name: "owner", In: "path", Required: true},
			{Name: "path", In: "path", Required: true},
			{Name: "ref", In: "query"},
			{Name: "page", In: "query", Required: true},
			{Name: "X-Req", In: "header"},
			{Name: "Accept", In: "header", Required: true}, // ignored, as OpenAPI says
		},
		Body: &Body{ContentType: "application/json"},
	}
	f, err := Fill(op, []Value{{"owner", "me"}, {"path", "a/../b c"}, {"page", "2"}, {"ref", "x&y"}, {"ref", "z"}, {"X-Req", "1"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.Method != "GET" || f.Target != "/repos/me/files/a%2F..%2Fb%20c?ref=x%26y&ref=z&page=2" || f.ContentType != "application/json" ||
		len(f.Header) != 1 || f.Header[0] != (Header{"X-Req", "1"}) {
		t.Errorf("%+v", f)
	}
	for _, c := range []struct {
		values []Value
		want   string
	}{
		{[]Value{{"owner", "me"}, {"page", "1"}}, `@getFile needs its path parameter "path"`},
		{[]Value{{"owner", "me"}, {"path", "p"}}, `@getFile needs its query parameter "page"`},
		{[]Value{{"owner", "me"}, {"path", "p"}, {"page", "1"}, {"X-Req", "a\r\nEvil: 1"}}, `-p X-Req: a header value is one line`},
		{[]Value{{"nope", "1"}}, `@getFile has no parameter "nope" (it has owner, path, ref, page, X-Req, Accept)`},
	} {
		_, err := Fill(op, c.values, false)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.values, err, c.want)
		}
	}
	body := &Operation{ID: "post", Method: "POST", Path: "/x", Body: &Body{Required: true, ContentType: "application/json"}}
	if _, err := Fill(body, nil, false); err == nil || !strings.Contains(err.Error(), "@post needs a request body (application/json)") {
		t.Errorf("no body: %v", err)
	}
	bad := &Operation{ID: "bad", Method: "GET", Path: "//evil.example/x"}
	if _, err := Fill(bad, nil, false); err == nil {
		t.Errorf("a path that is an authority was filled")
	}
}

func TestServerURL(t *testing.T) {
	s, err := Parse("https://specs.example.com/v1/openapi.json", []byte(`{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
		"servers": [{"url": "https://{env}.example.com:{port}/{base}", "variables": {"env": {"default": "api"}, "port": {"default": "8443"}}}],
		"paths": {"/up": {"servers": [{"url": "../uploads"}], "post": {"operationId": "up"}}, "/a": {"get": {"operationId": "a"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ServerURL(); got != "https://api.example.com:8443/{base}" {
		t.Errorf("ServerURL %q", got)
	}
	up, _ := s.Index.Find("up")
	if got := s.OperationServer(up); got != "https://specs.example.com/uploads" {
		t.Errorf("OperationServer %q", got)
	}
	a, _ := s.Index.Find("a")
	if got := s.OperationServer(a); got != "" {
		t.Errorf("OperationServer of an operation without one: %q", got)
	}
}

// FuzzFill: whatever the spec's path and the value, the target is a path
// that starts with one /, and the value adds no segment, query or
// fragment to it; a query the spec's path key carries as written
// ("/responses?beta=true") is the only one, escaped.
func FuzzFill(f *testing.F) {
	for _, seed := range [][2]string{
		{"/items/{id}", "a/b"}, {"/items/{id}", ".."}, {"/x/{id}?q", "?#"}, {"/{id}{id}", "%2F"},
		{"/a b/{id}", "\x00\r\n"}, {"//evil/{id}", "x"}, {"/{", "}"}, {"/{id}/{other}", "v"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, path, value string) {
		op := &Operation{ID: "op", Method: "GET", Path: path, Parameters: []Parameter{{Name: "id", In: "path", Required: true}}}
		filled, err := Fill(op, []Value{{"id", value}}, false)
		if err != nil {
			return
		}
		tgt, query, hasQuery := strings.Cut(filled.Target, "?")
		if hasQuery && !strings.Contains(path, "?") {
			t.Fatalf("%q, %q: target %q has a query the path has not", path, value, filled.Target)
		}
		if strings.ContainsAny(query, "#?/ \r\n\x00") {
			t.Fatalf("%q, %q: target's query %q holds a character it must escape", path, value, query)
		}
		path, _, _ = strings.Cut(path, "?")
		if !strings.HasPrefix(tgt, "/") || strings.HasPrefix(tgt, "//") {
			t.Fatalf("%q, %q: target %q", path, value, tgt)
		}
		if strings.ContainsAny(tgt, "?# \r\n\x00") {
			t.Fatalf("%q, %q: target %q holds a character it must escape", path, value, tgt)
		}
		if strings.Count(tgt, "/") != strings.Count(path, "/") {
			t.Fatalf("%q, %q: target %q has other segments than the path", path, value, tgt)
		}
		for _, seg := range strings.Split(tgt, "/") {
			if seg == ".." || seg == "." {
				if !strings.Contains(path, "/"+seg) {
					t.Fatalf("%q, %q: the value made a %q segment", path, value, seg)
				}
			}
		}
	})
}
