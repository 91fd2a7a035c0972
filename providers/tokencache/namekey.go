package tokencache

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// NameKeyFile is the file in the state folder that holds this
// installation's naming key: 32 random bytes, hex-encoded, mode 0600.
const NameKeyFile = "token-names.key"

const nameKeyBytes = 32

// keyWait bounds how long a reader waits for a naming key another process
// is still writing; only the O_EXCL fallback (no hard links) has that
// window, and it lasts one write.
const keyWait = 2 * time.Second

// errKeyShort means the key file is there but not yet whole.
var errKeyShort = errors.New("shorter than a key")

// cacheKey names a token: the provider's name in clear, so a person can
// tell the files apart, then 128 bits of HMAC-SHA256 of the auth settings
// under the installation's naming key. The settings hold the client
// secret and the password: a plain hash of them would be an offline oracle
// for guessing them, the keyed one reveals nothing without the key, and it
// still changes whenever any setting does.
func cacheKey(nameKey []byte, provider string, settings []byte) string {
	mac := hmac.New(sha256.New, nameKey)
	mac.Write(settings)
	return provider + "@" + hex.EncodeToString(mac.Sum(nil)[:16])
}

// loadNameKey returns the naming key kept in dir, making it on first use.
// Concurrent first runs agree on one key: each writes its candidate to a
// temporary file and links it into place, which fails when another got
// there first, and then reads that one. A key seen by anyone is whole and
// final, so two processes never lock or name one token differently.
func loadNameKey(dir string, warnf func(string, ...any)) ([]byte, error) {
	path := filepath.Join(dir, NameKeyFile)
	deadline := time.Now().Add(keyWait)
	for {
		key, err := readNameKey(path, warnf)
		switch {
		case err == nil:
			return key, nil
		case errors.Is(err, fs.ErrNotExist):
			key, err = createNameKey(dir, path)
			if errors.Is(err, fs.ErrExist) {
				continue // another process was first: read its key
			}
			return key, err
		case errors.Is(err, errKeyShort) && time.Now().Before(deadline):
			time.Sleep(5 * time.Millisecond)
		case errors.Is(err, errKeyShort):
			return nil, fmt.Errorf("token cache naming key %s is empty or cut short; remove it (cached tokens are then fetched again)", path)
		default:
			return nil, err
		}
	}
}

// readNameKey reads the key at path, never through a link, tightening a
// file others can read.
func readNameKey(path string, warnf func(string, ...any)) ([]byte, error) {
	b, err := readPrivate(path, "token cache naming key", 4*nameKeyBytes, warnf)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("token cache naming key: %w", err)
	}
	text := strings.TrimSpace(string(b))
	if len(text) < 2*nameKeyBytes && strings.Trim(text, "0123456789abcdef") == "" {
		return nil, errKeyShort
	}
	key, err := hex.DecodeString(text)
	if err != nil || len(key) != nameKeyBytes {
		return nil, fmt.Errorf("token cache naming key %s is not a key keyhole wrote; remove it (cached tokens are then fetched again)", path)
	}
	return key, nil
}

// createNameKey makes a new random key and puts it at path, unless a file
// is there already (fs.ErrExist). The key is written whole to a temporary
// file and hard-linked into place, so nobody reads half a key; where the
// file system has no hard links, it is created with O_EXCL and written in
// one write, and readers wait out that moment (errKeyShort).
func createNameKey(dir, path string) ([]byte, error) {
	key := make([]byte, nameKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("token cache naming key: %w", err)
	}
	line := []byte(hex.EncodeToString(key) + "\n")
	tmp, err := os.CreateTemp(dir, ".tmp-key-*")
	if err != nil {
		return nil, fmt.Errorf("token cache naming key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := safefile.FillPrivate(tmp, line); err != nil {
		return nil, fmt.Errorf("token cache naming key: %w", err)
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		if err == nil {
			safefile.SyncDir(dir)
		}
		return key, err
	}
	// No hard links here (some network and FAT file systems).
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err // fs.ErrExist included: another process was first
	}
	if err := safefile.FillPrivate(f, line); err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("token cache naming key: %w", err)
	}
	return key, nil
}
