package spec

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzIndex feeds arbitrary text to what reads spec text of our own: the
// YAML conversion, the index pass and the body skeleton of every
// operation. None may panic or hang, and a skeleton's body is JSON.
func FuzzIndex(f *testing.F) {
	for _, name := range []string{"petstore30.json", "pets31.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"openapi":"3.1.0","paths":{"/a/{b}":{"post":{"requestBody":{"content":{"application/json":{"schema":{"$ref":"#"}}}}}}}}`))
	f.Add([]byte("openapi: 3.0.0\npaths:\n  /a:\n    get: &x\n      parameters: [*x]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang would only stall the fuzzer; a panic makes it keep
		// the input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("no answer in 10 s for %q", data)) })
		defer watchdog.Stop()
		s, err := Parse("fuzz", data)
		if err != nil {
			return
		}
		for i := range s.Index.Operations {
			if i == 50 {
				break
			}
			sk := s.Skeleton(&s.Index.Operations[i])
			if sk.Body != "" && !json.Valid([]byte(sk.Body)) {
				t.Fatalf("skeleton body is not JSON: %q", sk.Body)
			}
		}
		s.Index.Match([]string{"a"})
	})
}
