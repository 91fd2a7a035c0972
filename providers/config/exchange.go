package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers/par"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokenexchange"
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
	if err := checkTokenExchange(p, errAt, key); err != nil {
		return err
	}
	if p.PAR && p.Grant != GrantAuthorizationCode {
		return errAt(key("par"), fmt.Sprintf("par is for grant = \"authorization_code\" (this provider's grant is %s)", p.Grant), "only an authorization request is pushed")
	}
	if p.PAR && p.PARURL == "" && p.Issuer == "" {
		return errAt(key("par"), "par = true needs par_url, or issuer for discovery to name the endpoint", `par_url = "https://login.example.com/oauth2/par"`)
	}
	if p.PARURL != "" && !p.PAR {
		return errAt(key("par_url"), "par_url is set but par is not", "set par = true to push the authorization request")
	}
	if i, err := par.CheckDetails(p.AuthorizationDetails); err != nil {
		return errAt(key("authorization_details"), fmt.Sprintf("entry %d %s", i+1, err), "RFC 9396: each [[...authorization_details]] entry names its type")
	}
	if in := p.Inject; in != nil && in.Token != "" && in.Token != InjectAccessToken && in.Token != InjectIDToken {
		return errAt(key("inject", "token"), fmt.Sprintf("unknown token %q", in.Token), "allowed: access_token (the default), id_token")
	}
	return nil
}

// checkTokenExchange checks the token_exchange keys of one provider; the
// names they point at are checked against the whole file by
// checkExchangeRefs.
func checkTokenExchange(p *Provider, errAt func(toml.Key, string, string) error, key func(...string) toml.Key) error {
	if p.Grant != GrantTokenExchange {
		for _, f := range []struct{ name, value string }{
			{"subject_provider", p.SubjectProvider}, {"subject_token", p.SubjectToken.Reveal()}, {"subject_token_type", p.SubjectTokenType},
			{"actor_provider", p.ActorProvider}, {"actor_token_type", p.ActorTokenType}, {"requested_token_type", p.RequestedTokenType},
		} {
			if f.value != "" {
				return errAt(key(f.name), fmt.Sprintf("%s is only for grant = \"token_exchange\" (this provider's grant is %s)", f.name, p.Grant), "")
			}
		}
		return nil
	}
	switch {
	case p.SubjectProvider == "" && p.SubjectToken.IsZero():
		return errAt(key("grant"), "token_exchange needs subject_provider or subject_token", `subject_provider = "NAME": the provider whose token is exchanged`)
	case p.SubjectProvider != "" && !p.SubjectToken.IsZero():
		return errAt(key("subject_token"), "both subject_provider and subject_token are set", "keep one")
	case p.TokenURL == "" && p.Issuer == "":
		return errAt(key("grant"), "token_exchange needs token_url or issuer", `token_url = "https://login.example.com/oauth2/token"`)
	}
	for _, f := range []struct{ name, value string }{
		{"subject_token_type", p.SubjectTokenType}, {"actor_token_type", p.ActorTokenType}, {"requested_token_type", p.RequestedTokenType},
	} {
		if _, err := tokenexchange.TokenType(f.value); err != nil {
			return errAt(key(f.name), err.Error(), "a URI, or one of "+strings.Join(tokenexchange.ShortNames(), ", "))
		}
	}
	if p.ActorTokenType != "" && p.ActorProvider == "" {
		return errAt(key("actor_token_type"), "actor_token_type is set without actor_provider", "")
	}
	return nil
}

// checkExchangeRefs checks that every subject_provider and actor_provider
// names another provider of the file, and that no chain of them comes
// back to where it started (each would wait for the other's token).
func (c *File) checkExchangeRefs(data []byte) error {
	byName := map[string]*Provider{}
	for _, p := range c.Providers {
		byName[p.Name] = p
	}
	refs := func(p *Provider) [][2]string {
		var out [][2]string
		for _, r := range [][2]string{{"subject_provider", p.SubjectProvider}, {"actor_provider", p.ActorProvider}} {
			if r[1] != "" {
				out = append(out, r)
			}
		}
		return out
	}
	for _, p := range c.Providers {
		for _, r := range refs(p) {
			k := toml.Key{"providers", p.Name, r[0]}
			errAt := func(msg, hint string) error {
				return &Error{File: c.Path, Line: tomltext.KeyLine(data, k), Key: k.String(), Msg: msg, Hint: hint}
			}
			if byName[r[1]] == nil {
				return errAt(fmt.Sprintf("no provider %q in this file", r[1]), suggest(r[1], slices.Collect(maps.Keys(byName))))
			}
			// From p, only this reference: the key named is the one that
			// starts the loop.
			next := func(name string) []string {
				if name == p.Name {
					return []string{r[1]}
				}
				var out []string
				if q := byName[name]; q != nil {
					for _, r := range refs(q) {
						out = append(out, r[1])
					}
				}
				return out
			}
			if path := tokenexchange.Cycle(p.Name, next); path != nil {
				return errAt("a token exchange that waits for itself: "+strings.Join(path, " → "), "a subject or actor provider must get its token some other way")
			}
		}
	}
	return nil
}

// exchangeAuthSettings adds the exchange grants' keys to the settings a
// token's cache key fingerprints (AuthSettings), only when they are set:
// the keys of every other provider stay what they were.
func (p *Provider) exchangeAuthSettings(auth map[string]any) {
	if len(p.Command) > 0 {
		auth["command"] = p.Command
	}
	if p.PAR {
		auth["par"] = p.PARURL
	}
	if len(p.AuthorizationDetails) > 0 {
		auth["authorization_details"] = p.AuthorizationDetails
	}
	if p.Grant == GrantTokenExchange {
		auth["token_exchange"] = []string{p.SubjectProvider, p.SubjectToken.Reveal(), p.SubjectTokenType, p.ActorProvider, p.ActorTokenType, p.RequestedTokenType}
	}
}

// ExchangeNote says where a token_exchange provider sends other tokens:
// the one exception to "a token goes only to its provider's base_url
// origin" besides a collection's $auth.token. "" for any other provider.
func (p *Provider) ExchangeNote() string {
	if p.Grant != GrantTokenExchange {
		return ""
	}
	var names []string
	for _, n := range []string{p.SubjectProvider, p.ActorProvider} {
		if n != "" {
			names = append(names, n+"'s")
		}
	}
	if len(names) == 0 {
		return ""
	}
	to := "its token endpoint"
	if p.TokenURL != "" {
		to = secret.RedactURL(p.TokenURL)
	}
	return "token exchange: sends " + strings.Join(names, " and ") + " token to " + to
}
