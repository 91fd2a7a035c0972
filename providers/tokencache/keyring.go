package tokencache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/keyhole-sh/keyhole/providers"
)

// KeyringService is the service name keyhole's entries carry in the OS
// keyring; each entry's user name is the cache key.
const KeyringService = "keyhole"

// probeKey is what NewKeyring looks up to see whether a keyring answers. It
// is never written; a cache key always contains '@', this never does.
const probeKey = "keyhole keyring probe"

// probeTimeout bounds the probe. A Secret Service whose collection is
// locked waits for the person to answer an unlock dialog; one that has not
// been answered in this time is treated as not usable, rather than holding
// keyhole's start hostage.
const probeTimeout = 5 * time.Second

// keyringStore keeps tokens in the OS keyring (Secret Service on Linux and
// BSD, Keychain on macOS, Credential Manager on Windows) as the same JSON
// record the file store writes.
//
// The fallback store plays three parts: it provides Lock (a keyring has no
// locks, and two processes refreshing at once must still exclude each
// other); it holds a token too large for the keyring (Windows takes 2560
// bytes, macOS about 3000: a JWT with many claims and a refresh token can
// exceed that); and Load falls back to it, so a token cached while the
// keyring was unavailable (say, over SSH) is still found. Save removes the
// fallback's copy once the keyring holds the token, so no plain-text copy
// lingers and a stale one cannot come back.
type keyringStore struct {
	service  string
	fallback providers.Store
}

// NewKeyring returns a Store in the OS keyring under service, and a notice
// for the user. It probes the keyring once with a harmless lookup; when no
// keyring answers (no Secret Service on D-Bus, typical over SSH) it returns
// fallback itself and a notice saying where tokens go instead. A nil
// fallback means NewMemory.
func NewKeyring(service string, fallback providers.Store) (providers.Store, string) {
	if fallback == nil {
		fallback = NewMemory()
	}
	if err := probe(service); err != nil {
		return fallback, fmt.Sprintf("no keyring service here (typical over SSH: %v); %s", err, where(fallback))
	}
	return &keyringStore{service: service, fallback: fallback}, ""
}

// probe looks up probeKey; not found means the keyring works. The lookup
// runs in its own goroutine so that probeTimeout can cut it short; that
// goroutine ends when the keyring finally answers.
func probe(service string) error {
	done := make(chan error, 1) // buffered: a late answer must not block
	go func() {
		_, err := keyring.Get(service, probeKey)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return err
	case <-time.After(probeTimeout):
		return fmt.Errorf("the keyring did not answer within %s; is it locked?", probeTimeout)
	}
}

// where says, for a notice, where a fallback store keeps tokens.
func where(s providers.Store) string {
	switch s := s.(type) {
	case *File:
		return "tokens are cached in " + s.Dir() + " instead"
	case *memory:
		return "tokens are kept in memory, for this run only"
	default:
		return "tokens are cached in the fallback store instead"
	}
}

func (s *keyringStore) entry(key string) string {
	return fmt.Sprintf("keyring entry %q of service %q", key, s.service)
}

// Load reads the keyring entry, or the fallback's token when there is none.
func (s *keyringStore) Load(key string) (*providers.Token, error) {
	v, err := keyring.Get(s.service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return s.fallback.Load(key)
	}
	if err != nil {
		return nil, scrub("reading the token from the keyring", err, v)
	}
	return decode([]byte(v), s.entry(key))
}

// Save writes tok into the keyring, or into the fallback when the keyring
// says it is too large.
func (s *keyringStore) Save(key string, tok *providers.Token) error {
	data, err := encode(tok)
	if err != nil {
		return err
	}
	err = keyring.Set(s.service, key, string(data))
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		if err := s.fallback.Save(key, tok); err != nil {
			return err
		}
		// An older, smaller token in the keyring would win over the new
		// one on Load: it must go.
		if err := keyring.Delete(s.service, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return scrub("removing the old token from the keyring", err, string(data))
		}
		return nil
	}
	if err != nil {
		return scrub("saving the token to the keyring", err, string(data), tok.Access.Reveal(), tok.Refresh.Reveal(), tok.ID.Reveal())
	}
	// Best effort: the keyring entry wins on Load anyway, so a copy left
	// behind is only untidy, and the token is saved.
	_ = s.fallback.Delete(key)
	return nil
}

// Delete removes the token from the keyring and from the fallback.
func (s *keyringStore) Delete(key string) error {
	kerr := keyring.Delete(s.service, key)
	if errors.Is(kerr, keyring.ErrNotFound) {
		kerr = nil
	}
	if kerr != nil {
		kerr = scrub("removing the token from the keyring", kerr)
	}
	return errors.Join(kerr, s.fallback.Delete(key))
}

// Key is the fallback's: its naming key is the one kept on disk, so a
// keyring entry is found again by the next run.
func (s *keyringStore) Key(name string, settings []byte) string {
	return s.fallback.Key(name, settings)
}

// Lock is the fallback's lock: the keyring has none.
func (s *keyringStore) Lock(ctx context.Context, key string) (func(), error) {
	return s.fallback.Lock(ctx, key)
}

// scrub wraps a keyring error unless its text contains one of secrets: the
// platforms' messages are out of our hands (macOS's comes from the security
// tool), and the rule is that no error carries a token.
func scrub(op string, err error, secrets ...string) error {
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			return fmt.Errorf("%s: the keyring refused (its message is withheld: it quoted the token)", op)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
