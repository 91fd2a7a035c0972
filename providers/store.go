package providers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// CacheKey is the name a provider's token is stored under: its name and a
// fingerprint of every setting that decides which token the provider gets.
// Change the client, the scopes or the endpoint, and the old token is not
// reused.
func (p *Provider) CacheKey() string {
	return p.Name + "@" + p.fingerprint()
}

// fingerprint hashes the auth settings. Secrets are hashed with the rest, so
// a changed secret also invalidates, and the key reveals nothing of them.
func (p *Provider) fingerprint() string {
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
	// encoding/json sorts map keys, so equal settings give equal bytes.
	b, err := json.Marshal(auth)
	if err != nil {
		// Only a value JSON cannot encode gets here (a NaN inside a login
		// body); fall back to its printed form, still deterministic.
		b = []byte(fmtAny(auth))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func sortedPairs(m map[string]string) [][2]string {
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, [2]string{k, m[k]})
	}
	return out
}

func fmtAny(v any) string { return fmt.Sprintf("%#v", v) }
