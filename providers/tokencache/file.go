package tokencache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers"
)

// lockPoll is how often Lock retries a lock another process holds. flock
// has no wait-with-timeout, so honouring ctx means polling; a refresh takes
// hundreds of milliseconds, so 20 ms adds little delay for a few syscalls.
const lockPoll = 20 * time.Millisecond

// File is the Store that keeps each token in its own file under
// <dir>/tokens: mode 0600 in a 0700 folder, replaced atomically, locked
// across processes with flock(2) (LockFileEx on Windows). Token and lock
// files are named NAME@HMAC.token and NAME@HMAC.token.lock (see Key); a
// symbolic link at either path is refused, never followed.
//
// Permissions: a folder or token file that group or others can read is
// tightened (to 0700 / 0600) and reported through WithWarn, rather than
// refused: the files are ours, the fix is what the user would do, and
// refusing would only make keyhole fetch a new token into the same place.
// A file whose mode cannot be fixed (owned by someone else) is not read.
type File struct {
	tokens  string // <dir>/tokens
	nameKey []byte // the installation's naming key, from <dir>/NameKeyFile
	warn    func(string)
	locks   keyLocks // in-process exclusion: flock is per open file description
}

// FileOption configures NewFile.
type FileOption func(*File)

// WithWarn has the store report what it fixed on its own (a folder or file
// that others could read). Without it such fixes are silent. fn may be
// called from several goroutines at once, as Load may be.
func WithWarn(fn func(msg string)) FileOption {
	return func(f *File) { f.warn = fn }
}

// NewFile returns the file store rooted at dir, normally StateDir's answer.
// It creates dir and dir/tokens with mode 0700, whatever the umask, and
// tightens them if they exist with a looser mode; it fails when it cannot.
// It reads the naming key in dir, making it on first use, and removes the
// token files of the older format, named by an unkeyed hash.
func NewFile(dir string, opts ...FileOption) (*File, error) {
	if dir == "" {
		return nil, errors.New("token cache: no folder given")
	}
	// An absolute path keeps the store in one place even if the working
	// directory changes later.
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("token cache folder %s: %w", dir, err)
	}
	f := &File{tokens: filepath.Join(abs, "tokens")}
	for _, o := range opts {
		o(f)
	}
	if err := f.ensureDirs(); err != nil {
		return nil, err
	}
	if f.nameKey, err = loadNameKey(abs, f.warnf); err != nil {
		return nil, err
	}
	f.removeOldFormat()
	return f, nil
}

// Key names the token of the provider called name with the given auth
// settings: see cacheKey.
func (f *File) Key(name string, settings []byte) string {
	return cacheKey(f.nameKey, name, settings)
}

// Dir is the folder the token files are in, for telling the user where
// their tokens are.
func (f *File) Dir() string { return f.tokens }

// The suffixes of token and lock files. The format before keyed names used
// ".json" and ".lock" after a name without a dot (fileName never keeps
// one), which is how removeOldFormat tells those files apart.
const (
	tokenSuffix = ".token"
	lockSuffix  = ".token.lock"
)

// Path is the file the token under key is stored in; it may not exist.
func (f *File) Path(key string) string {
	return filepath.Join(f.tokens, fileName(key)+tokenSuffix)
}

func (f *File) lockPath(key string) string {
	return filepath.Join(f.tokens, fileName(key)+lockSuffix)
}

// removeOldFormat deletes the token and lock files of the older format:
// their names carry 64 bits of a plain SHA-256 of the auth settings,
// client secret and password included, which anyone who can list the
// folder could test guessed passwords against. Their tokens are never
// looked up again anyway. Best effort: a file that cannot be removed is
// only left behind, as before.
func (f *File) removeOldFormat() {
	entries, err := os.ReadDir(f.tokens)
	if err != nil {
		return
	}
	tokens := 0
	for _, e := range entries {
		name := e.Name()
		stem, ext, _ := strings.Cut(name, ".")
		if stem == "" || (ext != "json" && ext != "lock") {
			continue
		}
		if os.Remove(filepath.Join(f.tokens, name)) == nil && ext == "json" {
			tokens++
		}
	}
	if tokens > 0 {
		f.warnf("removed %d cached token(s) stored by an older keyhole under names that could reveal their settings; a provider that signs in through a browser or a device code needs one new sign-in", tokens)
	}
}

func (f *File) ensureDirs() error {
	if err := f.ensureDir(filepath.Dir(f.tokens)); err != nil {
		return err
	}
	return f.ensureDir(f.tokens)
}

