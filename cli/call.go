package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/spec"
)

// Exit codes of call beyond the common ones.
const (
	ExitClientError = 4 // the response was a 4xx
	ExitServerError = 5 // the response was a 5xx
)

type callFlags struct {
	headers              []string
	data                 string
	include, asJSON      bool
	pretty, raw          bool
	sendToken, noBrowser bool
	yes                  bool     // send in a dangerous environment
	params               []string // -p NAME=VALUE, for NAME @OPERATION_ID
}

func newCallCmd(e env, configPath *string) *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "call NAME METHOD PATH|URL | call NAME @OPERATION_ID",
		Short: "Send one request with a provider's token and print the response body",
		Long: `call gets the provider's token (cached, refreshed or new) and sends one request
with it, where the provider wants it. A path is joined to the provider's
base_url; a full URL to another origin gets no token unless --send-token.

NAME @OPERATION_ID sends an operation of the provider's OpenAPI spec (its
openapi key; keyhole ops NAME lists them): -p NAME=VALUE fills its path
parameters (each escaped as one path segment), its query parameters and its
header and cookie parameters, -d its body, sent with the spec's content type.
A required parameter or body left out, a -p the operation does not have, or an
unknown operation is a usage error naming it. An operation with a server of
its own on another origin than base_url gets the token only with --send-token.

The body is printed as JSON indented when it is JSON and stdout is a terminal,
unchanged otherwise; --pretty and --raw force either. On a terminal, control
characters in the body (escape sequences a server could use to drive the
terminal) are shown as symbols, --raw included; a pipe or a file gets the
bytes as they came. -i prints the status line
and headers first, as curl -i does. --json prints {"status", "headers", "body",
"time_ms"}: headers as one string per name (values joined with ", "), body as
a JSON value when the response is JSON, else as a string ("body_encoding":
"base64" marks bytes that are not text).

-d sets Content-Type: application/json when the body is a JSON object or array,
else application/x-www-form-urlencoded, as curl does; -H overrides it.
-d @FILE sends a file as it is, -d @- standard input.
A -H for the header the token goes in (Authorization, or the inject table's)
is replaced by the token; a URL of another origin gets it as written.

Response headers that carry credentials (Set-Cookie) are masked in -i and
--json output.

In a dangerous environment (--env prod or production, or one marked
danger = true) a method other than GET, HEAD or OPTIONS is not sent without
--yes: exit 1, naming the environment.

Exit codes: 0 for a 1xx, 2xx or 3xx response (redirects are not followed),
4 for a 4xx, 5 for a 5xx, 2 when no token came, 3 when the network failed,
1 for a usage or config error, 130 when Ctrl+C stopped it.`,
		Example: `  keyhole call demo-cc GET /api/me
  keyhole call demo-cc POST /api/items -d '{"name": "Cedar Latch"}'
  keyhole call tapkey GET /Owners -i
  keyhole call tapkey GET /Owners --json | jq .status
  keyhole call demo-cc @getItem -p id=itm_0001
  keyhole call demo-cc @createItem -d '{"name": "Cedar Latch"}'`,
		Args:              requestArgs,
		ValidArgsFunction: completeRequestArgs(e, configPath),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCall(cmd.Context(), e, *configPath, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	fl.StringVarP(&f.data, "data", "d", "", "request body; @FILE reads a file, @- standard input")
	fl.BoolVarP(&f.include, "include", "i", false, "print the status line and the response headers first")
	fl.BoolVar(&f.asJSON, "json", false, `print {"status","headers","body","time_ms"}`)
	fl.BoolVar(&f.pretty, "pretty", false, "indent a JSON body even when stdout is not a terminal")
	fl.BoolVar(&f.raw, "raw", false, "print the body unformatted, even on a terminal")
	fl.BoolVar(&f.sendToken, "send-token", false, "send the token to a URL outside the provider's base_url origin too")
	fl.StringArrayVarP(&f.params, "param", "p", nil, "with @OPERATION_ID: a parameter NAME=VALUE (repeatable)")
	fl.BoolVar(&f.noBrowser, "no-browser", false, "if a sign-in is needed, print its address instead of opening a browser")
	fl.BoolVar(&f.yes, "yes", false, "send a method other than GET, HEAD or OPTIONS in a dangerous environment (prod, production, danger = true)")
	cmd.MarkFlagsMutuallyExclusive("pretty", "raw")
	cmd.MarkFlagsMutuallyExclusive("json", "include")
	return cmd
}

