// Package curl reads and writes curl commands. Parse reads one as people
// paste it, expanding and running nothing; Export writes a request as a
// runnable command that carries no secret, shared by `keyhole curl` and
// the TUI's `y`, so both print the same text.
package curl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/httptoken"
	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Options tune Export.
type Options struct {
	// ConfigPath is passed to the token command as --config PATH, so the
	// printed command finds the same provider wherever it runs; "" leaves
	// the flag out (the default config). Give it absolute.
	ConfigPath string
	// Reveal writes the secrets other than the token as they are.
	Reveal bool
	// ForceToken puts the token in a request to another origin than the
	// provider's base_url too; without it such a command carries none.
	ForceToken bool
	// Token is the token held, if any. Its token_type picks the header
	// prefix, and a token that carries its scheme ("Bearer eyJ...") gets
	// none. Its value is never written: unless Reveal, it is masked even
	// where the person typed it into the request.
	Token *providers.Token
	// BodyFile names a file that holds the body (keyhole curl -d @FILE):
	// the command reads it with --data-binary @FILE instead of carrying
	// the bytes. Body is still read to pick the Content-Type.
	BodyFile string
	// Redact masks the provider's registered secrets (Session.Redact) in
	// every value but the token substitution, unless Reveal.
	Redact func(string) string
}

// Command is an exported command.
type Command struct {
	// Command is the command line, one option per line.
	Command string
	// Masked is set when a secret other than the token was masked: the
	// command as written will not send it.
	Masked bool
	// Withheld is set when the URL leaves the provider's base_url origin
	// and so the command carries no token (see Options.ForceToken).
	Withheld bool
}

