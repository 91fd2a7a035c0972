package spec

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// FuzzValidate feeds an arbitrary schema and body to the validator: no
// panic, no hang, never more findings than the limit, each with a path.
func FuzzValidate(f *testing.F) {
	f.Add(`{"type":["string","null"],"format":"date-time"}`, `"2024-01-01T00:00:00Z"`)
	f.Add(`{"oneOf":[{"$ref":"#/components/schemas/A"},{"type":"integer"}]}`, `{"a":[1,2,3]}`)
	f.Add(`{"$ref":"#"}`, `[[[]]]`)
	f.Add(`{"properties":{"a":{"pattern":"(?=x)"}},"additionalProperties":false,"required":["b"]}`, `{"a":"x","c":1}`)
	f.Add(`{"prefixItems":[{"const":1}],"items":{"multipleOf":0.01},"uniqueItems":true,"maxItems":1}`, `[1,2.5,2.5]`)
	f.Add(`{"$defs":{"x":{"not":{"$ref":"#/$defs/x"}}},"$ref":"#/$defs/x"}`, `null`)
	f.Fuzz(func(t *testing.T, schema, body string) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("no answer in 10 s for %q %q", schema, body)) })
		defer watchdog.Stop()
		doc := `{"openapi":"3.1.0","components":{"schemas":{"A":{"properties":{"a":{"$ref":"#/components/schemas/A"}}}}},"x-test":` + schema + `}`
		if checkJSON("fuzz", []byte(doc)) != nil {
			return
		}
		d := newDoc("fuzz", []byte(doc))
		r := validate(d, false, d.root.Get("x-test"), []byte(body), func(s string) string { return s })
		if len(r.Findings) > MaxFindings {
			t.Fatalf("%d findings, over the limit", len(r.Findings))
		}
		for _, f := range r.Findings {
			if !strings.HasPrefix(f.Path, "$") || f.Rule == "" || f.Message == "" {
				t.Fatalf("finding %+v lacks a path, rule or message", f)
			}
		}
	})
}
