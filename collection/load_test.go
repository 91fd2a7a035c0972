package collection

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCollection writes files .http files of per requests each under dir,
// spread over a few subfolders as a team's repository would have them.
func writeCollection(t testing.TB, dir string, files, per int) {
	t.Helper()
	for i := range files {
		sub := filepath.Join(dir, fmt.Sprintf("area%d", i%8))
		if err := os.MkdirAll(sub, 0o700); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("@base = https://api.example.com\n\n")
		for j := range per {
			fmt.Fprintf(&b, "### item %d.%d\n# @provider demo-cc\nPOST {{base}}/api/items\nContent-Type: application/json\n\n{\"name\": \"n%d\"}\n\n# @assert status == 201\n\n", i, j, j)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%03d.http", i)), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFilesAndLoad(t *testing.T) {
	dir := t.TempDir()
	writeCollection(t, dir, 12, 3)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a collection"), 0o600)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o700)
	os.WriteFile(filepath.Join(dir, ".git", "x.http"), []byte("GET https://x\n"), 0o600)
	if err := os.Symlink(filepath.Join(dir, "area0", "f000.http"), filepath.Join(dir, "link.http")); err != nil {
		t.Fatal(err)
	}
	paths, err := Files(dir, []string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 12 {
		t.Fatalf("a folder: %d files, want 12 (no .txt, nothing under .git, no link): %v", len(paths), paths)
	}
	files, errs := Load(paths)
	if len(errs) > 0 || len(files) != 12 || len(files[0].Requests) != 3 {
		t.Fatalf("Load: %d files, %v", len(files), errs)
	}
	if got, err := Files(dir, []string{"area1/*.http", "area1/f001.http"}); err != nil || len(got) != 2 {
		t.Errorf("a glob and a file it already matched: %v, %v", got, err)
	}
	for _, bad := range []string{"link.http", "missing.http", "nothing/*.http"} {
		if _, err := Files(dir, []string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("Files(%q): %v, want an error naming it", bad, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "link.http")); err == nil {
		t.Error("Read followed a link")
	}
}

// BenchmarkLoad finds and parses a collection of 5,000 requests in 200
// files, the figure (budget: 300 ms to load).
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	writeCollection(b, dir, 200, 25)
	b.ReportAllocs()
	for b.Loop() {
		paths, err := Files(dir, []string{"."})
		if err != nil || len(paths) != 200 {
			b.Fatal(len(paths), err)
		}
		files, errs := Load(paths)
		if len(errs) > 0 || len(files) != 200 {
			b.Fatal(errs)
		}
	}
	b.ReportMetric(float64((b.Elapsed()/time.Duration(b.N)).Microseconds())/1000, "ms/5000req")
}