func runCall(ctx context.Context, e env, configPath string, args []string, f callFlags) error {
	opID, isOp := operationArg(args)
	var method, rawTarget string
	if !isOp {
		if err := paramsWithoutOperation(f.params); err != nil {
			return err
		}
		m, err := validMethod(args[1])
		if err != nil {
			return err
		}
		method, rawTarget = m, args[2]
	}
	fields, err := parseHeaderFlags(f.headers)
	if err != nil {
		return err
	}
	body, err := readData(e, f.data)
	if err != nil {
		return err
	}
	b, sess, err := openSession(e, configPath, args[0])
	if err != nil {
		return err
	}
	defer b.close()
	p := sess.Provider()
	// A private spec's token is the call's: got once, as the call would
	// get it (a browser unless --no-browser).
	var specTok *providers.Token
	var specOp *spec.Operation // the operation @id named, for the doctor
	if isOp {
		// Only here does call read a spec: call METHOD PATH never does.
		token := func(ctx context.Context) (*providers.Token, error) {
			var err error
			specTok, err = getToken(ctx, e, sess, false, f.noBrowser)
			return specTok, err
		}
		if method, rawTarget, fields, specOp, err = operationRequestOp(ctx, e, b, sess, token, p, opID, f.params, f.data != "", fields); err != nil {
			return err
		}
	}
	if err := refuseDangerous(b.conf.layer, method, f.yes); err != nil {
		return err
	}
	u, foreign, err := target(p, rawTarget)
	if err != nil {
		return maskErr(err, sess.Redact)
	}
	// A token that will not be sent is not fetched: no sign-in for nothing.
	var tok *providers.Token
	if !foreign || f.sendToken {
		if tok = specTok; tok == nil {
			if tok, err = getToken(ctx, e, sess, false, f.noBrowser); err != nil {
				return err
			}
		}
	} else {
		fmt.Fprintln(e.stderr, termtext.Line(withheldNote(p, u)))
	}
	opts := exchange.Options{
		MaxBody:    b.app.MaxBody(),
		Timeout:    p.Timeout.Std(),
		ForceToken: f.sendToken,
		Pace: func(ctx context.Context) error {
			_, err := sess.Pace(ctx)
			return err
		},
		Sleep: sleepFor(e),
	}
	if tok != nil {
		opts.Renew = func(ctx context.Context) (*providers.Token, error) {
			tok, err := sess.Refresh(ctx)
			warnCacheErr(e, tok, err)
			return tok, err
		}
	}
	// Redirects are shown, not followed, as curl does: a 3xx is an answer,
	// and the token must not ride along to wherever it points. Every
	// client keyhole makes (providers.NewClient) is built that way.
	ex := exchange.Send(ctx, b.app.Client(p.Name), p, tok, exchange.Request{Method: method, Target: rawTarget, Header: fields, Body: body.body}, opts)
	for _, n := range ex.Notes {
		fmt.Fprintln(e.stderr, "keyhole: "+termtext.Line(sess.Redact(n)))
	}
	resp := ex.Response
	if resp == nil {
		if ex.Err == nil {
			return &exitError{code: ExitNetwork, err: fmt.Errorf("%s: no response", p.Name)}
		}
		return maskErr(ex.Err, sess.Redact)
	}
	if err := printResponse(e, resp, f, sess.Redact); err != nil {
		return err
	}
	if resp.Truncated {
		fmt.Fprintf(e.stderr, "keyhole: the body was cut at %s (max_body)\n", document.HumanSize(resp.Size))
	}
	if ex.Err != nil {
		return maskErr(ex.Err, sess.Redact) // the body broke off: exit 3, after printing what came
	}
	code := ExitOK
	switch {
	case resp.Status >= 500:
		code = ExitServerError
	case resp.Status >= 400:
		code = ExitClientError
	default:
		return nil
	}
	fmt.Fprintf(e.stderr, "keyhole: %s answered %d %s\n", termtext.Line(ex.Sent.Method+" "+ex.Sent.DisplayURL(false)), resp.Status, termtext.Line(resp.StatusText))
	if findings := ex.DiagnoseOp(p, time.Now(), refusalOperation(ctx, e, b, sess, tok, specOp, ex)); len(findings) > 0 {
		// The 401/403 doctor: the likely cause first, each with its fix
		// in the config's words.
		for _, f := range findings {
			fmt.Fprintln(e.stderr, "why: "+termtext.Line(f.Cause))
			fmt.Fprintln(e.stderr, "  fix: "+termtext.Line(f.Fix))
		}
	} else if hint := exchange.StatusHint(resp); hint != "" {
		fmt.Fprintln(e.stderr, "hint: "+termtext.Line(hint))
	}
	return &silentError{code: code}
}