// Export writes r, sent for provider p, as a curl command for POSIX
// shells. The token is never in it: the command runs
// $(keyhole [--config F] token NAME) where the provider injects the token
// (a header with its prefix, or the query parameter). Other secrets —
// credential headers, credential query and form parameters, a URL
// password, anything opts.Redact knows — are masked unless opts.Reveal;
// Command.Masked says so.
func Export(p *config.Provider, r exchange.Request, opts Options) (Command, error) {
	r = r.WithVars(p.Vars)
	method, err := checkMethod(r.Method)
	if err != nil {
		return Command{}, err
	}
	u, err := exchange.ResolveURL(p.BaseURL, r.Target)
	if err != nil {
		return Command{}, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Command{}, fmt.Errorf("%s: only http and https URLs", u.Scheme)
	}
	if u.Host == "" {
		return Command{}, fmt.Errorf("%s: the URL has no host", secret.RedactURL(u.String()))
	}
	headers := make([]exchange.Field, 0, len(r.Header))
	for _, h := range r.Header {
		if !httptoken.Valid(h.Name) {
			return Command{}, fmt.Errorf("header name %q is not a valid HTTP field name", h.Name)
		}
		if strings.ContainsAny(h.Value, "\r\n") {
			return Command{}, fmt.Errorf("header %s: a header is one line", h.Name)
		}
		headers = append(headers, exchange.Field{Name: h.Name, Value: trimHTTPBlanks(h.Value)})
	}

	var out Command
	w := writer{reveal: opts.Reveal, redact: opts.Redact}
	if opts.Token != nil {
		w.red.Add(opts.Token.Secrets()...)
	}
	var in providers.Injection
	tokenCmd := ""
	inject := true
	if p.BaseURL != "" && !opts.ForceToken {
		base, err := url.Parse(p.BaseURL)
		if err != nil {
			return Command{}, fmt.Errorf("base_url: %w", err)
		}
		inject = providers.SameOrigin(base, u)
	}
	proofCmd := ""
	if inject {
		in = injection(p, opts.Token)
		tokenCmd = tokenCommand(p.Name, opts.ConfigPath, p.Environment)
		in, proofCmd = dpopInjection(p, opts, in, method, u)
	} else {
		out.Withheld = true
	}
	hasBody := r.Body != "" || opts.BodyFile != ""

	first := []string{"curl"}
	// The provider's TLS settings travel with the command, or it would
	// fail where keyhole succeeds. (--cacert replaces curl's CA bundle
	// rather than adding to it: right for a private CA.)
	if p.Insecure {
		first = append(first, "-k")
	}
	if p.CAFile != "" {
		first = append(first, "--cacert", shellword.Quote(p.CAFile))
	}
	if p.CertFile != "" {
		first = append(first, "--cert", shellword.Quote(p.CertFile), "--key", shellword.Quote(p.KeyFile))
	}
	switch {
	case method == "HEAD":
		first = append(first, "--head") // -X HEAD would wait for a body
	case method == "GET" && !hasBody, method == "POST" && hasBody:
	default:
		first = append(first, "-X", shellword.Quote(method))
	}
	u.Fragment, u.RawFragment = "", "" // never sent
	if in.Query != "" {
		u.RawQuery = dropQueryParam(u.RawQuery, in.Query)
	}
	shown := w.value(exchange.Sent{URL: u}.DisplayURL(w.reveal))
	if !w.reveal && strings.Contains(shown, secret.Mask) {
		w.masked = true
	}
	if strings.ContainsAny(shown, "[]{}") {
		first = append(first, "-g") // no curl globbing: the brackets are data
	}
	if seg := "/" + strings.TrimPrefix(u.EscapedPath(), "/") + "/"; strings.Contains(seg, "/./") || strings.Contains(seg, "/../") {
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
		first = append(first, shellword.QuoteSubst(shown+sep+url.QueryEscape(in.Query)+"=", tokenCmd))
	} else {
		first = append(first, shellword.Quote(shown))
	}

	lines := []string{strings.Join(first, " ")}
	for _, h := range headers {
		if in.Header != "" && strings.EqualFold(h.Name, in.Header) {
			continue // the token's header replaces it, as Send does
		}
		v := h.Value
		if !w.reveal && secret.SensitiveHeader(h.Name) && v != "" {
			v, w.masked = secret.MaskCredential(v), true
		}
		lines = append(lines, "-H "+headerWord(h.Name, w.value(v)))
	}
	contentType := ""
	if hasBody {
		contentType = exchange.SniffContentType(r.Body)
		explicit := false
		for _, h := range headers {
			if strings.EqualFold(h.Name, "Content-Type") {
				contentType, explicit = h.Value, true
			}
		}
		if !explicit {
			lines = append(lines, "-H "+shellword.Quote("Content-Type: "+contentType))
		}
	}
	if in.Header != "" {
		lines = append(lines, "-H "+shellword.QuoteSubst(in.Header+": "+in.Prefix, tokenCmd))
	}
	if proofCmd != "" {
		lines = append(lines, "-H "+shellword.QuoteSubst(dpop.Header+": ", proofCmd))
	}
	switch {
	case opts.BodyFile != "":
		lines = append(lines, "--data-binary "+shellword.Quote("@"+opts.BodyFile))
	case hasBody:
		body := r.Body
		if strings.IndexByte(body, 0) >= 0 {
			// No shell word holds a NUL: bash drops it and sends another
			// body. curl reads such bytes from a file, whole.
			return Command{}, errors.New("the body holds a NUL byte, which no shell argument can carry: save it to a file and use -d @FILE")
		}
		if !w.reveal && strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded") {
			if masked, changed := secret.MaskQuery(body, ""); changed {
				body, w.masked = masked, true
			}
		}
		if !w.reveal && document.IsJSON(contentType) {
			if masked, changed := secret.MaskJSON(body); changed {
				body, w.masked = masked, true
			}
		}
		body = w.value(body)
		opt := "-d"
		if strings.HasPrefix(body, "@") {
			opt = "--data-raw" // -d @x would read the file x
		}
		lines = append(lines, opt+" "+shellword.Quote(body))
	}
	out.Command = strings.Join(lines, " \\\n  ")
	out.Masked = w.masked
	return out, nil
}

