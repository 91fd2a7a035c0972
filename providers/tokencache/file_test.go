package tokencache_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has ACLs, not mode bits")
	}
}

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestFileModes(t *testing.T) {
	skipOnWindows(t)
	f := newFile(t)
	if err := f.Save("demo-cc@00ff", fullToken(t)); err != nil {
		t.Fatal(err)
	}
	if got := perm(t, f.Path("demo-cc@00ff")); got != 0o600 {
		t.Errorf("token file mode %04o, want 0600", got)
	}
	if got := perm(t, f.Dir()); got != 0o700 {
		t.Errorf("tokens folder mode %04o, want 0700", got)
	}
	if got := perm(t, filepath.Dir(f.Dir())); got != 0o700 {
		t.Errorf("state folder mode %04o, want 0700", got)
	}
}

// A looser folder is tightened and reported, not refused.
func TestLooseFolderIsFixed(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "keyhole")
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	f, err := tokencache.NewFile(dir, tokencache.WithWarn(func(m string) { warnings = append(warnings, m) }))
	if err != nil {
		t.Fatal(err)
	}
	if perm(t, dir) != 0o700 || perm(t, f.Dir()) != 0o700 {
		t.Errorf("modes %04o, %04o; want 0700", perm(t, dir), perm(t, f.Dir()))
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "0755") {
		t.Errorf("warnings = %q", warnings)
	}
}

// A token file that others can read is set back to 0600, reported, and
// used.
func TestLooseTokenFileIsFixed(t *testing.T) {
	skipOnWindows(t)
	var warnings []string
	f := newFile(t, tokencache.WithWarn(func(m string) { warnings = append(warnings, m) }))
	if err := f.Save("k@1", opaqueToken()); err != nil {
		t.Fatal(err)
	}
	path := f.Path("k@1")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := f.Load("k@1")
	if err != nil || tok == nil || tok.Access.Reveal() != opaqueValue {
		t.Fatalf("Load = %v, %v", tok, err)
	}
	if got := perm(t, path); got != 0o600 {
		t.Errorf("mode after Load %04o, want 0600", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], path) || !strings.Contains(warnings[0], "0644") {
		t.Errorf("warnings = %q", warnings)
	}
}

