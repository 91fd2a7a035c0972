package providers

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// checkExchange checks the keys of the exchange grants: command (the
// command grant's program) and inject.token. errAt and key are checkProvider's.
func checkExchange(p *Provider, errAt func(toml.Key, string, string) error, key func(...string) toml.Key) error {
	if p.Grant == GrantCommand {
		if len(p.Command) == 0 || strings.TrimSpace(p.Command[0]) == "" {
			return errAt(key("grant"), "grant command needs command", `command = ["gh", "auth", "token"]: the program and its arguments, run without a shell`)
		}
	} else if p.Command != nil {
		return errAt(key("command"), fmt.Sprintf("command is only for grant = \"command\" (this provider's grant is %s)", p.Grant), "for a client secret from a program, use client_secret_cmd")
	}
	if in := p.Inject; in != nil && in.Token != "" && in.Token != InjectAccessToken && in.Token != InjectIDToken {
		return errAt(key("inject", "token"), fmt.Sprintf("unknown token %q", in.Token), "allowed: access_token (the default), id_token")
	}
	return nil
}

// exchangeAuthSettings adds the exchange grants' keys to the settings a
// token's cache key fingerprints (authSettings), only when they are set:
// the keys of every other provider stay what they were.
func (p *Provider) exchangeAuthSettings(auth map[string]any) {
	if len(p.Command) > 0 {
		auth["command"] = p.Command
	}
}
