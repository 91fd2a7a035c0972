package httpfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// odd is a file holding other requests, comments, handlers, a CRLF line,
// trailing spaces, a tab and no final newline: Append keeps all of it.
const odd = "# team requests  \n@host = https://example.com\r\n\n### List\nGET {{host}}/items\t\n\n" +
	"> {%\n  client.global.set(\"x\", response.body.x);\n%}\n\n\n// a note at the end   \n###   \n   "

func TestAppendKeepsTheFile(t *testing.T) {
	block := Format(Request{Name: "Create", Method: "POST", URL: "{{host}}/items", Provider: "demo",
		Headers: []Header{{Name: "Content-Type", Value: "application/json"}},
		Body:    []BodyPart{{Text: `{"a": 1}`}}})
	for _, c := range []struct {
		name, old, sep string
	}{
		{"no final newline", odd, "\n"},
		{"final newline", odd + "\n", ""},
		{"CRLF ending", "GET https://example.com\r\n", ""},
		{"empty file", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "api.http")
			if err := os.WriteFile(path, []byte(c.old), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := Append(path, block); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.old + c.sep + string(block); string(got) != want {
				t.Fatalf("file after Append\n got %q\nwant %q", got, want)
			}
			if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v; want the file's own 0644 kept", fi.Mode())
			}
			f := Parse(path, got)
			last := f.Requests[len(f.Requests)-1]
			if last.Name != "Create" || last.Provider != "demo" || last.BodyText() != `{"a": 1}` {
				t.Errorf("the appended request reads back as %+v", last)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".keyhole-*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
		})
	}
}

func TestAppendNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.http")
	if err := Append(path, []byte("### a\nGET https://example.com")); err != nil {
		t.Fatal(err)
	}
	if err := Append(path, []byte("### b\nGET https://example.com/b\n")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "### a\nGET https://example.com\n### b\nGET https://example.com/b\n"; string(got) != want {
		t.Errorf("new file %q, want %q", got, want)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", fi.Mode())
	}
}

// TestAppendRefuses: a symbolic link (to a file or dangling) or a folder
// at the path is refused, and what a link points at is left alone.
func TestAppendRefuses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "target.http")
	if err := os.WriteFile(target, []byte("GET https://example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.http")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.http")
	if err := os.Symlink(filepath.Join(dir, "nowhere.http"), dangling); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.http")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link, dangling, folder} {
		err := Append(path, []byte("### x\nGET https://example.com/x\n"))
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), path) {
			t.Errorf("Append(%s) = %v; want a refusal naming it", filepath.Base(path), err)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "GET https://example.com\n" {
		t.Errorf("the link's target changed: %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere.http")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the dangling link's target was created")
	}
}

// TestAppendFailureKeepsTheFile: when the new file cannot be written
// (the folder is read-only), the old file is untouched.
func TestAppendFailureKeepsTheFile(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a folder the user cannot write")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "api.http")
	if err := os.WriteFile(path, []byte(odd), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	err := Append(path, []byte("### x\nGET https://example.com/x\n"))
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Append into a read-only folder = %v; want an error naming the file", err)
	}
	if got, _ := os.ReadFile(path); string(got) != odd {
		t.Errorf("file changed: %q", got)
	}
}
