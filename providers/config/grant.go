package config

import "slices"

// Grant is how a provider gets its token: the grant key of its table,
// read from the config as the same string.
type Grant string

// The grants keyhole runs, in the order the config's errors list them.
const (
	GrantClientCredentials Grant = "client_credentials"
	GrantAuthorizationCode Grant = "authorization_code"
	GrantDeviceCode        Grant = "device_code"
	GrantRefreshToken      Grant = "refresh_token"
	GrantPassword          Grant = "password"
	GrantStatic            Grant = "static"         // the token pasted into the config
	GrantCustom            Grant = "custom"         // the vendor's own login and refresh requests
	GrantCommand           Grant = "command"        // the output of a program (gh auth token)
	GrantTokenExchange     Grant = "token_exchange" // RFC 8693: another token traded for this provider's
)

// grants are the grants a config may name.
var grants = []Grant{GrantClientCredentials, GrantAuthorizationCode, GrantDeviceCode, GrantRefreshToken, GrantPassword, GrantStatic, GrantCustom, GrantJWTBearer, GrantCommand, GrantTokenExchange}

// Known reports whether g is a grant a config may name.
func (g Grant) Known() bool { return slices.Contains(grants, g) }

// Interactive reports whether g needs a person: a browser sign-in or a
// code typed on another device.
func (g Grant) Interactive() bool { return g == GrantAuthorizationCode || g == GrantDeviceCode }

// UsesTokenEndpoint reports whether g asks a token endpoint (token_url, or
// the issuer's) for its token: all do but static, custom and command.
func (g Grant) UsesTokenEndpoint() bool {
	return g != GrantStatic && g != GrantCustom && g != GrantCommand
}

// grantNames are the grants as the config spells them.
func grantNames() []string {
	out := make([]string, len(grants))
	for i, g := range grants {
		out[i] = string(g)
	}
	return out
}

// Interactive reports whether the provider's grant needs a person.
func (p *Provider) Interactive() bool { return p.Grant.Interactive() }
