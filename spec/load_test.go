package spec

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/spec/spectest"
)

// TestLoadFile reads a spec relative to the config's folder, caches its
// index by the bytes' hash and reads it back unchanged.
func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "conf")
	cacheDir := filepath.Join(dir, "cache", "keyhole")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "pets.yaml"), readTestdata(t, "pets31.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := Options{CacheDir: cacheDir, Resolve: func(p string) (string, error) { return filepath.Join(cfgDir, p), nil }}
	first, err := Load(context.Background(), "pets.yaml", o)
	if err != nil {
		t.Fatal(err)
	}
	if first.IndexCached || len(first.Index.Operations) != 2 {
		t.Fatalf("first load: cached %v, %d operations", first.IndexCached, len(first.Index.Operations))
	}
	second, err := Load(context.Background(), "pets.yaml", o)
	if err != nil {
		t.Fatal(err)
	}
	if !second.IndexCached || second.Index.Operations[0].ID != "addVisit" {
		t.Fatalf("second load: cached %v, %+v", second.IndexCached, second.Index.Operations)
	}
	// The skeleton works from the cached conversion.
	if sk := second.Skeleton(&second.Index.Operations[0]); !strings.Contains(sk.Body, `"kind": "checkup"`) {
		t.Errorf("skeleton from the cache: %+v", sk)
	}
	checkModes(t, cacheDir)
}

// checkModes fails unless the cache folders are 0700 and their files 0600.
func checkModes(t *testing.T, cacheDir string) {
	t.Helper()
	err := filepath.WalkDir(cacheDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", path, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadFileRefused: a link, a FIFO, a folder and a file over the limit
// are refused with a message naming the file; none hangs.
func TestLoadFileRefused(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(spec, readTestdata(t, "petstore30.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(spec, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		max  int64
		want string
	}{
		{link, 0, "link.json: cannot read the spec: not a regular file: it is a symbolic link"},
		{fifo, 0, "fifo.json: cannot read the spec: not a regular file (a FIFO)"},
		{dir, 0, "cannot read the spec: not a regular file (a folder)"},
		{filepath.Join(dir, "missing.json"), 0, "missing.json: cannot read the spec: open"},
		{spec, 1 << 10, "spec.json: the spec is larger than the 1 MB limit"},
	} {
		_, err := Load(context.Background(), c.path, Options{MaxSize: c.max})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.path, err, c.want)
		}
	}
}

// TestCacheLinkRefused: a link planted as the cache folder is refused, and
// one planted at a cached file's name is replaced, never written through.
func TestCacheLinkRefused(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(dir, "cache")
	if err := os.Symlink(target, cacheDir); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(spec, readTestdata(t, "petstore30.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(context.Background(), spec, Options{CacheDir: cacheDir})
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link, which keyhole does not follow") {
		t.Fatalf("err = %v", err)
	}

	// A link at the index's name: replaced by the real file.
	realCache := filepath.Join(dir, "real")
	if _, err := Load(context.Background(), spec, Options{CacheDir: realCache}); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(realCache, "specs", "index-*.json"))
	if len(names) != 1 {
		t.Fatalf("index files: %v", names)
	}
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(names[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, names[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), spec, Options{CacheDir: realCache}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
	if fi, err := os.Lstat(names[0]); err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		t.Errorf("the link is still there: %v", err)
	}
}

func TestLoadURL(t *testing.T) {
	petstore := readTestdata(t, "petstore30.json")
	srv := spectest.NewServer(t, petstore, "/openapi.json")
	cacheDir := filepath.Join(t.TempDir(), "keyhole")
	o := Options{Client: noRedirects(), CacheDir: cacheDir}
	url := srv.URL + "/openapi.json"

	first, err := Load(context.Background(), url, o)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Downloaded || first.IndexCached || len(first.Index.Operations) != 4 {
		t.Fatalf("first: downloaded %v, index cached %v", first.Downloaded, first.IndexCached)
	}
	if h := srv.Last(t).Header.Get("If-None-Match"); h != "" {
		t.Errorf("first request conditional: %q", h)
	}

	// The second load asks with the validator, is told nothing changed,
	// and parses nothing.
	second, err := Load(context.Background(), url, o)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Last(t).Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("second request not conditional: %v", srv.Last(t).Header)
	}
	if second.Downloaded || !second.Revalidated || !second.IndexCached || len(second.Notes) != 0 {
		t.Errorf("second: %+v", second)
	}

	// A changed spec is downloaded again.
	srv.SetSpec([]byte(strings.Replace(string(petstore), "listPets", "listAllPets", 1)), `"v2"`)
	third, err := Load(context.Background(), url, o)
	if err != nil {
		t.Fatal(err)
	}
	if !third.Downloaded || third.IndexCached || third.Index.Operations[0].ID != "listAllPets" {
		t.Errorf("third: downloaded %v, cached %v, %s", third.Downloaded, third.IndexCached, third.Index.Operations[0].ID)
	}

	// Unreachable: the cached copy, said so.
	srv.Close()
	fourth, err := Load(context.Background(), url, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(fourth.Notes) != 1 || !strings.Contains(fourth.Notes[0], "cannot be reached") || !strings.Contains(fourth.Notes[0], "using the copy cached") ||
		fourth.Index.Operations[0].ID != "listAllPets" {
		t.Errorf("fourth: %+v", fourth.Notes)
	}
	checkModes(t, cacheDir)

	// Unreachable with nothing cached: an error wrapping ErrUnreachable.
	_, err = Load(context.Background(), url, Options{Client: noRedirects(), CacheDir: t.TempDir()})
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "and no copy is cached") {
		t.Errorf("nothing cached: %v", err)
	}
}

func TestLoadURLRefused(t *testing.T) {
	srv := spectest.NewServer(t, readTestdata(t, "petstore30.json"), "/openapi.json")
	o := Options{Client: noRedirects(), CacheDir: t.TempDir(), MaxSize: 1 << 10}
	for _, c := range []struct{ path, want string }{
		{"/moved.json", "moved.json: moved to " + srv.URL + "/openapi.json: use that URL"},
		{"/broken.json", "broken.json: answered 502 Bad Gateway, and no copy is cached"},
		{"/openapi.json", "openapi.json: the spec is larger than the 1 MB limit"},
	} {
		_, err := Load(context.Background(), srv.URL+c.path, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.path, err, c.want)
		}
	}
}

// TestLoadURLToken: the token goes with a spec URL on the API's origin
// only; another port on the same host is another origin.
func TestLoadURLToken(t *testing.T) {
	api := spectest.NewServer(t, readTestdata(t, "petstore30.json"), "/openapi.json")
	other := spectest.NewServer(t, readTestdata(t, "petstore30.json"), "/openapi.json")
	asked := 0
	o := Options{Client: noRedirects(), TokenOrigin: api.URL + "/v1", Authorize: func(r *http.Request) error {
		asked++
		r.Header.Set("Authorization", "Bearer sekret")
		return nil
	}}
	if _, err := Load(context.Background(), other.URL+"/openapi.json", o); err != nil {
		t.Fatal(err)
	}
	if asked != 0 || other.Last(t).Header.Get("Authorization") != "" {
		t.Fatalf("token sent to another origin (asked %d times)", asked)
	}
	if _, err := Load(context.Background(), api.URL+"/openapi.json", o); err != nil {
		t.Fatal(err)
	}
	if asked != 1 || api.Last(t).Header.Get("Authorization") != "Bearer sekret" {
		t.Fatalf("no token on the API's origin (asked %d times)", asked)
	}
}

// noRedirects is a client like the provider's: it follows no redirect.
func noRedirects() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
