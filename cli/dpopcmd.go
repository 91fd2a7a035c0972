package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newDPoPCmd(e env, configPath *string) *cobra.Command {
	var sendToken bool
	cmd := &cobra.Command{
		Use:   "dpop NAME METHOD PATH|URL",
		Short: "Print a DPoP proof for one request with a provider's token",
		Long: `dpop prints one DPoP proof (RFC 9449) for a provider with dpop = true: a JWT
signed with the provider's key for METHOD and the URL (without its query and
fragment), dated now, with a fresh jti, the hash (ath) of the provider's
current token — got as keyhole token would get it — and the nonce the server
sent last. It is what a curl export of such a provider runs:

  -H "Authorization: DPoP $(keyhole token NAME)" -H "DPoP: $(keyhole dpop NAME GET URL)"

stdout holds the proof and nothing else. A proof is good for one request,
for a short while: make a new one for each. PATH is joined to base_url; a URL
outside the base_url origin gets no proof unless --send-token, as it gets no
token.`,
		Example: `  curl -H "Authorization: DPoP $(keyhole token bank)" \
    -H "DPoP: $(keyhole dpop bank GET https://api.bank.example/accounts)" \
    https://api.bank.example/accounts`,
		Args:              exactArgs(3),
		ValidArgsFunction: completeProviderArg(e, configPath),
		RunE: func(cmd *cobra.Command, args []string) error {
			method, err := validMethod(args[1])
			if err != nil {
				return err
			}
			b, sess, err := openSession(e, *configPath, args[0])
			if err != nil {
				return err
			}
			defer b.close()
			p := sess.Provider()
			if sess.DPoP() == nil {
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s: dpop is not true for this provider, so its calls carry no proof", p.Name)}
			}
			u, foreign, err := target(p, args[2])
			if err != nil {
				return maskErr(err, sess.Redact)
			}
			if foreign && !sendToken {
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s is not %s's origin (%s): its token is not sent there, so no proof is made for it; --send-token makes one", origin(u.String()), p.Name, origin(p.BaseURL))}
			}
			tok, err := getToken(cmd.Context(), e, sess, false, false)
			if err != nil {
				return err
			}
			proof, err := sess.DPoPProof(tok, method, u)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(e.stdout, proof.Reveal())
			return err
		},
	}
	cmd.Flags().BoolVar(&sendToken, "send-token", false, "make a proof for a URL outside the provider's base_url origin too")
	return cmd
}
