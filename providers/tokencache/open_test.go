package tokencache_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// mockKeyring puts go-keyring on its in-memory mock. go-keyring keeps its
// backend in a package variable, so no test here runs in parallel with one
// that mocks, and every test that can reach the keyring calls this first.
func mockKeyring(t *testing.T) {
	t.Helper()
	keyring.MockInit()
}

// stateDir points XDG_STATE_HOME at a temp dir, as every test must, and
// returns keyhole's state folder in it.
func stateDir(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	dir, err := tokencache.StateDir(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveLoad(t *testing.T, s providers.Store) {
	t.Helper()
	if err := s.Save("k@1", opaqueToken()); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Load("k@1"); err != nil || tok == nil || tok.Access.Reveal() != opaqueValue {
		t.Fatalf("Load = %v, %v", tok, err)
	}
}

func TestOpenFile(t *testing.T) {
	for _, setting := range []string{"", "file"} {
		dir := stateDir(t)
		s, notice, err := tokencache.Open(setting, dir)
		if err != nil || notice != "" {
			t.Fatalf("Open(%q) = %v, %q", setting, err, notice)
		}
		f, ok := s.(*tokencache.File)
		if !ok {
			t.Fatalf("Open(%q) gave %T, want *File", setting, s)
		}
		if f.Dir() != filepath.Join(dir, "tokens") {
			t.Errorf("Dir = %q", f.Dir())
		}
		saveLoad(t, s)
	}
}

// openNotFile opens setting in dir, which must give a working store that is
// not the file one, and no notice.
func openNotFile(t *testing.T, setting, dir string) {
	t.Helper()
	s, notice, err := tokencache.Open(setting, dir)
	if err != nil || notice != "" {
		t.Fatalf("Open(%q) = %v, %q", setting, err, notice)
	}
	if _, isFile := s.(*tokencache.File); isFile {
		t.Fatalf("the %s setting gave the file store", setting)
	}
	saveLoad(t, s)
}

func TestOpenMemory(t *testing.T) {
	dir := stateDir(t)
	openNotFile(t, "memory", dir)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the memory store touched %s: %v", dir, err)
	}
}

func TestOpenKeyring(t *testing.T) {
	mockKeyring(t)
	dir := stateDir(t)
	openNotFile(t, "keyring", dir)
	if _, err := keyring.Get(tokencache.KeyringService, "k@1"); err != nil {
		t.Errorf("token not in the keyring: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tokens", "k@1.token")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token also written to a file: %v", err)
	}
}

// No Secret Service (an SSH session): the file store, and a notice that
// says why and where the tokens go.
func TestOpenKeyringUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	dir := stateDir(t)
	s, notice, err := tokencache.Open("keyring", dir)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := s.(*tokencache.File)
	if !ok {
		t.Fatalf("fallback is %T, want *File", s)
	}
	for _, want := range []string{"no keyring service", "SSH", f.Dir(), "instead"} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice %q lacks %q", notice, want)
		}
	}
	saveLoad(t, s)
}

func TestNewKeyringNilFallback(t *testing.T) {
	keyring.MockInitWithError(errors.New("no dbus"))
	t.Cleanup(keyring.MockInit)
	s, notice := tokencache.NewKeyring("keyhole-test", nil)
	if s == nil || !strings.Contains(notice, "memory") {
		t.Fatalf("NewKeyring(nil) = %T, %q", s, notice)
	}
	saveLoad(t, s)
}

func TestOpenUnknown(t *testing.T) {
	dir := stateDir(t)
	if _, _, err := tokencache.Open("redis", dir); err == nil || !strings.Contains(err.Error(), "redis") {
		t.Errorf("Open(redis) = %v", err)
	}
}
