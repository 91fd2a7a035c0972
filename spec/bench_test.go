package spec

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

var (
	githubOnce sync.Once
	githubJSON []byte
)

// github is the GitHub-shaped spec, generated once per test binary.
func github() []byte {
	githubOnce.Do(func() { githubJSON = spectest.JSON(spectest.GitHub()) })
	return githubJSON
}

// BenchmarkIndexCold lists the operations of a GitHub-sized spec from its
// bytes: one gjson pass.
func BenchmarkIndexCold(b *testing.B) {
	data := github()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		ix, err := BuildIndex("github.json", data)
		if err != nil || len(ix.Operations) != 1200 {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCold is Load of a GitHub-sized file with an empty cache:
// read, hash, index, and write the index to the cache.
func BenchmarkLoadCold(b *testing.B) {
	path := writeGitHub(b)
	for b.Loop() {
		b.StopTimer()
		cacheDir := b.TempDir()
		b.StartTimer()
		s, err := Load(context.Background(), path, Options{CacheDir: cacheDir})
		if err != nil || s.IndexCached {
			b.Fatal(err)
		}
	}
	reportPeak(b)
}

// BenchmarkLoadCached is Load of the same file the second time: read,
// hash, and the index from the cache.
func BenchmarkLoadCached(b *testing.B) {
	path := writeGitHub(b)
	cacheDir := b.TempDir()
	if _, err := Load(context.Background(), path, Options{CacheDir: cacheDir}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := Load(context.Background(), path, Options{CacheDir: cacheDir})
		if err != nil || !s.IndexCached {
			b.Fatal(err)
		}
	}
	reportPeak(b)
}

// BenchmarkYAMLToJSON converts the GitHub-sized spec written as YAML.
func BenchmarkYAMLToJSON(b *testing.B) {
	data := spectest.YAML(spectest.GitHub())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := YAMLToJSON("github.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFilterKeystroke ranks the 1,200 operations against a growing
// filter, one keystroke per iteration, as the picker does.
func BenchmarkFilterKeystroke(b *testing.B) {
	ix, err := BuildIndex("github.json", github())
	if err != nil {
		b.Fatal(err)
	}
	ix.Match(nil)
	typed := []string{"i", "is", "iss", "issu", "issue", "issue c", "issue co", "issue com"}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.Match([]string{typed[i%len(typed)]})
		i++
	}
}

// BenchmarkSkeleton fills the composer for every operation with a body.
func BenchmarkSkeleton(b *testing.B) {
	path := writeGitHub(b)
	s, err := Load(context.Background(), path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var ops []*Operation
	for i := range s.Index.Operations {
		if s.Index.Operations[i].Body != nil {
			ops = append(ops, &s.Index.Operations[i])
		}
	}
	s.Skeleton(ops[0])
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if sk := s.Skeleton(ops[i%len(ops)]); sk.Body == "" {
			b.Fatal("no body")
		}
		i++
	}
}

func writeGitHub(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "github.json")
	if err := os.WriteFile(path, github(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// reportPeak reports the heap in use after a load, with the index alive,
// and the process's peak resident set (VmHWM, Linux only).
func reportPeak(b *testing.B) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peakRSS-MB")
	}
}

// BenchmarkLoad73MB loads a spec the size of GitHub's dereferenced
// description (about 73 MB), cold, and reports the peak resident set.
// Run it alone (-bench Load73MB) for a peak that is its own.
func BenchmarkLoad73MB(b *testing.B) {
	o := spectest.GitHubDereferenced()
	path := filepath.Join(b.TempDir(), "deref.json")
	data := spectest.JSON(o)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(data))/(1<<20), "spec-MB")
	data = nil
	for b.Loop() {
		b.StopTimer()
		cacheDir := b.TempDir()
		runtime.GC()
		b.StartTimer()
		s, err := Load(context.Background(), path, Options{CacheDir: cacheDir})
		if err != nil || len(s.Index.Operations) != 1200 {
			b.Fatal(err)
		}
		s.Index.Match([]string{"issue"})
		if sk := s.Skeleton(&s.Index.Operations[1]); sk.Body == "" {
			b.Fatal("no skeleton")
		}
	}
	reportPeak(b)
}
