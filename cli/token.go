package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// tokenJSON is what token --json prints.
type tokenJSON struct {
	Provider    string `json:"provider"`
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token,omitempty"` // the OpenID Connect ID token, when the answer had one
	// AuthorizationDetails are those the server granted (RFC 9396), as it sent them.
	AuthorizationDetails json.RawMessage `json:"authorization_details,omitempty"`
	TokenType            string          `json:"token_type"`
	ExpiresAt            *string         `json:"expires_at"` // RFC 3339 in UTC; null when unknown
	Scopes               []string        `json:"scopes"`
	Source               string          `json:"source"` // cache, fetched or refreshed

	// AccessExpiresAt is the access token's expiry when expires_at is
	// another's: the ID token's, for inject.token = "id_token".
	AccessExpiresAt *string `json:"access_token_expires_at,omitempty"`
}

func newTokenCmd(e env, configPath *string) *cobra.Command {
	var asJSON, force, noBrowser bool
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Print a provider's access token",
		Long: `token prints the provider's access token exactly as the provider issued it
(its ID token for inject = { token = "id_token" }),
the cached one while it is still valid, else a refreshed or new one.

stdout holds the token and nothing else, so $(keyhole token NAME) is safe to
use in a script. What an interactive grant needs from you (the address to
open, the code to enter, a QR code) goes to stderr.

A demo-* name that the config does not define means the built-in demo, which
runs inside this process only: its token is useless after the command ends.
Use keyhole serve-demo for a demo server that outlives it.`,
		Example: `  curl -H "Authorization: Bearer $(keyhole token tapkey)" https://my.tapkey.com/api/v1/Owners
  keyhole token demo-cc --json | jq .expires_at
  keyhole token my-oidc --force --no-browser`,
		Args:              exactArgs(1),
		ValidArgsFunction: completeProviderArg(e, configPath),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, sess, err := openSession(e, *configPath, args[0])
			if err != nil {
				return err
			}
			defer b.close()
			tok, err := getToken(cmd.Context(), e, sess, force, noBrowser)
			if err != nil {
				return err
			}
			if !asJSON {
				// The token the provider sends: the ID token for
				// inject.token = "id_token", so that $(keyhole token x)
				// and a curl export send what call sends.
				sent, err := providers.SentToken(sess.Provider(), tok)
				if err != nil {
					return err
				}
				access := sent.Reveal()
				if e.tty(e.stdout) {
					// The token is the server's text: a person reading
					// it sees it, not what it would make the terminal
					// do. $(keyhole token x) gets it exactly.
					access = termtext.Line(access)
				}
				_, err = fmt.Fprintln(e.stdout, access)
				return err
			}
			return e.printJSON(tokenOut(sess.Provider(), tok))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the token and what is known about it as JSON")
	cmd.Flags().BoolVar(&force, "force", false, "get a new token, ignoring the cache and any refresh token")
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "print the sign-in address instead of opening a browser")
	return cmd
}

// tokenOut is token --json's answer for p's tok. expires_at is when what
// p sends stops working: the ID token's exp for inject.token = "id_token",
// the access token's then in access_token_expires_at.
func tokenOut(p *config.Provider, tok *providers.Token) tokenJSON {
	out := tokenJSON{
		Provider:    p.Name,
		AccessToken: tok.Access.Reveal(),
		IDToken:     tok.ID.Reveal(),
		TokenType:   tok.Type,
		Scopes:      tok.Scopes,
		Source:      string(tok.Source),
	}
	if tok.AuthorizationDetails != "" && json.Valid([]byte(tok.AuthorizationDetails)) {
		out.AuthorizationDetails = json.RawMessage(tok.AuthorizationDetails)
	}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	if out.Source == "" {
		out.Source = string(providers.SourceFetched)
	}
	rfc3339 := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		at := t.UTC().Format(time.RFC3339)
		return &at
	}
	sent := providers.SentExpiry(p, tok)
	out.ExpiresAt = rfc3339(sent)
	if !sent.Equal(tok.Expiry) {
		out.AccessExpiresAt = rfc3339(tok.Expiry)
	}
	return out
}
