//go:build unix

package tokencache_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// The modes are exact whatever the umask: a permissive one (0, 022) must
// not loosen them, a strict one (077, 0277) must not tighten them into a
// folder or file we cannot use.
// The umask is process-wide, so this test must not run in parallel.
func TestModesUnderUmask(t *testing.T) {
	for _, mask := range []int{0, 0o022, 0o077, 0o277} {
		// The parent exists already, as $XDG_STATE_HOME usually does: a
		// umask of 0277 would make a new parent unwritable before keyhole
		// could set its mode.
		base := t.TempDir()
		old := syscall.Umask(mask)
		f, err := tokencache.NewFile(filepath.Join(base, "keyhole"))
		if err != nil {
			syscall.Umask(old)
			t.Fatalf("umask %04o: %v", mask, err)
		}
		err = f.Save("k@1", opaqueToken())
		syscall.Umask(old)
		if err != nil {
			t.Fatalf("umask %04o: %v", mask, err)
		}
		if got := perm(t, f.Path("k@1")); got != 0o600 {
			t.Errorf("umask %04o: file mode %04o, want 0600", mask, got)
		}
		if got := perm(t, f.Dir()); got != 0o700 {
			t.Errorf("umask %04o: folder mode %04o, want 0700", mask, got)
		}
		if tok, err := f.Load("k@1"); err != nil || tok == nil {
			t.Errorf("umask %04o: Load = %v, %v", mask, tok, err)
		}
	}
}
