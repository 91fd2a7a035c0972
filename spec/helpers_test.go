package spec

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The helpers the index, skeleton and load tests share.

// readTestdata returns the bytes of a testdata file.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadTestdata loads a testdata spec through Load, without a cache.
func loadTestdata(t *testing.T, name string) *Spec {
	t.Helper()
	return loadFile(t, filepath.Join("testdata", name), Options{})
}

// loadDoc writes doc to a file of its own and loads it through Load.
func loadDoc(t *testing.T, doc string) *Spec {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return loadFile(t, path, Options{})
}

// loadFile loads the spec at path through Load with o; t fails if it
// cannot.
func loadFile(t *testing.T, path string, o Options) *Spec {
	t.Helper()
	s, err := Load(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
