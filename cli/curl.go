package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/curl"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func newCurlCmd(e env, configPath *string) *cobra.Command {
	var headers, params []string
	var dataArg string
	var reveal, sendToken bool
	cmd := &cobra.Command{
		Use:   "curl NAME METHOD PATH|URL | curl NAME @OPERATION_ID",
		Short: "Print the curl command for a request, its token fetched by keyhole",
		Long: `curl prints a runnable curl command for the request call would send. The token
is not in it: the command runs $(keyhole token NAME) where the provider injects
the token (a header with its prefix, or a query parameter), with the same
--config as this run. Other secrets — credential headers you pass
(Authorization, Cookie, ...), credential query and form parameters
(client_secret, password, ...) and a URL password — are masked as •••• unless
--reveal.

NAME @OPERATION_ID prints an operation of the provider's OpenAPI spec, filled
as keyhole call NAME @OPERATION_ID fills it from -p and -d.

A demo-* provider of the built-in demo cannot be exported: that demo lives
inside one keyhole process. Run keyhole serve-demo > demo.toml and use
keyhole --config demo.toml curl ... instead.`,
		Example: `  keyhole curl tapkey GET /Owners
  keyhole --config demo.toml curl demo-cc POST /api/items -d '{"name": "Cedar Latch"}'
  sh -c "$(keyhole curl tapkey GET /Owners)"
  keyhole curl github @issues/get -p owner=keyhole-sh -p repo=keyhole -p issue_number=1`,
		Args:              requestArgs,
		ValidArgsFunction: completeRequestArgs(e, configPath),
		RunE: func(cmd *cobra.Command, args []string) error {
			opID, isOp := operationArg(args)
			var method, rawTarget string
			if !isOp {
				if err := paramsWithoutOperation(params); err != nil {
					return err
				}
				m, err := validMethod(args[1])
				if err != nil {
					return err
				}
				method, rawTarget = m, args[2]
			}
			fields, err := parseHeaderFlags(headers)
			if err != nil {
				return err
			}
			body, err := readData(e, dataArg)
			if err != nil {
				return err
			}
			b, err := newBackend(e, *configPath)
			if err != nil {
				return err
			}
			defer b.close()
			if _, builtin, err := b.provider(args[0]); err != nil {
				return err
			} else if builtin {
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s is the built-in demo, which lives only inside one keyhole process, so a curl command cannot reach it: run keyhole serve-demo > demo.toml in another terminal and use keyhole --config demo.toml curl %s METHOD PATH", args[0], args[0])}
			}
			// The command needs only where the request goes and where the
			// token rides: a ${VAR} for a secret may be unset here (it is
			// the printed command's keyhole token that needs it).
			raw, _, _ := b.provider(args[0])
			p, err := (&config.Provider{Name: raw.Name, BaseURL: raw.BaseURL, Inject: raw.Inject, Environment: raw.Environment, DPoP: raw.DPoP}).Resolve(b.e.lookupEnv)
			if err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			if isOp && len(raw.Vars) > 0 {
				// The vars fill an operation's parameters as call's do;
				// when one of them does not resolve here, none is used and
				// -p must give what they would have.
				if withVars, err := (&config.Provider{Name: raw.Name, BaseURL: raw.BaseURL, Inject: raw.Inject, Vars: raw.Vars, Environment: raw.Environment, DPoP: raw.DPoP}).Resolve(b.e.lookupEnv); err == nil {
					p = withVars
				}
			}
			opts := curl.Options{Reveal: reveal, ForceToken: sendToken, BodyFile: body.file}
			// The session, when the provider's secrets resolve here, masks
			// them wherever they were typed, an error quoting the URL
			// included, and its cached token gives the header prefix
			// (token_type); without one, the default.
			sess := session(b, args[0])
			if sess != nil {
				opts.Redact = sess.Redact
				if held, err := sess.Peek(); err == nil {
					opts.Token = held
				}
			}
			if isOp {
				// As ops does: the token for a private spec, and no
				// browser opened for it.
				var token func(context.Context) (*providers.Token, error)
				if sess != nil {
					token = func(ctx context.Context) (*providers.Token, error) { return getToken(ctx, e, sess, false, true) }
				}
				if method, rawTarget, fields, err = operationRequest(cmd.Context(), e, b, sess, token, p, opID, params, dataArg != "", fields); err != nil {
					return err
				}
			}
			u, foreign, err := target(p, rawTarget)
			if err != nil {
				if sess != nil && !reveal {
					return maskErr(err, sess.Redact)
				}
				return err
			}
			if foreign && !sendToken {
				fmt.Fprintln(e.stderr, termtext.Line(withheldNote(p, u)))
			} else {
				flag, err := b.conf.configFlag()
				if err != nil {
					return err
				}
				if len(flag) == 2 {
					opts.ConfigPath = flag[1]
				}
			}
			c, err := curl.Export(p, exchange.Request{Method: method, Target: rawTarget, Header: fields, Body: body.body}, opts)
			if err != nil {
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", p.Name, err)}
			}
			if c.Masked {
				fmt.Fprintln(e.stderr, "keyhole: secrets in this command are masked as "+secret.Mask+"; --reveal prints them")
			}
			cmdline := c.Command
			if e.tty(e.stdout) {
				// A header or URL from the config may hold an escape
				// sequence: a terminal shows it, a pipe gets the command
				// exactly.
				cmdline = termtext.Text(cmdline)
			}
			_, err = fmt.Fprintln(e.stdout, cmdline)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	fl.StringVarP(&dataArg, "data", "d", "", "request body; @FILE names a file, @- reads standard input")
	fl.StringArrayVarP(&params, "param", "p", nil, "with @OPERATION_ID: a parameter NAME=VALUE (repeatable)")
	fl.BoolVar(&reveal, "reveal", false, "print secrets other than the token as they are")
	fl.BoolVar(&sendToken, "send-token", false, "send the token to a URL outside the provider's base_url origin too")
	return cmd
}

// session returns the provider's session, or nil when it cannot be had
// here (a ${VAR} for a secret unset): the command can be printed without.
func session(b *backend, name string) *providers.Session {
	sess, err := b.session(name)
	if err != nil {
		return nil
	}
	return sess
}
