package httpfile

import (
	"strings"
	"testing"
)

// TestFormatRoundTrip: every request of a file full of constructs,
// formatted, reads back the same.
func TestFormatRoundTrip(t *testing.T) {
	src := `### Create item
# @provider demo
# @secret api_key
POST {{host}}/api/items?x=1 HTTP/1.1
Content-Type: multipart/form-data; boundary=B
X-Api-Key: {{api_key}}

--B
Content-Disposition: form-data; name="f"; filename="a.txt"

< ./a.txt
--B
Content-Disposition: form-data; name="g"

<@ ./g.json
--B--

# @capture id = id
# @assert status == 201

###
# @name ##odd name
https://example.com
    ?a=1

###
DELETE /api/items/{{id}}
# @assert status == 204
`
	f := Parse("r.http", []byte(src))
	if len(f.Requests) != 3 || len(f.Problems) > 0 {
		t.Fatalf("%d requests, problems %v", len(f.Requests), f.Problems)
	}
	for _, r := range f.Requests {
		out := Format(r)
		back := Parse("r.http", out)
		if len(back.Requests) != 1 || len(back.Problems) > 0 {
			t.Fatalf("Format(%s) = %q reads back as %+v", r.Name, out, back)
		}
		if what := differ(r, back.Requests[0]); what != "" {
			t.Errorf("Format(%s) = %q: %s differs", r.Name, out, what)
		}
		if err := Check(r); err != nil {
			t.Errorf("Check(%s) = %v", r.Name, err)
		}
	}
	want := "### Create item\n# @provider demo\n# @secret api_key\nPOST {{host}}/api/items?x=1 HTTP/1.1\n" +
		"Content-Type: multipart/form-data; boundary=B\nX-Api-Key: {{api_key}}\n\n" +
		"--B\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\n\n< ./a.txt\n--B\n" +
		"Content-Disposition: form-data; name=\"g\"\n\n<@ ./g.json\n--B--\n# @capture id = id\n# @assert status == 201\n"
	if got := string(Format(f.Requests[0])); got != want {
		t.Errorf("Format =\n%s\nwant\n%s", got, want)
	}
}

// TestCheck: a composed request that would not read back as written is
// refused, naming the part.
func TestCheck(t *testing.T) {
	base := Request{Method: "POST", URL: "https://example.com/x"}
	for _, c := range []struct {
		name string
		edit func(*Request)
		want string // "" = fine
	}{
		{"plain", func(r *Request) {}, ""},
		{"named, with a body", func(r *Request) {
			r.Name = "Make one"
			r.Headers = []Header{{Name: "A", Value: "b"}}
			r.Body = []BodyPart{{Text: "{\n  \"a\": 1\n}"}}
		}, ""},
		{"comment after the URL", func(r *Request) { r.URL = "https://example.com/a # b" }, "would not read back"},
		{"newline in a header value", func(r *Request) { r.Headers = []Header{{Name: "A", Value: "b\nC: d"}} }, "headers"},
		{"separator in the body", func(r *Request) { r.Body = []BodyPart{{Text: "a\n### b"}} }, "body"},
		{"handler in the body", func(r *Request) { r.Body = []BodyPart{{Text: "a\n> b"}} }, "body"},
		{"trailing comment in the body", func(r *Request) { r.Body = []BodyPart{{Text: "a\n# b"}} }, "body"},
		{"comment line in the body", func(r *Request) { r.Body = []BodyPart{{Text: "a\n// b\nc"}} }, "body"},
		{"newline in the name", func(r *Request) { r.Name = "a\nb" }, "would not read back"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := base
			c.edit(&r)
			err := Check(r)
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("Check = %v; want %q", err, c.want)
			}
		})
	}
}