// The file is a cache: the token is in it in plain text, as the user's own
// account must read it back. Its protection is the mode.
func TestFileHoldsPlainToken(t *testing.T) {
	f := newFile(t)
	if err := f.Save("k@1", fullToken(t)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f.Path("k@1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version":1`, refreshValue, `"expiry":"2031-05-06T07:08:09.123456789+02:00"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("file lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "••••") || strings.Contains(string(b), `"source"`) || strings.Contains(string(b), `"claims"`) {
		t.Errorf("file holds a mask, the source or claims:\n%s", b)
	}
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSaveLeavesNoTempFile(t *testing.T) {
	f := newFile(t)
	for range 3 {
		if err := f.Save("k@1", fullToken(t)); err != nil {
			t.Fatal(err)
		}
	}
	if m := tempFiles(t, f.Dir()); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// A Save whose rename fails (the target is a non-empty folder; this fails
// for root too) removes its temporary file and keeps the token out of the
// error.
func TestFailedSaveCleansUp(t *testing.T) {
	f := newFile(t)
	path := f.Path("k@1")
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := f.Save("k@1", fullToken(t))
	assertNoSecret(t, err)
	if m := tempFiles(t, f.Dir()); len(m) != 0 {
		t.Errorf("temporary files left after a failed Save: %v", m)
	}
	tok, err := f.Load("k@1")
	if tok != nil || !errors.Is(err, tokencache.ErrUnreadable) {
		t.Errorf("Load of a folder = %v, %v; want ErrUnreadable", tok, err)
	}
}

// A Save into a folder it cannot write fails and leaves the old token.
func TestFailedSaveKeepsOldFile(t *testing.T) {
	skipOnWindows(t)
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	f := newFile(t)
	if err := f.Save("k@1", opaqueToken()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.Dir(), 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(f.Dir(), 0o700) })
	err := f.Save("k@1", fullToken(t))
	assertNoSecret(t, err)
	tok, err := f.Load("k@1")
	if err != nil || tok == nil || tok.Access.Reveal() != opaqueValue {
		t.Fatalf("old token gone after a failed Save: %v, %v", tok, err)
	}
	if m := tempFiles(t, f.Dir()); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// Someone removing the state folder under a running keyhole does not break
// Save or Lock.
func TestFolderRemovedWhileRunning(t *testing.T) {
	f := newFile(t)
	if err := os.RemoveAll(filepath.Dir(f.Dir())); err != nil {
		t.Fatal(err)
	}
	if err := f.Save("k@1", opaqueToken()); err != nil {
		t.Fatalf("Save after the folder went: %v", err)
	}
	unlock, err := f.Lock(t.Context(), "k@1")
	if err != nil {
		t.Fatalf("Lock after the folder went: %v", err)
	}
	unlock()
}

func TestCorruptFiles(t *testing.T) {
	cases := map[string]string{
		"truncated":   `{"version":1,"access_token":"` + opaqueValue,
		"bad char":    "{\"version\":1,\"access_token\":\"" + opaqueValue + "\x01\"}",
		"wrong type":  `{"version":1,"access_token":"` + opaqueValue + `","refresh_token":42}`,
		"bad time":    `{"version":1,"access_token":"` + opaqueValue + `","expiry":"tomorrow"}`,
		"no version":  `{"access_token":"` + opaqueValue + `"}`,
		"future":      `{"version":99,"access_token":"` + opaqueValue + `"}`,
		"not object":  `["` + opaqueValue + `"]`,
		"empty":       ``,
		"binary junk": "\x00\xff\xfe" + opaqueValue,
		"huge":        `{"version":1,"access_token":"` + strings.Repeat("a", 2<<20) + `"}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFile(t)
			path := f.Path("k@1")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			tok, err := f.Load("k@1")
			if tok != nil || !errors.Is(err, tokencache.ErrUnreadable) {
				t.Fatalf("Load = %v, %v; want nil and ErrUnreadable", tok, err)
			}
			assertNoSecret(t, err)
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			// Recoverable: the next Save replaces it.
			if err := f.Save("k@1", opaqueToken()); err != nil {
				t.Fatal(err)
			}
			if tok, err := f.Load("k@1"); err != nil || tok == nil {
				t.Errorf("Load after Save = %v, %v", tok, err)
			}
		})
	}
}

func TestNewFileErrors(t *testing.T) {
	if _, err := tokencache.NewFile(""); err == nil {
		t.Error("NewFile(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := tokencache.NewFile(file); err == nil {
		t.Error("NewFile on a file succeeded")
	}
}

func TestFileNames(t *testing.T) {
	keys := []string{
		"demo-cc@0011223344556677", "Demo-cc@0011223344556677", "DEMO-CC@0011223344556677",
		"a/b@1", "a%2Fb@1", "a%2fb@1", "..", ".", "", "%", "a.json", "a.lock", ".tmp-x",
		"con", "naïve@1", "sp ace@1", "tab\t@1", strings.Repeat("x", 200), strings.Repeat("x", 201),
		strings.Repeat("é", 100) + "@1", strings.Repeat("é", 100) + "@2",
	}
	safe := regexp.MustCompile(`^[a-z0-9_@%A-F~-]+$`)
	seen := map[string]string{}
	for _, k := range keys {
		n := tokencache.FileName(k)
		if !safe.MatchString(n) || len(n) > 120 {
			t.Errorf("FileName(%q) = %q: unsafe or too long", k, n)
		}
		folded := strings.ToLower(n) // as a case-insensitive file system sees it
		if other, dup := seen[folded]; dup {
			t.Errorf("FileName(%q) and FileName(%q) meet at %q", k, other, n)
		}
		seen[folded] = k
	}
	if n := tokencache.FileName("demo-cc@0011223344556677"); n != "demo-cc@0011223344556677" {
		t.Errorf("a usual key is not its own name: %q", n)
	}
}

func FuzzFileName(f *testing.F) {
	for _, s := range []string{"demo-cc@00ff", "A", "a", "%41", "../x", ""} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		na, nb := tokencache.FileName(a), tokencache.FileName(b)
		if a != b && strings.EqualFold(na, nb) {
			t.Errorf("%q and %q share the file name %q", a, b, na)
		}
		if strings.ContainsAny(na, "./\\:") || na == "" {
			t.Errorf("FileName(%q) = %q", a, na)
		}
	})
}

func TestStateDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	abs := filepath.Join(t.TempDir(), "st")
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": abs, "HOME": "/home/u"}, filepath.Join(abs, "keyhole")},
		{map[string]string{"XDG_STATE_HOME": "relative/st", "HOME": "/home/u"}, filepath.Join("/home/u", ".local", "state", "keyhole")},
		{map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".local", "state", "keyhole")},
	}
	for _, c := range cases {
		got, err := tokencache.StateDir(env(c.env))
		if err != nil || got != c.want {
			t.Errorf("StateDir(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := tokencache.StateDir(env(nil)); err == nil {
		t.Error("StateDir with no HOME succeeded")
	}
}
