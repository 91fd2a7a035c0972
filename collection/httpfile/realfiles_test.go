package httpfile

import (
	"reflect"
	"testing"
)

// The constructs below were met in .http files kept in public
// repositories; each test is our own minimal file showing one.

// TestByteOrderMark: Visual Studio starts its .http files with a byte
// order mark; the first line still reads as a variable, a separator or a
// comment.
func TestByteOrderMark(t *testing.T) {
	for _, src := range []string{
		"\ufeff@api = http://localhost:5080\n\nGET {{api}}/todos\nAccept: application/json\n",
		"\ufeff### List the todos\n@api = http://localhost:5080\nGET {{api}}/todos\nAccept: application/json\n",
		"\ufeff# Requests for the todo API\n@api = http://localhost:5080\n\nGET {{api}}/todos\nAccept: application/json\n",
	} {
		f := Parse("bom.http", []byte(src))
		if len(f.Problems) > 0 || len(f.Requests) != 1 {
			t.Fatalf("%q: %d requests, problems %v; want one request", src, len(f.Requests), f.Problems)
		}
		if want := []Var{{"api", "http://localhost:5080", f.Vars[0].Line}}; !reflect.DeepEqual(f.Vars, want) {
			t.Errorf("%q: vars %+v, want %+v", src, f.Vars, want)
		}
		if r := f.Requests[0]; r.URL != "{{api}}/todos" || r.Start != 0 {
			t.Errorf("%q: request %q at %d", src, r.URL, r.Start)
		}
	}
}

// TestIndentedURLLines: JetBrains continues the URL on every indented
// line, not only those starting with ? or &; an indented line shaped
// like a header stays a header, as VS Code reads it.
func TestIndentedURLLines(t *testing.T) {
	r := parseOne(t, "GET {{idp}}/connect/authorize?\n    client_id=spa&\n    redirect_uri={{back}}&\n    scope=openid profile\nAccept: text/html\n  X-Trace: on\n")
	if want := "{{idp}}/connect/authorize?client_id=spa&redirect_uri={{back}}&scope=openid profile"; r.URL != want {
		t.Errorf("URL %q, want %q", r.URL, want)
	}
	if want := []Header{{"Accept", "text/html", 5}, {"X-Trace", "on", 6}}; !reflect.DeepEqual(r.Headers, want) {
		t.Errorf("headers %+v, want %+v", r.Headers, want)
	}
	r = parseOne(t, "GET https://example.com/\n    api\n    /items\n  # the second page\n  ?page=2\n")
	if want := "https://example.com/api/items?page=2"; r.URL != want {
		t.Errorf("URL %q, want %q", r.URL, want)
	}
}

// TestSpacesInURL: after a method, the rest of the line up to a version
// is the URL, spaces and all (OData's $filter): both tools send it so,
// encoded.
func TestSpacesInURL(t *testing.T) {
	r := parseOne(t, "GET {{base}}/odata/people?$filter=Name eq 'Ann Lee'&$top=2 HTTP/1.1\nAccept: application/json\n")
	if want := "{{base}}/odata/people?$filter=Name eq 'Ann Lee'&$top=2"; r.URL != want || r.Version != "HTTP/1.1" {
		t.Errorf("URL %q version %q, want %q HTTP/1.1", r.URL, r.Version, want)
	}
}

// TestOtherRequestsNotRun: JetBrains' GraphQL, WebSocket and gRPC
// requests and its import and run lines are reported once as not run,
// not as errors, and the requests around them load.
func TestOtherRequestsNotRun(t *testing.T) {
	src := `import ./shared.http

### One
GET https://example.com/one

### A query
GRAPHQL https://example.com/graphql

query { me { id } }

### Another
GRAPHQL https://example.com/graphql

{ ping }

### Live
WEBSOCKET ws://localhost:8080/feed

### Greeter
GRPC localhost:9090/Greeter/Hello

{"name": "x"}

### Two
GET https://example.com/two

###
run #One
`
	f := Parse("o.http", []byte(src))
	if len(f.Problems) > 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	var urls []string
	for _, r := range f.Requests {
		urls = append(urls, r.URL)
	}
	if want := []string{"https://example.com/one", "https://example.com/two"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("requests %q, want %q", urls, want)
	}
	want := []NotRun{
		{1, "import line “import ./shared.http”"},
		{7, "GRAPHQL request “GRAPHQL https://example.com/graphql”"},
		{17, "WEBSOCKET request “WEBSOCKET ws://localhost:8080/feed”"},
		{20, "GRPC request “GRPC localhost:9090/Greeter/Hello”"},
		{28, "run line “run #One”"},
	}
	if !reflect.DeepEqual(f.NotRun, want) {
		t.Errorf("NotRun\n got %v\nwant %v", f.NotRun, want)
	}
}

// TestVariablesAfterABody: `@name = value` lines after a request, set off
// by a blank line, define variables (VS Code reads one on any line) and
// are not sent as the body; right after the blank line that starts a body
// they are the body.
func TestVariablesAfterABody(t *testing.T) {
	src := `@app = http://localhost:5264

# @name start
POST {{app}}/start/1


@job = {{start.response.headers.Location}}
@sidecar = http://localhost:3500
### Status
GET {{sidecar}}/jobs/{{job}}

###
POST {{app}}/note
Content-Type: text/plain

@mention = is text
`
	f := Parse("v.http", []byte(src))
	if len(f.Problems) > 0 || len(f.Requests) != 3 {
		t.Fatalf("%d requests, problems %v", len(f.Requests), f.Problems)
	}
	wantVars := []Var{{"app", "http://localhost:5264", 1}, {"job", "{{start.response.headers.Location}}", 7}, {"sidecar", "http://localhost:3500", 8}}
	if !reflect.DeepEqual(f.Vars, wantVars) {
		t.Errorf("vars %+v, want %+v", f.Vars, wantVars)
	}
	if b := f.Requests[0].Body; len(b) != 0 {
		t.Errorf("the first request's body is %+v, want none", b)
	}
	if got := f.Requests[2].BodyText(); got != "@mention = is text" {
		t.Errorf("a body of a variable line alone is %q, want it kept", got)
	}
}

// TestCommentsThatAreNotDirectives: prose after ## that mentions a
// variable, and a file variable commented out, are comments, not
// directives of another tool to report as not run; a directive of one
// is still reported.
func TestCommentsThatAreNotDirectives(t *testing.T) {
	src := `##########################################
## Variables:                           ##
##  @orderId   an order seeded for tests ##
##########################################
#@host= http://localhost:3333/
// @token = abc

@orderId = 42

###
# @no-redirect
GET https://example.com/orders/{{orderId}}
`
	f := Parse("c.http", []byte(src))
	if len(f.Problems) > 0 || len(f.Requests) != 1 {
		t.Fatalf("%d requests, problems %v", len(f.Requests), f.Problems)
	}
	if want := []NotRun{{11, "directive @no-redirect"}}; !reflect.DeepEqual(f.NotRun, want) {
		t.Errorf("NotRun %v, want %v", f.NotRun, want)
	}
}
