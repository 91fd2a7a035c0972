package tokencache_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// The helper process: TestMain runs helperMain instead of the tests when
// helperEnv is set. It locks the key in the folder it is given, says
// "locked" on stdout, holds the lock until its stdin closes, then exits.
const (
	helperEnv    = "KEYHOLE_TOKENCACHE_HELPER"
	helperDirEnv = "KEYHOLE_TOKENCACHE_HELPER_DIR"
	helperKey    = "demo-cc@00ff"
)

func helperMain() int {
	if os.Getenv(helperEnv) == helperKeyMode {
		return keyHelperMain()
	}
	f, err := tokencache.NewFile(os.Getenv(helperDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	unlock, err := f.Lock(ctx, helperKey)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("locked")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until EOF
	unlock()
	return 0
}

// TestHelperProcess is the entry the helper is started with; in the normal
// run it does nothing (TestMain intercepts the helper before it gets here).
func TestHelperProcess(t *testing.T) {}

func TestLockExcludesOtherProcess(t *testing.T) {
	dir := t.TempDir()
	f, err := tokencache.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", helperDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	if unlock, err := f.Lock(ctx, helperKey); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			unlock()
		}
		t.Fatalf("Lock while another process holds it = %v, want DeadlineExceeded", err)
	}
	// Another key is not held.
	unlockOther, err := f.Lock(t.Context(), "other@1")
	if err != nil {
		t.Fatalf("Lock on another key: %v", err)
	}
	unlockOther()

	// Release the child, then the lock is ours.
	_ = stdin.Close()
	ctx2, cancel2 := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel2()
	unlock, err := f.Lock(ctx2, helperKey)
	if err != nil {
		t.Fatalf("Lock after the helper released: %v", err)
	}
	unlock()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
}

// mustLock takes key on s, failing the test if it cannot.
func mustLock(t *testing.T, s providers.Store, key string) (unlock func()) {
	t.Helper()
	unlock, err := s.Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	return unlock
}

// Goroutines of one process exclude each other: flock alone would not, as
// it belongs to an open file description. The race detector checks the
// unsynchronized counter.
func TestLockExcludesGoroutines(t *testing.T) {
	eachStore(t, func(t *testing.T, s providers.Store) {
		var inside atomic.Int32
		counter := 0
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 5 {
					unlock, err := s.Lock(t.Context(), "k@1")
					if err != nil {
						t.Error(err)
						return
					}
					if inside.Add(1) != 1 {
						t.Error("two holders at once")
					}
					counter++
					inside.Add(-1)
					unlock()
				}
			})
		}
		wg.Wait()
		if counter != 40 {
			t.Errorf("counter = %d, want 40", counter)
		}
	})
}

// Two File stores on one folder in one process (two sessions) exclude each
// other through flock, as two processes do.
func TestLockTwoFileStores(t *testing.T) {
	dir := t.TempDir()
	a, err := tokencache.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tokencache.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := a.Lock(t.Context(), "k@1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*tokencache.LockPoll)
	defer cancel()
	if _, err := b.Lock(ctx, "k@1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second store's Lock = %v, want DeadlineExceeded", err)
	}
	unlock()
	unlockB, err := b.Lock(t.Context(), "k@1")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
}

func TestLockCancel(t *testing.T) {
	eachStore(t, func(t *testing.T, s providers.Store) {
		defer mustLock(t, s, "k@1")()

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			_, err := s.Lock(ctx, "k@1")
			done <- err
		}()
		time.Sleep(30 * time.Millisecond) // let it start waiting
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Lock after cancel = %v, want Canceled", err)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("Lock took %v to notice the cancel", d)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Lock ignored the cancel")
		}

		// An ended context fails at once, even on a free key.
		ended, cancelEnded := context.WithCancel(t.Context())
		cancelEnded()
		if _, err := s.Lock(ended, "free@1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Lock with an ended context = %v", err)
		}
	})
}

// unlock may be called twice (defer plus an early explicit call) without
// releasing somebody else's hold.
func TestUnlockTwice(t *testing.T) {
	eachStore(t, func(t *testing.T, s providers.Store) {
		unlock := mustLock(t, s, "k@1")
		unlock()
		unlock2 := mustLock(t, s, "k@1")
		unlock() // stale: must not release unlock2's hold
		ctx, cancel := context.WithTimeout(t.Context(), 3*tokencache.LockPoll)
		defer cancel()
		if _, err := s.Lock(ctx, "k@1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a second unlock released another holder: %v", err)
		}
		unlock2()
	})
}

func TestKeyringLockUsesFallback(t *testing.T) {
	mockKeyring(t)
	f := newFile(t)
	s, _ := tokencache.NewKeyring("keyhole-test", f)
	unlock, err := s.Lock(t.Context(), "k@1")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 3*tokencache.LockPoll)
	defer cancel()
	if _, err := f.Lock(ctx, "k@1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the keyring store's lock is not the file store's: %v", err)
	}
}
