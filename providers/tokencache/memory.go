package tokencache

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/keyhole-sh/keyhole/providers"
)

// memory is the in-process Store: tokens die with the process. The demo
// uses it (each process has its own demo server, so a cached demo token is
// useless elsewhere), as does token_cache = "memory".
type memory struct {
	mu      sync.Mutex
	tokens  map[string]*providers.Token
	locks   keyLocks
	nameKey []byte // random, for this store's life: its keys never outlive it
}

// NewMemory returns a Store that keeps tokens in this process only. It is
// safe for concurrent use; Lock excludes other goroutines of this process,
// which are the only ones that can see its tokens.
func NewMemory() providers.Store {
	m := &memory{tokens: map[string]*providers.Token{}, nameKey: make([]byte, nameKeyBytes)}
	_, _ = rand.Read(m.nameKey) // never fails (crypto/rand panics rather than return an error)
	return m
}

// Key names a token as the file store does, under a key of its own.
func (m *memory) Key(name string, settings []byte) string {
	return cacheKey(m.nameKey, name, settings)
}

// Load returns a copy of the token under key, marked as from the cache.
func (m *memory) Load(key string) (*providers.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[key]
	if !ok {
		return nil, nil
	}
	c := clone(t)
	c.Source = providers.SourceCache
	c.Claims = claims(c.Access.Reveal())
	return c, nil
}

// Save stores a copy of tok, so later changes by the caller do not leak in.
func (m *memory) Save(key string, tok *providers.Token) error {
	if tok == nil {
		return errors.New("cannot cache a nil token")
	}
	c := clone(tok)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[key] = c
	return nil
}

// Delete forgets key.
func (m *memory) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, key)
	return nil
}

// Lock holds key against the other goroutines of this process.
func (m *memory) Lock(ctx context.Context, key string) (func(), error) {
	return m.locks.lock(ctx, key)
}

// keyLocks is a set of per-key mutexes whose Lock gives up when a context
// ends, which sync.Mutex cannot do. Each mutex is a one-slot channel: a send
// takes it, a receive gives it back, and select lets ctx interrupt the wait.
// Entries are reference-counted and dropped when nobody holds or waits, so
// the map does not grow with every key ever locked. The zero value is ready.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{}
	refs int // holders plus waiters; guarded by keyLocks.mu
}

// lock waits for key's mutex until ctx ends. The returned unlock may be
// called more than once (a deferred unlock after an explicit one is safe);
// only the first call releases.
func (k *keyLocks) lock(ctx context.Context, key string) (func(), error) {
	// A context that has already ended must fail even when the mutex is
	// free: select picks at random among ready cases.
	if err := ctx.Err(); err != nil {
		return nil, lockErr(key, err)
	}
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()

	select {
	case l.ch <- struct{}{}:
	case <-ctx.Done():
		k.release(key, l)
		return nil, lockErr(key, ctx.Err())
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.ch
			k.release(key, l)
		})
	}, nil
}

func (k *keyLocks) release(key string, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(k.m, key)
	}
}

// lockErr wraps the context's error so callers can test it with errors.Is.
func lockErr(key string, err error) error {
	return fmt.Errorf("waiting for the token cache lock on %q: %w", key, err)
}
