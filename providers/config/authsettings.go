package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// AuthSettings are the settings providers.CacheKey fingerprints, as
// canonical JSON: those that decide which token the provider gets.
// Secrets are in them, so that a changed secret also invalidates; the
// store's Key keeps them from showing in the key.
func (p *Provider) AuthSettings() []byte {
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
