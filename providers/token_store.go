package providers

import (
	"context"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// Store keeps tokens between runs and between processes: in memory, in a
// 0600 file under $XDG_STATE_HOME/keyhole, or in the OS keyring (see
// package providers/tokencache). Keys come from CacheKey, so editing a
// provider's auth settings leaves its old token behind.
type Store interface {
	// Key is the key the token of the provider called name is stored
	// under, given its auth settings (canonical JSON, secrets included).
	// It differs whenever the settings differ, is the same for every
	// process sharing the store, and reveals nothing of the settings.
	Key(name string, settings []byte) string
	// Load returns the token stored under key, or nil and no error when
	// there is none.
	Load(key string) (*Token, error)
	// Save stores tok under key, replacing what was there, atomically: a
	// reader sees the old token or the new one, never half of either.
	Save(key string, tok *Token) error
	// Delete forgets key; deleting a missing key is not an error.
	Delete(key string) error
	// Lock holds key against other processes until unlock is called, so
	// that two processes refreshing at once cannot lose a rotated refresh
	// token. It gives up when ctx ends.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// CacheKey is the name p's token is stored under in store: its name and
// a fingerprint of every setting that decides which token the provider
// gets, and the environment applied to it (config.Provider.AuthSettings).
// Change the client, the scopes, the endpoint or a secret, and the old
// token is not reused.
func CacheKey(p *config.Provider, store Store) string {
	return store.Key(p.Name, p.AuthSettings())
}
