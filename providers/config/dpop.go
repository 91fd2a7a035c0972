package config

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// checkDPoP checks dpop and dpop_key_file. A DPoP-bound token rides in
// Authorization with the DPoP scheme and a proof beside it, so a provider
// that puts its token elsewhere cannot use one; and only a token endpoint
// binds a token to the key of a proof.
func checkDPoP(p *Provider, errAt func(toml.Key, string, string) error, key func(...string) toml.Key) error {
	if !p.DPoP {
		if p.DPoPKeyFile != "" {
			return errAt(key("dpop_key_file"), "dpop_key_file is set but dpop is not true", "add dpop = true, or remove dpop_key_file")
		}
		return nil
	}
	if !p.Grant.UsesTokenEndpoint() {
		return errAt(key("dpop"), fmt.Sprintf("grant %s asks no token endpoint, so no token can be bound to a DPoP key", p.Grant), "DPoP needs a grant that asks a token endpoint (client_credentials, authorization_code, device_code, refresh_token, password)")
	}
	if in := p.Inject; in != nil && (in.Query != "" || in.Prefix != nil || in.Header != "" && !strings.EqualFold(in.Header, "Authorization")) {
		return errAt(key("inject"), "a DPoP-bound token goes in the Authorization header with the DPoP scheme", "remove inject, or dpop = true")
	}
	return nil
}
