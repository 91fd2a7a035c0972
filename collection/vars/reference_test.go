package vars

import (
	"net/http"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/collection/collectiontest"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
)

// login is a hostile login answer: a credential field, a value that looks
// like a reference to the process environment, and a credential header.
const loginBody = `{"access_token":"tok-7f3a9c1e","user":{"id":42,"name":"ann","tags":["a","b"]},
"next":"{{$processEnv HOME}}","a.b":{"c*d":"dotted"},"items":[{"id":1},{"id":2}],"nothing":null}`

// sent exchanges a request with a hostile server on 127.0.0.1 and keeps it
// as a run keeps the exchanges it has made.
func sent(t *testing.T) map[string]Exchange {
	t.Helper()
	url := collectiontest.Answer{Header: http.Header{
		"Content-Type": {"application/json"},
		"Location":     {"/users/42"},
		"Set-Cookie":   {"session=cookie-secret-1"},
		"X-Many":       {"one", "two"},
	}, Body: loginBody}.Serve(t)
	reqBody := `{"username":"ann","password":"pw-secret-99"}`
	req, err := http.NewRequest("POST", url+"/login", strings.NewReader(reqBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, body := exchangetest.Do(t, req)
	return map[string]Exchange{"login": {
		Request:  Message{Header: req.Header, Body: []byte(reqBody)},
		Response: Message{Header: resp.Header, Body: body},
	}, "text": {Response: Message{Body: []byte("plain text")}}}
}

func TestResponseReferences(t *testing.T) {
	runs := sent(t)
	r := Resolver{
		Exchange: func(name string) (Exchange, bool) { x, ok := runs[name]; return x, ok },
		Getenv: func(name string) (string, bool) {
			t.Errorf("a value from a server read the environment variable %s", name)
			return "", false
		},
	}
	for _, tc := range []struct{ in, want, masked string }{
		{"{{login.response.body.$.user.id}}", "42", "42"},
		{"{{login.response.body.$.user.name}}", "ann", "ann"},
		{"{{login.response.body.$['user']['name']}}", "ann", "ann"},
		{`{{login.response.body.$["a.b"]["c*d"]}}`, "dotted", "dotted"},
		{"{{login.response.body.$.user.tags[1]}}", "b", "b"},
		{"{{login.response.body.$.user.tags}}", `["a","b"]`, `["a","b"]`},
		{"{{login.response.body.$.items[*].id}}", "[1,2]", "[1,2]"},
		{"{{login.response.body.$.items.*.id}}", "[1,2]", "[1,2]"},
		{"{{login.response.body.$.nothing}}", "null", "null"},
		{"{{login.response.body.$.next}}", "{{$processEnv HOME}}", "{{$processEnv HOME}}"},
		{"{{login.response.body.$.access_token}}", "tok-7f3a9c1e", "••••"},
		{"{{login.response.body.access_token}}", "tok-7f3a9c1e", "••••"},
		{"{{login.response.body.user.tags[0]}}", "a", "a"},
		{"{{login.response.body.*}}", loginBody, loginBody},
		{"{{login.response.body.$}}", loginBody, loginBody},
		{"{{login.response.headers.location}}", "/users/42", "/users/42"},
		{"{{login.response.headers.X-Many}}", "one, two", "one, two"},
		{"{{login.response.headers.Set-Cookie}}", "session=cookie-secret-1", "••••"},
		{"{{login.request.body.$.username}}", "ann", "ann"},
		{"{{login.request.body.$.password}}", "pw-secret-99", "••••"},
		{"{{login.request.headers.Content-Type}}", "application/json", "application/json"},
		{"{{text.response.body.*}}", "plain text", "plain text"},
	} {
		res := expand(t, r, tc.in)
		if res.Reveal() != tc.want || res.Masked() != tc.masked {
			t.Errorf("%s = %q (masked %q), want %q (%q)", tc.in, res.Reveal(), res.Masked(), tc.want, tc.masked)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"{{logout.response.body.$.id}}", "no request named logout has been sent in this run"},
		{"{{login.response.body.$.user.email}}", "$.user.email finds nothing in the response body of login"},
		{"{{login.response.headers.X-Nope}}", "the response of login has no header X-Nope"},
		{"{{text.response.body.$.id}}", "the response body of text is not JSON"},
		{"{{login.response.body.//user/id}}", "XPath is not supported"},
		{"{{login.response.body.$..id}}", "recursive descent"},
		{"{{login.response.body.$.items[?(@.id)]}}", "only an index"},
		{"{{login.response.body.$.items[0}}", "unclosed ["},
		{"{{login.response.body.$['a}}", "unclosed ['"},
		{"{{login.response.body.$x}}", "expected . or ["},
	} {
		expandErr(t, r, tc.in, tc.want)
	}
	expandErr(t, Resolver{}, "{{login.response.body.$.id}}", "no request named login")
}

func TestJSONPath(t *testing.T) {
	for _, tc := range []struct{ in, path, last string }{
		{"$", "@this", ""},
		{"$.a", "a", "a"},
		{"$.a.b[2].c", "a.b.2.c", "c"},
		{"$.a[*]", "a.#", ""},
		{"$['x.y']", `x\.y`, "x.y"},
		{`$["a|b"].c`, `a\|b.c`, "c"},
		{"$.clientSecret", "clientSecret", "clientSecret"},
		// Without the $, from the root, as VS Code reads it.
		{"access_token", "access_token", "access_token"},
		{"data[0].id", "data.0.id", "id"},
		{"['a.b']", `a\.b`, "a.b"},
	} {
		path, last, err := JSONPath(tc.in)
		if err != nil || path != tc.path || last != tc.last {
			t.Errorf("JSONPath(%q) = %q %q %v, want %q %q", tc.in, path, last, err, tc.path, tc.last)
		}
	}
	for _, bad := range []string{"//a/b", "", "a.", "$.", "$.a.", "$[", "$[x]", "$['a'", "$..a"} {
		if _, _, err := JSONPath(bad); err == nil {
			t.Errorf("JSONPath(%q) gave no error", bad)
		}
	}
}