// writer masks the values written into a command.
type writer struct {
	reveal bool
	redact func(string) string
	red    secret.Redactor // the held token, wherever it was typed
	masked bool
}

// value passes v through the redactors unless reveal, and remembers
// whether that changed anything.
func (w *writer) value(v string) string {
	if w.reveal {
		return v
	}
	out := w.red.Redact(v)
	if w.redact != nil {
		out = w.redact(out)
	}
	if out != v {
		w.masked = true
	}
	return out
}

// headerWord writes one -H argument. An empty value is written
// "Name;": curl reads "Name:" with nothing after the colon as "remove this
// header", not as "send it empty".
func headerWord(name, value string) string {
	if value == "" {
		return shellword.Quote(name + ";")
	}
	return shellword.Quote(name + ": " + value)
}

// injection is where the token goes: the provider's injection for the
// held token's type (its default without one), with no prefix when the
// token carries its scheme already, as Provider.Apply does.
func injection(p *config.Provider, tok *providers.Token) providers.Injection {
	return providers.InjectionFor(p, tok)
}

// tokenCommand is the keyhole command line that prints the token.
func tokenCommand(provider, configPath, env string) string {
	return keyholeCommand(configPath, env, "token", shellword.Quote(provider))
}

// dpopInjection is in and the command that prints a proof, for a provider
// with dpop = true whose token is DPoP-bound (or not yet known): the
// token goes with the DPoP scheme, and $(keyhole dpop NAME METHOD URL)
// makes a fresh proof for it each time the command runs. A proof is never
// written into the command: it would be stale in a minute, and it is a
// secret.
func dpopInjection(p *config.Provider, opts Options, in providers.Injection, method string, u *url.URL) (providers.Injection, string) {
	if !p.DPoP || in.Header == "" || opts.Token != nil && !providers.SendsDPoP(p, opts.Token) {
		return in, ""
	}
	if opts.Token == nil {
		in.Prefix = dpop.Scheme + " "
	}
	htu := *u
	htu.RawQuery, htu.ForceQuery, htu.Fragment, htu.RawFragment, htu.User = "", false, "", "", nil
	return in, keyholeCommand(opts.ConfigPath, p.Environment, "dpop", shellword.Quote(p.Name), shellword.Quote(method), shellword.Quote(htu.String()))
}

// keyholeCommand is a keyhole command line with the run's config and
// environment, args already quoted.
func keyholeCommand(configPath, env string, args ...string) string {
	words := []string{"keyhole"}
	if configPath != "" {
		words = append(words, "--config", shellword.Quote(configPath))
	}
	if env != "" {
		// The environment's own token: without it, the command would get
		// the token of the provider as no environment changes it, and send
		// it where this environment's request goes. One word, as
		// keyholeToken skips a flag it does not know.
		words = append(words, shellword.Quote("--env="+env))
	}
	return strings.Join(append(words, args...), " ")
}

// checkMethod normalizes and checks an HTTP method, so a typo cannot smuggle
// a space or a newline into the command.
func checkMethod(m string) (string, error) {
	m = strings.ToUpper(strings.TrimSpace(m))
	if m == "" {
		return "GET", nil
	}
	if !httptoken.Valid(m) {
		return "", fmt.Errorf("%q is not an HTTP method", m)
	}
	return m, nil
}

// trimHTTPBlanks trims spaces and tabs, the blanks HTTP allows around a field
// value (strings.TrimSpace would also eat Unicode spaces that are data).
func trimHTTPBlanks(s string) string { return strings.Trim(s, " \t") }

// dropQueryParam removes every name=... pair, leaving the rest as
// written. The names are read as the masking rules read them.
func dropQueryParam(q, name string) string {
	if q == "" {
		return q
	}
	var keep []string
	for _, part := range strings.Split(q, "&") {
		if n, _ := secret.ParamName(part); n == name {
			continue
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, "&")
}