// sleepFor is the wait used for a 429's Retry-After.
func sleepFor(e env) func(context.Context, time.Duration) error {
	if e.sleep != nil {
		return e.sleep
	}
	return providers.Sleep
}

// printResponse writes the response to stdout as the flags ask.
// The headers (-i, --json) are masked as the TUI masks them: a server that
// echoes the token, or the client secret, in one of its own does not put
// it on the terminal or in a log. The body goes as it came.
func printResponse(e env, resp *exchange.Response, f callFlags, redact func(string) string) error {
	if f.asJSON {
		out, flush := e.jsonStdout()
		if err := writeResponseJSON(out, resp, redact); err != nil {
			return err
		}
		return flush()
	}
	tty := e.tty(e.stdout)
	if f.include {
		proto := resp.Proto
		if proto == "" {
			proto = "HTTP/1.1"
		}
		fmt.Fprintf(e.stdout, "%s %d %s\n", termtext.Line(proto), resp.Status, termtext.Line(resp.StatusText))
		for _, line := range exchange.HeaderLines(resp.Header, providers.Injection{}, secret.String{}, false) {
			fmt.Fprintln(e.stdout, termtext.Line(redact(line)))
		}
		fmt.Fprintln(e.stdout)
	}
	out := resp.Body
	switch {
	case f.raw:
	// JSON is checked only when it is to be formatted: validating 50 MB
	// that goes out as it came costs a quarter of a second.
	case (f.pretty || tty) && jsonBody(resp):
		if indented, ok := document.IndentJSON(out); ok {
			out = append(indented, '\n')
		}
	case tty && !isText(out):
		fmt.Fprintf(e.stderr, "keyhole: a binary body (%s) is not printed to a terminal; use --raw, or redirect stdout to a file\n", document.HumanSize(resp.Size))
		return nil
	}
	if err := writeBody(e.stdout, out, tty); err != nil {
		return err
	}
	// On a terminal, the prompt should not start after the body's last
	// character; a pipe gets the bytes unchanged.
	if tty && len(out) > 0 && out[len(out)-1] != '\n' {
		_, err := io.WriteString(e.stdout, "\n")
		return err
	}
	return nil
}

// jsonBody reports whether the response body is JSON: by its content
// type, or, with none that says so, by its first character and validity.
func jsonBody(resp *exchange.Response) bool {
	t := bytes.TrimSpace(resp.Body)
	if len(t) == 0 || !json.Valid(t) {
		return false
	}
	return document.IsJSON(resp.Header.Get("Content-Type")) || t[0] == '{' || t[0] == '['
}

func isText(b []byte) bool {
	return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0
}

// completeProviderArg completes a command whose first word is a provider
// NAME and whose other words are not files.
func completeProviderArg(e env, configPath *string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeProviders(e, *configPath), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeRequestArgs completes NAME, then METHOD or @OPERATION_ID, for
// call and curl.
func completeRequestArgs(e env, configPath *string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		switch len(args) {
		case 0:
			return completeProviders(e, *configPath), cobra.ShellCompDirectiveNoFileComp
		case 1:
			return methodsOrOperations(cmd.Context(), e, *configPath, args[0], toComplete), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
