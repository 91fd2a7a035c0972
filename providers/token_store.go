package providers

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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

// CacheKey is the name a provider's token is stored under in store: its
// name and a fingerprint of every setting that decides which token the
// provider gets, and the environment applied to it. Change the client, the scopes, the endpoint or a secret,
// and the old token is not reused.
func (p *Provider) CacheKey(store Store) string {
	return store.Key(p.Name, p.authSettings())
}

// authSettings are the settings CacheKey fingerprints, as canonical JSON.
// Secrets are in them, so that a changed secret also invalidates; the
// store's Key keeps them from showing in the key.
func (p *Provider) authSettings() []byte {
	auth := map[string]any{
		"grant":          p.Grant,
		"issuer":         p.Issuer,
		"token_url":      p.TokenURL,
		"auth_url":       p.AuthURL,
		"device_url":     p.DeviceURL,
		"client_id":      p.ClientID,
		"client_secret":  p.ClientSecret.Reveal(),
		"secret_cmd":     p.ClientSecretCmd,
		"client_auth":    p.ClientAuth,
		"scopes":         p.Scopes,
		"audience":       p.Audience,
		"resource":       p.Resource,
		"token_params":   sortedPairs(p.TokenParams),
		"auth_params":    sortedPairs(p.AuthParams),
		"username":       p.Username,
		"password":       p.Password.Reveal(),
		"refresh_token":  p.RefreshToken.Reveal(),
		"token":          p.Token.Reveal(),
		"login":          p.Login,
		"refresh":        p.Refresh,
		"token_response": p.TokenResponse,
	}
	p.exchangeAuthSettings(auth)
	// Only an environment's tokens carry its name: with none, the key is
	// what it always was, and the tokens cached before environments
	// existed are still found.
	if p.Environment != "" {
		auth["environment"] = p.Environment
	}
	p.addAssertionSettings(auth)
	// encoding/json sorts map keys, so equal settings give equal bytes.
	b, err := json.Marshal(auth)
	if err != nil {
		// Only a value JSON cannot encode gets here (a NaN inside a login
		// body); fall back to its printed form, still deterministic.
		b = []byte(fmtAny(auth))
	}
	return b
}

func sortedPairs(m map[string]string) [][2]string {
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, [2]string{k, m[k]})
	}
	return out
}

func fmtAny(v any) string { return fmt.Sprintf("%#v", v) }
