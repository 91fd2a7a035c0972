package cli

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/model/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// curlSpec is a request to write as a curl command.
type curlSpec struct {
	method  string
	url     *url.URL
	headers []exchange.Field
	body    data
	hasBody bool
	// inject is where the token goes; nil sends none.
	inject *providers.Injection
	// tokenCmd is the keyhole command line that prints the token.
	tokenCmd string
	reveal   bool
}

func newCurlCmd(e env, configPath *string) *cobra.Command {
	var headers []string
	var dataArg string
	var reveal, sendToken bool
	cmd := &cobra.Command{
		Use:   "curl NAME METHOD PATH|URL",
		Short: "Print the curl command for a request, its token fetched by keyhole",
		Long: `curl prints a runnable curl command for the request call would send. The token
is not in it: the command runs $(keyhole token NAME) where the provider injects
the token (a header with its prefix, or a query parameter), with the same
--config as this run. Other secrets — credential headers you pass
(Authorization, Cookie, ...), credential query and form parameters
(client_secret, password, ...) and a URL password — are masked as •••• unless
--reveal.

A demo-* provider of the built-in demo cannot be exported: that demo lives
inside one keyhole process. Run keyhole serve-demo > demo.toml and use
keyhole --config demo.toml curl ... instead.`,
		Example: `  keyhole curl tapkey GET /Owners
  keyhole --config demo.toml curl demo-cc POST /api/items -d '{"name": "Cedar Latch"}'
  sh -c "$(keyhole curl tapkey GET /Owners)"`,
		Args: exactArgs(3),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			switch len(args) {
			case 0:
				return completeProviders(e, *configPath), cobra.ShellCompDirectiveNoFileComp
			case 1:
				return methods, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			method, err := validMethod(args[1])
			if err != nil {
				return err
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
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s is the built-in demo, which lives only inside one keyhole process, so a curl command cannot reach it: run keyhole serve-demo > demo.toml in another terminal and use keyhole --config demo.toml curl %s ...", args[0], args[0])}
			}
			// The command needs only where the request goes and where the
			// token rides: a ${VAR} for a secret may be unset here (it is
			// the printed command's keyhole token that needs it).
			raw, _, _ := b.provider(args[0])
			p, err := (&providers.Provider{Name: raw.Name, BaseURL: raw.BaseURL, Inject: raw.Inject}).Resolve(b.e.lookupEnv)
			if err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			u, foreign, err := target(p, args[2])
			if err != nil {
				return err
			}
			spec := curlSpec{method: method, url: u, headers: fields, body: body, hasBody: dataArg != "", reveal: reveal}
			if !foreign || sendToken {
				// The prefix follows token_type, known from a cached token;
				// without one, the provider's default.
				tokType, carries := "", false
				in := p.Injection("")
				if held := peek(b, args[0]); held != nil {
					tokType = held.Type
					in = p.Injection(tokType)
					carries = in.Prefix != "" && strings.HasPrefix(strings.ToLower(held.Access.Reveal()), strings.ToLower(in.Prefix))
				}
				if carries {
					in.Prefix = "" // the token carries its scheme already
				}
				flag, err := b.configFlag()
				if err != nil {
					return err
				}
				words := []string{"keyhole"}
				for _, w := range flag {
					words = append(words, shellQuote(w))
				}
				spec.inject = &in
				spec.tokenCmd = strings.Join(append(words, "token", shellQuote(p.Name)), " ")
			} else {
				fmt.Fprintln(e.stderr, withheldNote(p, u))
			}
			text, masked := spec.command()
			if masked {
				fmt.Fprintln(e.stderr, "keyhole: secrets in this command are masked as "+secret.Mask+"; --reveal prints them")
			}
			_, err = fmt.Fprintln(e.stdout, text)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	fl.StringVarP(&dataArg, "data", "d", "", "request body; @FILE names a file, @- reads standard input")
	fl.BoolVar(&reveal, "reveal", false, "print secrets other than the token as they are")
	fl.BoolVar(&sendToken, "send-token", false, "send the token to a URL outside the provider's base_url origin too")
	return cmd
}

// peek returns the provider's cached token, if it is usable and has one,
// without any network call.
func peek(b *backend, name string) *providers.Token {
	sess, err := b.session(name)
	if err != nil {
		return nil
	}
	held, err := sess.Peek()
	if err != nil {
		return nil
	}
	return held
}

// command writes the curl command line, one option per line, and says
// whether it masked anything.
func (c curlSpec) command() (string, bool) {
	masked := false
	first := []string{"curl"}
	switch {
	case c.method == "HEAD":
		first = append(first, "--head") // -X HEAD would wait for a body
	case c.method == "GET" && !c.hasBody, c.method == "POST" && c.hasBody:
	default:
		first = append(first, "-X", shellQuote(c.method))
	}

	u := *c.url
	u.Fragment, u.RawFragment = "", "" // never sent
	var in providers.Injection
	if c.inject != nil {
		in = *c.inject
	}
	if in.Query != "" {
		u.RawQuery = dropParam(u.RawQuery, in.Query)
	}
	if !c.reveal && (queryHasSecret(u.RawQuery) || hasPassword(&u)) {
		masked = true
	}
	shown := exchange.Sent{URL: &u}.DisplayURL(c.reveal)
	if strings.ContainsAny(shown, "[]{}") {
		first = append(first, "-g") // no curl globbing: the brackets are data
	}
	if p := "/" + strings.TrimPrefix(u.EscapedPath(), "/") + "/"; strings.Contains(p, "/./") || strings.Contains(p, "/../") {
		first = append(first, "--path-as-is") // do not let curl squash dot segments
	}
	if in.Query != "" {
		sep := "&"
		if u.RawQuery == "" {
			sep = "?"
			if strings.HasSuffix(shown, "?") {
				sep = ""
			}
		}
		first = append(first, withSubst(shown+sep+url.QueryEscape(in.Query)+"=", c.tokenCmd))
	} else {
		first = append(first, shellQuote(shown))
	}

	lines := []string{strings.Join(first, " ")}
	for _, h := range c.headers {
		if in.Header != "" && strings.EqualFold(h.Name, in.Header) {
			continue // the token's header replaces it, as call does
		}
		v := h.Value
		if !c.reveal && secret.SensitiveHeader(h.Name) && v != "" {
			v, masked = maskCredential(v), true
		}
		lines = append(lines, "-H "+shellQuote(h.Name+": "+v))
	}
	contentType := ""
	if c.hasBody {
		contentType = contentTypeFor(c.body.body)
		for _, h := range c.headers {
			if strings.EqualFold(h.Name, "Content-Type") {
				contentType = h.Value
			}
		}
		if !hasHeader(c.headers, "Content-Type") {
			lines = append(lines, "-H "+shellQuote("Content-Type: "+contentType))
		}
	}
	if in.Header != "" {
		lines = append(lines, "-H "+withSubst(in.Header+": "+in.Prefix, c.tokenCmd))
	}
	if c.hasBody {
		switch {
		case c.body.file != "":
			lines = append(lines, "--data-binary "+shellQuote("@"+c.body.file))
		default:
			body := c.body.body
			if !c.reveal && strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded") && queryHasSecret(body) {
				body, masked = maskParams(body), true
			}
			opt := "-d"
			if strings.HasPrefix(body, "@") {
				opt = "--data-raw" // -d @x would read the file x
			}
			lines = append(lines, opt+" "+shellQuote(body))
		}
	}
	return strings.Join(lines, " \\\n  "), masked
}

// maskCredential masks a credential header's value, keeping an auth scheme
// readable ("Basic ••••").
func maskCredential(v string) string {
	if scheme, rest, ok := strings.Cut(v, " "); ok && rest != "" && isAuthScheme(scheme) {
		return scheme + " " + secret.Mask
	}
	return secret.Mask
}

func isAuthScheme(w string) bool {
	if w == "" || len(w) > 20 {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// paramName is the decoded name of one name=value pair.
func paramName(part string) (string, bool) {
	raw, _, hasValue := strings.Cut(part, "=")
	name, err := url.QueryUnescape(raw)
	if err != nil {
		name = raw
	}
	return name, hasValue
}

// queryHasSecret reports whether a query (or form body) has a credential
// parameter with a value.
func queryHasSecret(q string) bool {
	for _, part := range strings.Split(q, "&") {
		if name, hasValue := paramName(part); hasValue && secret.SensitiveParam(name) {
			return true
		}
	}
	return false
}

// maskParams masks credential parameters in place, keeping the others as
// written.
func maskParams(q string) string {
	parts := strings.Split(q, "&")
	for i, part := range parts {
		if name, hasValue := paramName(part); hasValue && secret.SensitiveParam(name) {
			raw, _, _ := strings.Cut(part, "=")
			parts[i] = raw + "=" + secret.Mask
		}
	}
	return strings.Join(parts, "&")
}

// dropParam removes every name=... pair, leaving the rest as written.
func dropParam(q, name string) string {
	if q == "" {
		return q
	}
	var keep []string
	for _, part := range strings.Split(q, "&") {
		if n, _ := paramName(part); n == name {
			continue
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, "&")
}

func hasPassword(u *url.URL) bool {
	if u.User == nil {
		return false
	}
	_, ok := u.User.Password()
	return ok
}