// ensureDir makes path a directory with mode exactly 0700. MkdirAll's mode
// passes through the umask, which can only remove bits, so the mode is set
// explicitly afterwards: a umask of 0277 would otherwise leave us a folder
// we cannot write into.
func (f *File) ensureDir(path string) error {
	before, statErr := os.Stat(path)
	if err := os.MkdirAll(path, 0o700); err != nil {
		return fmt.Errorf("creating the token cache folder: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("token cache folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("token cache folder %s is not a folder", path)
	}
	if runtime.GOOS == "windows" || fi.Mode().Perm() == 0o700 {
		// Windows has ACLs, not mode bits; the user profile is private.
		return nil
	}
	if err := os.Chmod(path, 0o700); err != nil {
		return fmt.Errorf("token cache folder %s has mode %04o, readable by others, and it cannot be changed to 0700 (%w); fix or remove it",
			path, fi.Mode().Perm(), err)
	}
	if statErr == nil && before.Mode().Perm()&0o077 != 0 {
		f.warnf("token cache folder %s was open to others (mode %04o); changed it to 0700", path, before.Mode().Perm())
	}
	return nil
}

func (f *File) warnf(format string, args ...any) {
	if f.warn != nil {
		f.warn(fmt.Sprintf(format, args...))
	}
}

// Load reads the token under key. A missing file is no token; a corrupt one
// or one of an unknown format is an error wrapping ErrUnreadable.
func (f *File) Load(key string) (*providers.Token, error) {
	path := f.Path(key)
	data, err := readPrivate(path, "cached token", maxRecord+1, f.warnf)
	var loose *looseModeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.Is(err, safefile.ErrNotRegular):
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	case errors.As(err, &loose):
		return nil, fmt.Errorf("%w: %w; not using it", ErrUnreadable, err)
	case err != nil:
		return nil, fmt.Errorf("reading the cached token: %w", err)
	}
	return decode(data, path)
}

// Save writes tok under key atomically (safefile.WritePrivate): into a
// temporary file in the same folder, flushed to disk, then renamed over
// the old file. A reader sees the old token or the new one; on
// any failure the old file is untouched and the temporary file removed.
func (f *File) Save(key string, tok *providers.Token) error {
	data, err := encode(tok)
	if err != nil {
		return err
	}
	err = writeAtomic(f.Path(key), data)
	if errors.Is(err, fs.ErrNotExist) {
		// Someone removed the state folder while we ran: make it again.
		if err := f.ensureDirs(); err != nil {
			return err
		}
		err = writeAtomic(f.Path(key), data)
	}
	return err
}

func writeAtomic(path string, data []byte) error {
	if err := safefile.WritePrivate(path, data); err != nil {
		return fmt.Errorf("saving the token to %s: %w", path, err)
	}
	return nil
}

// Delete removes the token file. The lock file stays: removing it while
// another process holds or waits on it would let a third process lock a
// new file of the same name, and the two would no longer exclude each other.
func (f *File) Delete(key string) error {
	err := os.Remove(f.Path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deleting the cached token: %w", err)
	}
	return nil
}

// Lock holds key against other goroutines of this process and against
// other processes, until unlock is called or ctx ends. Other processes are
// excluded with flock on <key>.lock, polled every lockPoll so that ctx can
// interrupt the wait. flock belongs to an open file description, so two
// opens in one process would not exclude each other: the in-process mutex,
// taken first, covers that. unlock may be called more than once.
func (f *File) Lock(ctx context.Context, key string) (func(), error) {
	unlockLocal, err := f.locks.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	fl, err := f.flock(ctx, key)
	if err != nil {
		unlockLocal()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// Unlock also closes the descriptor; an error here can only
			// mean it was closed already, and the kernel drops the lock
			// with the descriptor anyway.
			_ = fl.Unlock()
			unlockLocal()
		})
	}, nil
}

func (f *File) flock(ctx context.Context, key string) (*flock.Flock, error) {
	path := f.lockPath(key)
	// A symbolic link at the lock path is refused: flock would create or
	// open its target.
	fl := flock.New(path, flock.SetPermissions(0o600), flock.SetFlag(safefile.LockFlag))
	ok, err := fl.TryLockContext(ctx, lockPoll)
	if errors.Is(err, fs.ErrNotExist) {
		if err := f.ensureDirs(); err != nil {
			return nil, err
		}
		ok, err = fl.TryLockContext(ctx, lockPoll)
	}
	err = safefile.CheckLock(path, err)
	switch {
	case ctx.Err() != nil && !ok:
		return nil, lockErr(key, ctx.Err())
	case err != nil:
		_ = fl.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	case !ok:
		// TryLockContext only gives up without an error when ctx ended,
		// handled above; keep a clear error should that ever change.
		return nil, fmt.Errorf("locking %s: not acquired", path)
	}
	return fl, nil
}
