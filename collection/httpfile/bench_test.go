package httpfile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchFiles makes n files of per requests each, of the shapes people
// write: variables, names, headers, JSON bodies, checks and a handler.
func benchFiles(n, per int) [][]byte {
	files := make([][]byte, n)
	for i := range files {
		var b strings.Builder
		fmt.Fprintf(&b, "@host = https://api%d.example.com\n@token = {{$auth.token(\"p%d\")}}\n\n", i, i)
		for j := range per {
			fmt.Fprintf(&b, "### Request %d of file %d\n# @provider p%d\n", j, i, i)
			if j%2 == 0 {
				fmt.Fprintf(&b, "GET {{host}}/api/items/%d\n    ?page=%d\n    &size=50 HTTP/1.1\nAccept: application/json\nAuthorization: Bearer {{token}}\n\n# @assert status == 200\n# @capture id%d = items.0.id\n\n", j, j, j)
			} else {
				fmt.Fprintf(&b, "POST {{host}}/api/items\nContent-Type: application/json\nAuthorization: Bearer {{token}}\n\n{\n  \"name\": \"item %d\",\n  \"tags\": [\"a\", \"b\"],\n  \"count\": %d\n}\n\n> {%%\n  client.global.set(\"id\", response.body.id);\n%%}\n\n", j, j)
			}
		}
		files[i] = []byte(b.String())
	}
	return files
}

// BenchmarkParse parses 200 files of 25 requests each, the 5,000
// requests in 200 files, per iteration; it reports the time per file and
// for all 5,000 requests (the load budget for the whole collection is
// 300 ms, of which parsing is one part).
func BenchmarkParse(b *testing.B) {
	files := benchFiles(200, 25)
	size := 0
	for _, f := range files {
		size += len(f)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range files {
			if got := Parse("f.http", f); len(got.Requests) != 25 || len(got.Problems) > 0 {
				b.Fatalf("file %d: %d requests, %v", i, len(got.Requests), got.Problems)
			}
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Nanoseconds())/200, "ns/file")
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/5000req")
}
