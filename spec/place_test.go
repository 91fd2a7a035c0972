package spec

import "testing"

func TestPlace(t *testing.T) {
	s, err := Parse("place.json", []byte(`{"openapi": "3.1.0", "info": {"title": "P", "version": "1"},
 "servers": [{"url": "https://prod.example.com/v9"}, {"url": "https://{host}/v1", "variables": {"host": {"default": "api.example.com"}}}],
 "paths": {
  "/items": {"get": {"operationId": "list"}},
  "/up": {"servers": [{"url": "https://uploads.example.com/u/"}], "post": {"operationId": "up"}},
  "/rel": {"get": {"operationId": "rel", "servers": [{"url": "/r"}]}}
 }}`))
	if err != nil {
		t.Fatal(err)
	}
	op := func(id string) *Operation {
		o, ok := s.Index.Find(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		return o
	}
	for _, c := range []struct {
		id, base string
		want     Place
	}{
		{"list", "https://api.example.com", Place{Prefix: "/v1"}},
		{"list", "https://api.example.com/", Place{Prefix: "/v1"}},
		{"list", "https://api.example.com/v1", Place{}},
		{"list", "https://api.example.com/v2", Place{}},
		{"list", "https://staging.example.com", Place{}},
		{"list", "http://api.example.com", Place{}}, // another scheme is another origin
		{"list", "not a url", Place{}},
		{"up", "https://api.example.com", Place{Prefix: "https://uploads.example.com/u", Foreign: "https://uploads.example.com"}},
		{"up", "https://uploads.example.com/v1", Place{Prefix: "https://uploads.example.com/u"}},
		{"rel", "https://api.example.com/v1", Place{Prefix: "https://api.example.com/r"}},
	} {
		if got := s.Place(op(c.id), c.base); got != c.want {
			t.Errorf("%s on %s: %+v, want %+v", c.id, c.base, got, c.want)
		}
	}
}

// TestPlaceSeveralServers: of an operation's (or its path's) several
// servers, the one on base_url's origin is taken, for it gets the token;
// when none is, the first, on its own origin.
func TestPlaceSeveralServers(t *testing.T) {
	s, err := Parse("several.json", []byte(`{"openapi": "3.1.0", "info": {"title": "P", "version": "1"},
 "paths": {
  "/up": {"post": {"operationId": "up", "servers": [
     {"url": "https://uploads.example.com/u"},
     {"url": "https://{host}/u2", "variables": {"host": {"default": "api.example.com"}}},
     {"url": "https://api.example.com/u3"}]}},
  "/path": {"servers": [{"url": "https://sandbox.example.com/p"}, {"url": "https://api.example.com/p"}],
     "get": {"operationId": "path"}},
  "/rel": {"get": {"operationId": "rel", "servers": [{"url": "https://elsewhere.example.com/r"}, {"url": "/r"}]}}
 }}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, base string
		want     Place
	}{
		{"up", "https://api.example.com", Place{Prefix: "https://api.example.com/u2"}},
		{"up", "https://uploads.example.com", Place{Prefix: "https://uploads.example.com/u"}},
		{"up", "https://staging.example.com", Place{Prefix: "https://uploads.example.com/u", Foreign: "https://uploads.example.com"}},
		{"path", "https://api.example.com/v1", Place{Prefix: "https://api.example.com/p"}},
		{"path", "https://sandbox.example.com", Place{Prefix: "https://sandbox.example.com/p"}},
		{"path", "http://api.example.com", Place{Prefix: "https://sandbox.example.com/p", Foreign: "https://sandbox.example.com"}},
		{"rel", "https://api.example.com", Place{Prefix: "https://api.example.com/r"}},
	} {
		op, ok := s.Index.Find(c.id)
		if !ok {
			t.Fatalf("no %s", c.id)
		}
		if got := s.Place(op, c.base); got != c.want {
			t.Errorf("%s on %s: %+v, want %+v", c.id, c.base, got, c.want)
		}
	}
	up, _ := s.Index.Find("up")
	if got := s.OperationServers(up); len(got) != 3 || got[1] != "https://api.example.com/u2" {
		t.Errorf("OperationServers %q", got)
	}
}

// TestPlaceReadsNoDocument: placing an operation of a spec whose servers
// are plain URLs needs only the index, not a pass over the whole
// document (GitHub's dereferenced description is 73 MB); a server with a
// {variable} still reads its default there.
func TestPlaceReadsNoDocument(t *testing.T) {
	s := loadTestdata(t, "github-slice.json")
	op, ok := s.Index.Find("code-scanning/get-alert")
	if !ok {
		t.Fatal("no code-scanning/get-alert")
	}
	if got := s.Place(op, "https://api.github.com"); got != (Place{}) {
		t.Errorf("Place %+v", got)
	}
	if s.parsed != nil {
		t.Error("Place read the whole document for a plain server URL")
	}
	v := loadDoc(t, `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "servers": [{"url": "https://api.example.com/{v}", "variables": {"v": {"default": "v2"}}}],
 "paths": {"/items": {"get": {"operationId": "list"}}}}`)
	if got := v.Place(&v.Index.Operations[0], "https://api.example.com"); got != (Place{Prefix: "/v2"}) {
		t.Errorf("with a variable: Place %+v, want the default's /v2", got)
	}
}
