package httpfile

import (
	"bytes"
	"testing"
)

// FuzzParse: Parse never panics; every request's block is within the
// source, in order and not overlapping the next; lines are within the
// file; and, for a source without a lone carriage return, every request
// formatted reads back the same (Format's promise).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		odd,
		"GET https://example.com\n",
		"### a\n# @name b\n# @provider p\nPOST /x HTTP/1.1\nA: b\n\n{}\n# @capture id = id\n# @assert status == 201\n",
		"@v = 1\nhttps://example.com\n  ?a=1\n  &b=2 HTTP/2\n",
		"POST /u\nContent-Type: multipart/form-data; boundary=B\n\n--B\n\n< ./f\n--B--\n> {%\n%}\n<> ./r.json\n>> o\n",
		"< {%\nx\n%}\nGET /a\n###\nFETCH /b\n###\nGET /c\nbad header\n",
		"GET {{ $randomInt 1 10 }} HTTP/1.1\r\n\r\nbody\r\n",
		"###\n# @name ##x\nGET /\n\n<@latin1 ./t\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse("f.http", src)
		nlines := bytes.Count(src, []byte("\n")) + 1
		prevEnd := 0
		for _, r := range file.Requests {
			if r.Start < prevEnd || r.Start > r.End || r.End > len(src) {
				t.Fatalf("request at %d..%d after %d in %d bytes", r.Start, r.End, prevEnd, len(src))
			}
			prevEnd = r.End
			if r.Line < 1 || r.Line > nlines {
				t.Fatalf("request line %d of %d", r.Line, nlines)
			}
			for _, h := range r.Headers {
				if h.Line <= r.Line || h.Line > nlines {
					t.Fatalf("header line %d, request line %d", h.Line, r.Line)
				}
			}
			for _, p := range r.Body {
				if p.Line <= r.Line || p.Line > nlines {
					t.Fatalf("body line %d, request line %d", p.Line, r.Line)
				}
			}
			if bytes.ContainsRune(src, '\r') {
				continue
			}
			back := Parse("f.http", Format(r))
			if len(back.Requests) != 1 {
				t.Fatalf("Format(%+v) = %q reads back as %d requests, %v", r, Format(r), len(back.Requests), back.Problems)
			}
			if what := differ(r, back.Requests[0]); what != "" {
				t.Fatalf("Format(%+v) = %q: %s reads back as %+v", r, Format(r), what, back.Requests[0])
			}
		}
		for _, p := range file.Problems {
			if p.Line < 1 || p.Line > nlines {
				t.Fatalf("problem line %d of %d", p.Line, nlines)
			}
		}
		for _, n := range file.NotRun {
			if n.Line < 1 || n.Line > nlines {
				t.Fatalf("not-run line %d of %d", n.Line, nlines)
			}
		}
	})
}
