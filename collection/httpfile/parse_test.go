package httpfile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/attack"
)

// parseOne parses src and wants exactly one request and no problem.
func parseOne(t *testing.T, src string) Request {
	t.Helper()
	f := Parse("t.http", []byte(src))
	if len(f.Problems) > 0 || len(f.Requests) != 1 {
		t.Fatalf("Parse = %d requests, problems %v; want one request", len(f.Requests), f.Problems)
	}
	return f.Requests[0]
}

// TestJetBrainsExamples: requests written from the JetBrains HTTP Client
// documentation's syntax, each construct in turn.
func TestJetBrainsExamples(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      Request // Start, End and Lines not compared unless set
	}{
		{"short form", "https://example.com/a/\n",
			Request{Method: "GET", URL: "https://example.com/a/", Line: 1}},
		{"method, version", "GET https://example.com/api/get?id=99 HTTP/1.1\n",
			Request{Method: "GET", URL: "https://example.com/api/get?id=99", Version: "HTTP/1.1", Line: 1}},
		{"HTTP/2 prior knowledge", "GET https://example.com HTTP/2 (Prior Knowledge)\n",
			Request{Method: "GET", URL: "https://example.com", Version: "HTTP/2 (Prior Knowledge)", Line: 1}},
		{"query continuation", "GET http://localhost:80/api/item\n    ?id=99\n    &name=item HTTP/1.1\n",
			Request{Method: "GET", URL: "http://localhost:80/api/item?id=99&name=item", Version: "HTTP/1.1", Line: 1}},
		{"headers and JSON body", "POST https://example.com/api/item\nContent-Type: application/json\n\n{\n  \"id\": 999,\n  \"value\": \"content\"\n}\n",
			Request{Method: "POST", URL: "https://example.com/api/item", Line: 1,
				Headers: []Header{{"Content-Type", "application/json", 2}},
				Body:    []BodyPart{{Text: "{\n  \"id\": 999,\n  \"value\": \"content\"\n}", Line: 4}}}},
		{"body from a file", "POST https://example.com/api/item\nContent-Type: application/json\n\n< ./input.json\n",
			Request{Method: "POST", URL: "https://example.com/api/item", Line: 1,
				Headers: []Header{{"Content-Type", "application/json", 2}},
				Body:    []BodyPart{{File: "./input.json", Line: 4}}}},
		{"named by ###", "### Get user\nGET https://example.com/user\n",
			Request{Name: "Get user", Method: "GET", URL: "https://example.com/user", Line: 2}},
		{"@name wins over ###", "### Get user\n# @name getUser\nGET https://example.com/user\n",
			Request{Name: "getUser", Method: "GET", URL: "https://example.com/user", Line: 3}},
		{"comments between headers", "GET https://example.com\n# the client\nUser-Agent: k\n// the type\nAccept: */*\n",
			Request{Method: "GET", URL: "https://example.com", Line: 1,
				Headers: []Header{{"User-Agent", "k", 3}, {"Accept", "*/*", 5}}}},
		{"comment lines in a body are not sent", "POST https://example.com\n\n// the command\n{\n# \"old\": 1,\n  \"new\": 2\n}\n",
			Request{Method: "POST", URL: "https://example.com", Line: 1,
				Body: []BodyPart{{Text: "{\n  \"new\": 2\n}", Line: 4}}}},
		{"response handler ends the body", "POST https://example.com\n\n{\"a\":1}\n\n> {%\n    client.global.set(\"t\", response.body.token);\n%}\n",
			Request{Method: "POST", URL: "https://example.com", Line: 1,
				Body: []BodyPart{{Text: "{\"a\":1}", Line: 3}}}},
		{"multipart with file parts", "POST https://example.com/api/upload\nContent-Type: multipart/form-data; boundary=WebAppBoundary\n\n" +
			"--WebAppBoundary\nContent-Disposition: form-data; name=\"element-name\"\nContent-Type: text/plain\n\nName\n" +
			"--WebAppBoundary\nContent-Disposition: form-data; name=\"data\"; filename=\"data.json\"\nContent-Type: application/json\n\n" +
			"< ./request-form-data.json\n--WebAppBoundary--\n",
			Request{Method: "POST", URL: "https://example.com/api/upload", Line: 1,
				Headers: []Header{{"Content-Type", "multipart/form-data; boundary=WebAppBoundary", 2}},
				Body: []BodyPart{
					{Text: "--WebAppBoundary\nContent-Disposition: form-data; name=\"element-name\"\nContent-Type: text/plain\n\nName\n" +
						"--WebAppBoundary\nContent-Disposition: form-data; name=\"data\"; filename=\"data.json\"\nContent-Type: application/json\n", Line: 4},
					{File: "./request-form-data.json", Line: 13},
					{Text: "--WebAppBoundary--", Line: 14},
				}}},
		{"variables in URL and headers", "GET {{host}}/api/{{$uuid}}\nAuthorization: Bearer {{$auth.token(\"auth-id\")}}\n",
			Request{Method: "GET", URL: "{{host}}/api/{{$uuid}}", Line: 1,
				Headers: []Header{{"Authorization", "Bearer {{$auth.token(\"auth-id\")}}", 2}}}},
		{"all the methods", "patch https://example.com\n",
			Request{Method: "PATCH", URL: "https://example.com", Line: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := parseOne(t, c.src)
			got.Start, got.End = 0, 0
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Parse\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestVSCodeExamples: requests written from the VS Code REST Client's
// documented syntax.
func TestVSCodeExamples(t *testing.T) {
	src := `@hostname = api.example.com
@port = 8080
@host = {{hostname}}:{{port}}
@contentType = application/json

# @name login
POST https://{{host}}/login HTTP/1.1
Content-Type: {{contentType}}

{"user": "a", "password": "{{password}}"}

###

# @name = getProfile
GET https://{{host}}/profile
Authorization: Bearer {{login.response.body.$.token}}

###

GET https://example.com/comments
    ?page=2
    &pageSize=10

###

POST https://example.com/comments HTTP/1.1
Content-Type: application/xml
Authorization: token xxx

<@ ./demo.xml

###

POST https://api.example.com/login HTTP/1.1
Content-Type: application/x-www-form-urlencoded

name=foo
&password=bar

@password = defined after use
`
	f := Parse("v.http", []byte(src))
	if len(f.Problems) > 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	wantVars := []Var{
		{"hostname", "api.example.com", 1}, {"port", "8080", 2}, {"host", "{{hostname}}:{{port}}", 3},
		{"contentType", "application/json", 4}, {"password", "defined after use", 40},
	}
	if !reflect.DeepEqual(f.Vars, wantVars) {
		t.Errorf("Vars = %+v", f.Vars)
	}
	type row struct{ name, method, url, version, body string }
	var got []row
	for _, r := range f.Requests {
		got = append(got, row{r.Name, r.Method, r.URL, r.Version, r.BodyText()})
	}
	want := []row{
		{"login", "POST", "https://{{host}}/login", "HTTP/1.1", `{"user": "a", "password": "{{password}}"}`},
		{"getProfile", "GET", "https://{{host}}/profile", "", ""},
		{"", "GET", "https://example.com/comments?page=2&pageSize=10", "", ""},
		{"", "POST", "https://example.com/comments", "HTTP/1.1", "<@ ./demo.xml"},
		// `@password = …` after a body, past a blank line, is a variable
		// (VS Code reads one on any line), not the end of the body.
		{"", "POST", "https://api.example.com/login", "HTTP/1.1", "name=foo\n&password=bar"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("requests\n got %q\nwant %q", got, want)
	}
}

func TestVariables(t *testing.T) {
	src := "GET {{base}}/a\n\n###\n@base = https://example.com\n@empty =\n@spaced=  x y  \nGET {{base}}/b\n"
	f := Parse("v.http", []byte(src))
	want := []Var{{"base", "https://example.com", 4}, {"empty", "", 5}, {"spaced", "x y", 6}}
	if !reflect.DeepEqual(f.Vars, want) || len(f.Requests) != 2 || len(f.Problems) > 0 {
		t.Errorf("Vars %+v, %d requests, problems %v", f.Vars, len(f.Requests), f.Problems)
	}
}

func TestKeyholeDirectives(t *testing.T) {
	src := `### Create item
# @provider demo
// @secret api_key
POST /api/items
Content-Type: application/json

{"name": "x"}

# @capture id = id
// @assert status == 201
# @assert body.name matches ^[a-z]+$
`
	r := parseOne(t, src)
	want := Request{
		Name: "Create item", Line: 4, Method: "POST", URL: "/api/items", Provider: "demo",
		Headers:  []Header{{"Content-Type", "application/json", 5}},
		Body:     []BodyPart{{Text: `{"name": "x"}`, Line: 7}},
		Captures: []Directive{{"id = id", 9}},
		Asserts:  []Directive{{"status == 201", 10}, {"body.name matches ^[a-z]+$", 11}},
		Secrets:  []string{"api_key"},
		End:      len(src),
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("\n got %+v\nwant %+v", r, want)
	}
}

// TestNotRun: what keyhole does not run is kept out of the request and
// reported once per kind per file, never an error.
func TestNotRun(t *testing.T) {
	src := `# @no-redirect
# @timeout 600
< {%
    request.variables.set("a", "1");
%}
GET https://example.com/a

> {%
    client.test("ok", function() {});
%}
<> ./2024-01-01T000000.200.json
>> ./out.json

###
# @no-redirect
< ./pre.js
GET https://example.com/b

> ./check.js
>>! ./out2.json
<> ./again.json

###
# @no-cookie-jar
// @note
# @prompt otp
POST https://example.com/c
Content-Type: text/plain

<@latin1 ./text.txt
> {% client.log("one line") %}
`
	f := Parse("n.http", []byte(src))
	if len(f.Problems) > 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	var urls []string
	for _, r := range f.Requests {
		urls = append(urls, r.URL+" "+r.BodyText())
	}
	if want := []string{"https://example.com/a ", "https://example.com/b ", "https://example.com/c <@ ./text.txt"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("requests %q, want %q", urls, want)
	}
	want := []NotRun{
		{1, "directive @no-redirect"},
		{2, "directive @timeout"},
		{3, "pre-request handler < {% … %}"},
		{8, "response handler > {% … %}"},
		{11, "response reference <> ./2024-01-01T000000.200.json"},
		{12, "output redirect >> ./out.json"},
		{16, "pre-request handler < ./pre.js"},
		{19, "response handler > ./check.js"},
		{24, "directive @no-cookie-jar"},
		{25, "directive @note"},
		{26, "directive @prompt"},
		{30, "file encoding <@latin1 (read as UTF-8)"},
	}
	if !reflect.DeepEqual(f.NotRun, want) {
		t.Errorf("NotRun\n got %v\nwant %v", f.NotRun, want)
	}
}

// TestProblems: a block that does not parse is reported at its line and
// the blocks around it load.
func TestProblems(t *testing.T) {
	for _, c := range []struct {
		name, block string
		line        int
		reason      string
	}{
		{"header without colon", "GET https://example.com/x\nAccept application/json\n", 5, "header line has no colon"},
		{"unknown method", "FETCH https://example.com/x\n", 4, "“FETCH” is not a method"},
		{"prose", "This file holds the user API\n", 4, "“This” is not a method"},
		{"method without URL", "DELETE\n", 4, "has a method and no URL"},
		{"bare word", "hello\n", 4, "not a request line"},
		{"space in a URL alone", "https://example.com/a b\n", 4, "a URL has no spaces"},
		{"comment after the URL", "GET https://example.com/a  # the list\n", 4, "a comment after the URL would be sent as part of it"},
		{"comment after a URL alone", "https://example.com/a // the list\n", 4, "a URL has no spaces"},
		{"header name with space", "GET https://example.com/x\nX Y: z\n", 5, "has a space or control character in it"},
		{"empty capture", "GET https://example.com/x\n\n# @capture\n", 6, "@capture needs NAME = PATH"},
		{"empty assert", "GET https://example.com/x\n# @assert\n", 5, "@assert needs an expression"},
		{"empty provider", "# @provider\nGET https://example.com/x\n", 4, "@provider needs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "GET https://example.com/before\n\n###\n" + c.block + "\n###\nGET https://example.com/after\n"
			src = strings.Replace(src, "###\n"+c.block, "### broken\n"+c.block, 1)
			f := Parse("dir/p.http", []byte(src))
			if len(f.Requests) != 2 || f.Requests[0].URL != "https://example.com/before" || f.Requests[1].URL != "https://example.com/after" {
				t.Errorf("requests %+v; want the two around the broken block", f.Requests)
			}
			if len(f.Problems) != 1 {
				t.Fatalf("problems %v; want one", f.Problems)
			}
			p := f.Problems[0]
			if p.Line != c.line || !strings.Contains(p.Reason, c.reason) || !strings.HasPrefix(p.Error(), "dir/p.http:") {
				t.Errorf("problem %q (line %d); want line %d and %q", p.Error(), p.Line, c.line, c.reason)
			}
		})
	}
}

func TestTrailingLinesOfABody(t *testing.T) {
	src := "POST https://example.com\n\n{}\n\n\n# about the next request\n\n###\nGET https://example.com\n\n// only a comment\n\n"
	f := Parse("t.http", []byte(src))
	if len(f.Requests) != 2 {
		t.Fatalf("%d requests", len(f.Requests))
	}
	if got := f.Requests[0].BodyText(); got != "{}" {
		t.Errorf("body %q, want {}", got)
	}
	if got := f.Requests[1].Body; got != nil {
		t.Errorf("a body of a comment is %+v, want none", got)
	}
}

// TestCRLF: a CRLF file reads as the LF one does, with its own offsets.
func TestCRLF(t *testing.T) {
	lf := "@h = x\n### one\nPOST https://example.com/{{h}}\n  ?a=1\nA: b\n\nbody 1\nbody 2\n\n###\n\nGET https://example.com/2\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, b := Parse("a", []byte(lf)), Parse("a", []byte(crlf))
	if len(a.Requests) != 2 || len(b.Requests) != 2 {
		t.Fatalf("requests %d and %d", len(a.Requests), len(b.Requests))
	}
	for i := range a.Requests {
		ra, rb := a.Requests[i], b.Requests[i]
		if what := differ(ra, rb); what != "" || ra.Line != rb.Line {
			t.Errorf("request %d: %s differs: %+v vs %+v", i, what, ra, rb)
		}
		if got := crlf[rb.Start:rb.End]; got != strings.ReplaceAll(lf[ra.Start:ra.End], "\n", "\r\n") {
			t.Errorf("request %d: CRLF block %q", i, got)
		}
	}
	if !reflect.DeepEqual(a.Vars, b.Vars) {
		t.Errorf("vars %v vs %v", a.Vars, b.Vars)
	}
}

// TestOffsets: Start and End cut the source into its blocks exactly, and
// lines count from 1 in both the first block (no ###) and later ones.
func TestOffsets(t *testing.T) {
	src := "# top\n@v = 1\nGET https://example.com/1\n\n### two\nGET https://example.com/2\n###\n# only a comment\n### three\n\n\nPUT https://example.com/3\n\nx"
	f := Parse("o.http", []byte(src))
	if len(f.Requests) != 3 {
		t.Fatalf("%d requests", len(f.Requests))
	}
	wantBlocks := []string{
		"# top\n@v = 1\nGET https://example.com/1\n\n",
		"### two\nGET https://example.com/2\n",
		"### three\n\n\nPUT https://example.com/3\n\nx",
	}
	wantLines := []int{3, 6, 12}
	for i, r := range f.Requests {
		if got := src[r.Start:r.End]; got != wantBlocks[i] || r.Line != wantLines[i] {
			t.Errorf("request %d: block %q line %d; want %q line %d", i, got, r.Line, wantBlocks[i], wantLines[i])
		}
	}
	if b := f.Requests[2].Body; len(b) != 1 || b[0].Text != "x" || b[0].Line != 14 {
		t.Errorf("last body %+v", b)
	}
}

func TestEmptyAndOdd(t *testing.T) {
	for _, src := range []string{"", "\n", "###", "###\n###\n", "# just a comment\n", "@a = 1", "\r\n\r\n", "> {%\n", "< {%"} {
		f := Parse("e.http", []byte(src))
		if len(f.Requests) != 0 || len(f.Problems) != 0 {
			t.Errorf("Parse(%q) = %+v", src, f)
		}
	}
}

func TestMethods(t *testing.T) {
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"} {
		for _, written := range []string{m, strings.ToLower(m)} {
			r := parseOne(t, written+" https://example.com/x HTTP/1.1\n")
			if r.Method != m || r.URL != "https://example.com/x" || r.Version != "HTTP/1.1" {
				t.Errorf("%s: %+v", written, r)
			}
		}
	}
	// A URL alone is GET, relative or with {{variables}}, and a URL that
	// starts with HTTP/ is not a version.
	for src, url := range map[string]string{
		"/api/items\n":                     "/api/items",
		"{{host}}/a\n":                     "{{host}}/a",
		"localhost:8080/a HTTP/1.1\n":      "localhost:8080/a",
		"GET HTTP/\n":                      "HTTP/",
		"GET {{$randomInt 1 10}} HTTP/2\n": "{{$randomInt 1 10}}",
	} {
		if r := parseOne(t, src); r.Method != "GET" || r.URL != url {
			t.Errorf("%q: %s %q", src, r.Method, r.URL)
		}
	}
}

// TestHandlerRightAfterHeaders: a handler needs no blank line before it.
func TestHandlerRightAfterHeaders(t *testing.T) {
	f := Parse("h.http", []byte("GET https://example.com\nAccept: */*\n> {% client.log(1) %}\n# @assert status == 200\n"))
	if len(f.Requests) != 1 || len(f.Requests[0].Headers) != 1 || len(f.Requests[0].Asserts) != 1 || len(f.NotRun) != 1 {
		t.Errorf("%+v", f)
	}
}

// TestTerminalPayload: what a file says is quoted in problems and
// not-run notes with nothing a terminal would act on.
func TestTerminalPayload(t *testing.T) {
	src := "GET https://example.com/" + attack.Payload + "\n\n###\nFETCH" + attack.Payload + " /x\n\n###\n" +
		"GET https://example.com\n\n<> ./" + attack.Payload + "\n>> " + attack.Payload + "\n# @x" + attack.Payload + "\n"
	f := Parse("evil"+attack.Payload+".http", []byte(src))
	if len(f.Problems) != 2 || len(f.Requests) != 1 || len(f.NotRun) != 3 {
		t.Fatalf("%d problems, %d requests, %d not run", len(f.Problems), len(f.Requests), len(f.NotRun))
	}
	var shown []string
	for _, p := range f.Problems {
		shown = append(shown, p.Error())
	}
	for _, n := range f.NotRun {
		shown = append(shown, n.What)
	}
	for _, s := range shown {
		if i, r := attack.Unsafe(s, ""); i >= 0 {
			t.Errorf("%q holds %U at %d", s, r, i)
		}
		if !strings.Contains(s, attack.PayloadShown) {
			t.Errorf("%q does not show the payload", s)
		}
	}
}
