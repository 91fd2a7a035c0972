package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// providerInfo is one provider as providers lists it; --json prints an
// array of these.
type providerInfo struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	Grant         string `json:"grant"`
	BaseURL       string `json:"base_url"`
	TokenEndpoint string `json:"token_endpoint"`
	Usable        bool   `json:"usable"`
	// Reason says why the provider is not usable; "" when it is.
	Reason string `json:"reason"`
	// Builtin marks the built-in demo's providers (not in the file).
	Builtin  bool `json:"builtin"`
	Insecure bool `json:"insecure"`
	// PlainHTTP names the endpoints that are plain http to a host that is
	// not loopback (providers.ClearEndpoints).
	PlainHTTP []string `json:"plain_http,omitempty"`
	// Environment is the environment applied (--env); "" for none.
	Environment string `json:"environment,omitempty"`
	// Exchange says whose tokens a token_exchange provider sends to its
	// token endpoint (config.Provider.ExchangeNote); "" for others.
	Exchange string `json:"exchange,omitempty"`
}

func newProvidersCmd(e env, configPath *string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "providers",
		Short: "List the providers and validate the config",
		Long: `providers reads and validates the configuration and lists its providers: name,
title, grant, base URL, token endpoint, and whether keyhole can use it — and if
not, why (an unset ${VAR}, say). The built-in demo's providers follow, unless
the file defines the same names.

Exit 0 when the file is valid, even if a provider is unusable; 1 when it is
not, with the file, line and key at fault.`,
		Example: `  keyhole providers
  keyhole --config ./keyhole.toml providers --json | jq '.[] | select(.usable | not)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conf, err := loadConfig(e, *configPath)
			if err != nil {
				return err
			}
			var list []providerInfo
			if conf.cfg != nil {
				for _, p := range conf.cfg.Providers {
					list = append(list, describeProvider(p, e.lookupEnv))
				}
			}
			demo, err := newApp(e, conf.cfg).DemoProviders()
			if err != nil {
				return err
			}
			for _, p := range demo {
				list = append(list, providerInfo{Name: p.Name, Title: p.DisplayTitle(), Grant: string(p.Grant),
					BaseURL: "(built-in demo, started on use)", TokenEndpoint: "(built-in demo)", Usable: true, Builtin: true})
			}
			if asJSON {
				if list == nil {
					list = []providerInfo{}
				}
				return e.printJSON(list)
			}
			if conf.cfg == nil {
				where := DefaultConfigPath(e.getenv)
				fmt.Fprintf(e.stderr, "keyhole: no config file (looked for %s); keyhole init writes an example there\n", where)
			} else {
				fmt.Fprintf(e.stderr, "keyhole: %s is valid\n", termtext.Line(conf.path))
			}
			describeEnvironment(e, conf)
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tTITLE\tGRANT\tBASE URL\tTOKEN ENDPOINT\tSTATUS")
			// Every cell comes from the config (or an error about it),
			// shown as one line: a tab or an escape in a value must
			// neither break the table nor drive the terminal.
			line := termtext.Line
			for _, p := range list {
				status := "ok"
				if !p.Usable {
					status = "unusable: " + line(p.Reason)
				}
				if p.Insecure {
					// The last column: tabwriter's alignment never
					// counts the colour codes.
					status += " " + red(e, e.stdout, "(insecure: TLS not verified)")
				}
				if p.Exchange != "" {
					status += " (" + line(p.Exchange) + ")"
				}
				if s := clearStatus(e, p.PlainHTTP); s != "" {
					status += " " + s
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", line(p.Name), line(p.Title), line(p.Grant), line(p.BaseURL), line(p.TokenEndpoint), status)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the providers as a JSON array")
	return cmd
}

// describeProvider says what a provider is and whether it can be used,
// resolving its ${VAR}s against env. URLs are shown with credential query
// parameters masked.
func describeProvider(p *config.Provider, env config.Env) providerInfo {
	shown := p
	info := providerInfo{Usable: true}
	if err := providers.Supported(p); err != nil {
		info.Usable, info.Reason = false, "grant "+string(p.Grant)+" is not supported by this build"
	} else if r, err := p.Resolve(env); err != nil {
		info.Usable = false
		var mv *config.MissingVarError
		if errors.As(err, &mv) {
			info.Reason = fmt.Sprintf("unset ${%s} (%s)", mv.Var, mv.Key)
		} else {
			info.Reason = err.Error()
		}
	} else if _, err := providers.HTTPClient(r, nil); err != nil {
		// A ca_file, cert_file or key_file keyhole cannot use: the
		// provider would fail at its first call, so say so now.
		info.Usable, shown = false, r
		var fe *providers.TLSFileError
		if errors.As(err, &fe) {
			info.Reason = fe.Reason()
		} else {
			info.Reason = err.Error()
		}
	} else {
		shown = r
	}
	info.Name, info.Title, info.Grant, info.Insecure = p.Name, shown.DisplayTitle(), string(p.Grant), p.Insecure
	info.Environment = p.Environment
	info.PlainHTTP = shown.ClearEndpoints()
	info.Exchange = shown.ExchangeNote()
	info.BaseURL = secret.RedactURL(shown.BaseURL)
	switch {
	case shown.TokenURL != "":
		info.TokenEndpoint = secret.RedactURL(shown.TokenURL)
	case shown.Grant == config.GrantCustom && shown.Login != nil:
		info.TokenEndpoint = "login: " + secret.RedactURL(shown.Login.URL)
	case shown.Grant == config.GrantStatic:
		info.TokenEndpoint = "(static token)"
	case shown.Grant == config.GrantCommand:
		// As written: a ${VAR} in an argument may hold a credential.
		info.TokenEndpoint = "(command: " + strings.Join(p.Command, " ") + ")"
	case shown.Issuer != "":
		info.TokenEndpoint = "(discovery: " + secret.RedactURL(shown.Issuer) + ")"
	}
	return info
}

// red paints s red for w when w is a terminal that shows colour; a pipe, a
// log or NO_COLOR get s as it is. It is how an insecure provider is marked
// on the command line.
func red(e env, w io.Writer, s string) string {
	if colorprofile.Detect(w, environ(e.getenv)) < colorprofile.ANSI {
		return s
	}
	return "\x1b[1;31m" + s + "\x1b[0m"
}

// insecureWarning is the stderr line a command using an insecure = true
// provider prints before its first call.
func insecureWarning(e env, name string) string {
	return "keyhole: " + red(e, e.stderr, "warning: "+termtext.Line(name)+" has insecure = true: TLS certificates are not verified")
}
