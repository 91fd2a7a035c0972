package spec

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// TestLoadReadsOnce loads a spec from a file and counts the bytes
// allocated: the file is read into one buffer of its size, not grown by
// doubling (io.ReadAll's way), whose copying and zeroing was most of the
// time of a start with the index cached.
func TestLoadReadsOnce(t *testing.T) {
	o := spectest.Options{Operations: 200, Schemas: 20, Depth: 3, Version: "3.0.3", Example: 40_000}
	data := spectest.JSON(o)
	dir := t.TempDir()
	path := filepath.Join(dir, "big.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var s Spec
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := s.readFile(path, Options{MaxSize: DefaultMaxSize}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if string(s.data) != string(data) {
		t.Fatal("the bytes read are not the file's")
	}
	if got, most := after.TotalAlloc-before.TotalAlloc, uint64(len(data))*5/4; got > most {
		t.Errorf("reading a %d-byte spec allocated %d bytes: want at most %d", len(data), got, most)
	}

	// And a whole Load still works on it, the cache cold then warm.
	for range 2 {
		l, err := Load(context.Background(), path, Options{CacheDir: filepath.Join(dir, "cache")})
		if err != nil || len(l.Index.Operations) != 200 {
			t.Fatalf("Load: %v", err)
		}
	}
}
