package spec

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzSplitSpec feeds arbitrary text, as the main file of a split spec,
// to what joins the files: $refs to a file beside it, to itself, to
// cycles across the two, to places that do not exist or lie outside the
// folder. No panic, no hang, and what is joined is JSON that indexes as
// any spec does.
func FuzzSplitSpec(f *testing.F) {
	dir := f.TempDir()
	side := "a: {$ref: 'main.yaml#/components/x'}\nb: {$ref: '#/a'}\nc: {items: {$ref: 'side.yml#/c'}}\nd: [1, {$ref: '../x.yml'}]\n"
	if err := os.WriteFile(filepath.Join(dir, "side.yml"), []byte(side), 0o600); err != nil {
		f.Fatal(err)
	}
	main := filepath.Join(dir, "main.yaml")
	f.Add([]byte("openapi: 3.0.3\npaths:\n  /a:\n    get: {$ref: side.yml#/c}\n    post: {$ref: 'side.yml#/b'}\ncomponents: {x: {$ref: 'side.yml#/a'}}\n"))
	f.Add([]byte(`{"openapi":"3.1.0","paths":{"/a/{b}":{"$ref":"side.yml#/d/1"}},"x":{"$ref":"./side.yml#/d/0"}}`))
	f.Add([]byte("a: &a {$ref: side.yml, b: *a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("no answer in 10 s for %q", data)) })
		defer watchdog.Stop()
		js, _, err := bundle(main, data, 1<<20)
		if err != nil {
			return
		}
		if !json.Valid(js) {
			t.Fatalf("joined spec is not JSON: %q", js)
		}
		if err := os.WriteFile(main, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if s, err := Load(context.Background(), main, Options{MaxSize: 1 << 20}); err == nil {
			for i := range s.Index.Operations {
				if i == 20 {
					break
				}
				s.Skeleton(&s.Index.Operations[i])
			}
		}
	})
}
