package tokencache_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// settings stands for a provider's auth settings: the client secret and the
// password are in them.
const settings = `{"client_id":"cli","client_secret":"hunter2","grant":"password","password":"correct horse"}`

// helperKeyMode has the helper process print the key it names settings
// with, for TestConcurrentFirstRunsAgreeOnOneKey.
const helperKeyMode = "key"

func keyHelperMain() int {
	f, err := tokencache.NewFile(os.Getenv(helperDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(f.Key("p", []byte(settings)))
	return 0
}

// A key is the provider's name and a keyed hash: the plain SHA-256 an
// older keyhole used (an offline oracle for the secrets in the settings)
// is nowhere in it, another installation names the same settings
// differently, and any change of a setting, a secret included, changes it.
func TestKeyRevealsNothing(t *testing.T) {
	a, b := newFile(t), newFile(t)
	key := a.Key("tapkey", []byte(settings))
	if !regexp.MustCompile(`^tapkey@[0-9a-f]{32}$`).MatchString(key) {
		t.Errorf("key %q: want tapkey@ and 32 hex digits", key)
	}
	sum := sha256.Sum256([]byte(settings))
	if plain := hex.EncodeToString(sum[:]); strings.Contains(plain, strings.TrimPrefix(key, "tapkey@")[:16]) {
		t.Errorf("key %q carries the unkeyed SHA-256 of the settings", key)
	}
	if other := b.Key("tapkey", []byte(settings)); other == key {
		t.Error("two installations name the same settings alike: the naming key is not per installation")
	}
	again, err := tokencache.NewFile(filepath.Dir(a.Dir()))
	if err != nil {
		t.Fatal(err)
	}
	if again.Key("tapkey", []byte(settings)) != key {
		t.Error("the same installation names the same settings differently on a second open")
	}
	if a.Key("tapkey", []byte(strings.Replace(settings, "hunter2", "hunter3", 1))) == key {
		t.Error("a changed client secret keeps the key")
	}
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(a.Dir()), tokencache.NameKeyFile)); err != nil || len(strings.TrimSpace(string(b))) != 64 {
		t.Errorf("naming key file: %q, %v", b, err)
	}
	if runtime.GOOS != "windows" {
		if got := perm(t, filepath.Join(filepath.Dir(a.Dir()), tokencache.NameKeyFile)); got != 0o600 {
			t.Errorf("naming key mode %04o, want 0600", got)
		}
	}
}

// Processes that start at once on a fresh state folder agree on one
// naming key, or they would lock and store one token under different
// names: goroutines of this process and helper processes race to make it.
func TestConcurrentFirstRunsAgreeOnOneKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "keyhole")
	const procs, goroutines = 6, 16
	keys := make(chan string, procs+goroutines)
	var wg sync.WaitGroup
	for range procs {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
			cmd.Env = append(os.Environ(), helperEnv+"="+helperKeyMode, helperDirEnv+"="+dir)
			out, err := cmd.Output()
			if err != nil {
				t.Errorf("helper: %v", err)
				return
			}
			line, _ := bufio.NewReader(strings.NewReader(string(out))).ReadString('\n')
			keys <- strings.TrimSpace(line)
		})
	}
	for range goroutines {
		wg.Go(func() {
			f, err := tokencache.NewFile(dir)
			if err != nil {
				t.Error(err)
				return
			}
			keys <- f.Key("p", []byte(settings))
		})
	}
	wg.Wait()
	close(keys)
	seen := map[string]int{}
	for k := range keys {
		seen[k]++
	}
	if len(seen) != 1 {
		t.Errorf("concurrent first runs made %d different keys: %v", len(seen), seen)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// The files of the older format (NAME@16HEX.json and .lock) are removed
// when the store opens, and said so; the store's own files stay.
func TestOldFormatFilesAreRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "keyhole")
	f, err := tokencache.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := f.Key("demo-cc", []byte(settings))
	if err := f.Save(key, opaqueToken()); err != nil {
		t.Fatal(err)
	}
	unlock, err := f.Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	old := []string{"demo-cc@0011223344556677.json", "demo-cc@0011223344556677.lock", "long~00112233445566778899aabbccddeeff.json"}
	for _, name := range old {
		if err := os.WriteFile(filepath.Join(f.Dir(), name), []byte(`{"version":1,"access_token":"old"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var warnings []string
	g, err := tokencache.NewFile(dir, tokencache.WithWarn(func(m string) { warnings = append(warnings, m) }))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range old {
		if _, err := os.Lstat(filepath.Join(f.Dir(), name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("old-format %s is still there: %v", name, err)
		}
	}
	if tok, err := g.Load(key); err != nil || tok == nil || tok.Access.Reveal() != opaqueValue {
		t.Errorf("the current token went with the old files: %v, %v", tok, err)
	}
	if _, err := os.Lstat(strings.TrimSuffix(g.Path(key), ".token") + ".token.lock"); err != nil {
		t.Errorf("the current lock file went with the old files: %v", err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "removed 2") || !strings.Contains(warnings[0], "sign-in") {
		t.Errorf("warnings = %q", warnings)
	}
}

// Symbolic links planted at a token, a lock or the naming key are refused,
// and their targets neither read, created nor changed.
func TestLinksAreRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("creating symbolic links needs a privilege on Windows")
	}
	f := newFile(t)
	key := f.Key("p", []byte(settings))
	target := filepath.Join(t.TempDir(), "target")
	if err := os.WriteFile(target, []byte(`{"version":1,"access_token":"planted"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, f.Path(key)); err != nil {
		t.Fatal(err)
	}
	if tok, err := f.Load(key); tok != nil || !errors.Is(err, tokencache.ErrUnreadable) || !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("Load through a link = %v, %v; want ErrUnreadable", tok, err)
	}
	if got := perm(t, target); got != 0o644 {
		t.Errorf("the link's target had its mode changed to %04o", got)
	}

	elsewhere := filepath.Join(t.TempDir(), "created")
	lockKey := f.Key("q", []byte(settings))
	if err := os.Symlink(elsewhere, strings.TrimSuffix(f.Path(lockKey), ".token")+".token.lock"); err != nil {
		t.Fatal(err)
	}
	if unlock, err := f.Lock(context.Background(), lockKey); !errors.Is(err, safefile.ErrNotRegular) {
		if err == nil {
			unlock()
		}
		t.Errorf("Lock through a link = %v; want a refusal", err)
	}
	if _, err := os.Lstat(elsewhere); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock link's target was created: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "keyhole")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(planted, []byte(strings.Repeat("00", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(planted, filepath.Join(dir, tokencache.NameKeyFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := tokencache.NewFile(dir); !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("NewFile with a link at the naming key = %v; want a refusal", err)
	}
}
