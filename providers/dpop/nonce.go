package dpop

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/keyhole-sh/keyhole/internal/safefile"
)

// Nonces are the last DPoP-Nonce each server sent, by origin: the
// authorization server and the API hand out nonces of their own (RFC 9449
// §8, §9). They are kept in a file beside the key, mode 0600, so that a
// proof made by another process (`keyhole dpop` in a curl export) carries
// the nonce the server asked for last. A nonce is no secret, but it is
// the person's state, and kept as privately as the key.
type Nonces struct {
	path string // "" keeps them in memory only

	mu     sync.Mutex
	loaded bool
	byOrig map[string]string
}

// NewNonces keeps nonces in the file at path; "" keeps them in memory.
func NewNonces(path string) *Nonces { return &Nonces{path: path, byOrig: map[string]string{}} }

// origin is the key nonces are kept under: scheme://host[:port].
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// Get is the last nonce u's server sent, "" for none.
func (n *Nonces) Get(u *url.URL) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.load()
	return n.byOrig[origin(u)]
}

// Set keeps nonce as u's server's last. A file that cannot be written
// costs the next process the nonce, not this one: the error is returned
// for the caller to ignore or say.
func (n *Nonces) Set(u *url.URL, nonce string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.load()
	o := origin(u)
	if n.byOrig[o] == nonce {
		return nil
	}
	n.byOrig[o] = nonce
	if n.path == "" {
		return nil
	}
	data, err := json.Marshal(n.byOrig)
	if err != nil {
		return fmt.Errorf("DPoP nonces: %w", err)
	}
	if err := safefile.MkdirPrivate(filepath.Dir(n.path)); err != nil {
		return fmt.Errorf("DPoP nonces: %w", err)
	}
	if err := safefile.WritePrivate(n.path, data); err != nil {
		return fmt.Errorf("DPoP nonces: %w", err)
	}
	return nil
}

// load reads the file once; n.mu must be held. A file that is missing or
// unreadable is no nonces: the server asks again, and one retry answers.
func (n *Nonces) load() {
	if n.loaded || n.path == "" {
		n.loaded = true
		return
	}
	n.loaded = true
	f, err := safefile.Open(n.path, os.O_RDONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	data, err := readAll(f)
	if err != nil {
		return
	}
	var m map[string]string
	if json.Unmarshal(data, &m) == nil {
		for k, v := range m {
			n.byOrig[k] = v
		}
	}
}
