package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSplitSpecFolderSwappedForALink: a folder of a split spec swapped
// for a symbolic link out of the spec's folder between the look at where
// it leads and the open — by whoever else writes there — does not get
// what lies outside read into the join.
func TestSplitSpecFolderSwappedForALink(t *testing.T) {
	dir := t.TempDir()
	const n = 100
	files := map[string]string{}
	var main strings.Builder
	main.WriteString("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  examples:\n")
	for i := range n {
		name := fmt.Sprintf("f%d.yml", i)
		files["api/shared/"+name] = "value: inside\n"
		files["home/"+name] = "value: s3cret-outside\n"
		fmt.Fprintf(&main, "    e%d: {$ref: 'shared/%s'}\n", i, name)
	}
	files["api/openapi.yaml"] = main.String()
	writeFiles(t, dir, files)
	shared := filepath.Join(dir, "api", "shared")
	real, link := filepath.Join(dir, "api", "shared.real"), filepath.Join(dir, "api", "shared.link")
	if err := os.Symlink(filepath.Join(dir, "home"), link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	data := []byte(main.String())
	path := filepath.Join(dir, "api", "openapi.yaml")

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		// The folder and the link trade places, over and over.
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = os.Rename(shared, real)
			_ = os.Rename(link, shared)
			_ = os.Rename(shared, link)
			_ = os.Rename(real, shared)
		}
	}()
	defer func() {
		close(stop)
		wg.Wait()
	}()
	deadline := time.Now().Add(time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		js, _, err := bundle(path, data, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(js), "s3cret") {
			t.Fatalf("join %d read a file through the link", i)
		}
	}
}

// TestSplitSpecLinkInsideWithAnAbsoluteTarget: a folder of a split spec
// that is a link to another folder inside the spec's, written with an
// absolute target (as `ln -s "$PWD/common" shared` makes it), is
// followed: os.Root, which opens the files, follows no absolute link.
func TestSplitSpecLinkInsideWithAnAbsoluteTarget(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"api/common/x.yml": "value: inside-value\n",
		"api/openapi.yaml": "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  examples:\n    e: {$ref: 'shared/x.yml'}\n",
	})
	if err := os.Symlink(filepath.Join(dir, "api", "common"), filepath.Join(dir, "api", "shared")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	path := filepath.Join(dir, "api", "openapi.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	js, note, err := bundle(path, data, 1<<20)
	if err != nil || note != "" || !strings.Contains(string(js), "inside-value") {
		t.Errorf("joined %s, note %q, error %v; want the file through the link", js, note, err)
	}
}
