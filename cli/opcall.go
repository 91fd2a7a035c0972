package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/spec"
)

// What call and curl do with NAME @OPERATION_ID: the operation of the
// provider's spec, its parameters from -p and its body from -d.

// requestArgs accepts NAME METHOD PATH|URL, or NAME @OPERATION_ID.
func requestArgs(cmd *cobra.Command, args []string) error {
	if _, ok := operationArg(args); ok {
		return nil
	}
	return exactArgs(3)(cmd, args)
}

// operationArg is the operationId of NAME @OPERATION_ID.
func operationArg(args []string) (string, bool) {
	if len(args) != 2 {
		return "", false
	}
	return strings.CutPrefix(args[1], "@")
}

// paramsWithoutOperation refuses -p where there is no operation to fill.
func paramsWithoutOperation(params []string) error {
	if len(params) == 0 {
		return nil
	}
	return &exitError{code: ExitUsage, err: errors.New("-p fills an operation's parameters: use it with NAME @OPERATION_ID (keyhole ops NAME lists them)")}
}

// operationRequest loads provider name's spec and builds the request for
// operation id: its method, the target (a path for base_url, or a full
// URL on the operation's own server, which target then checks against
// base_url's origin like any URL) and its headers, the -H ones last and
// winning over the spec's. sess and token are loadSpec's.
func operationRequest(ctx context.Context, e env, b *backend, sess *providers.Session, token func(context.Context) (*providers.Token, error), p *config.Provider, id string, params []string, hasBody bool, headers []exchange.Field) (method, target string, fields []exchange.Field, err error) {
	method, target, fields, _, err = operationRequestOp(ctx, e, b, sess, token, p, id, params, hasBody, headers)
	return method, target, fields, err
}

// operationRequestOp is operationRequest that also gives the operation,
// for the doctor should the call be refused.
func operationRequestOp(ctx context.Context, e env, b *backend, sess *providers.Session, token func(context.Context) (*providers.Token, error), p *config.Provider, id string, params []string, hasBody bool, headers []exchange.Field) (method, target string, fields []exchange.Field, op *spec.Operation, err error) {
	values, err := parseParams(params)
	if err != nil {
		return "", "", nil, nil, err
	}
	if id == "" {
		return "", "", nil, nil, &exitError{code: ExitUsage, err: errors.New("@: name an operation, as keyhole ops NAME lists them (@listItems)")}
	}
	s, err := loadSpec(ctx, e, b, p.Name, sess, token)
	if err != nil {
		return "", "", nil, nil, err
	}
	op, ok := s.Index.Find(id)
	if !ok {
		return "", "", nil, nil, &exitError{code: ExitUsage, err: unknownOperation(s.Index, p.Name, id)}
	}
	filled, err := spec.Fill(op, fromVars(op, values, p.Vars), hasBody)
	if err != nil {
		return "", "", nil, nil, &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", p.Name, err)}
	}
	// base_url, the document's base path or the operation's own server
	// (spec.Spec.Place); target then checks the origin like any URL.
	target = s.Place(op, p.BaseURL).Prefix + filled.Target
	overridden := func(name string) bool {
		for _, h := range headers {
			if strings.EqualFold(h.Name, name) {
				return true
			}
		}
		return false
	}
	for _, h := range filled.Header {
		if !overridden(h.Name) {
			fields = append(fields, exchange.Field{Name: h.Name, Value: h.Value})
		}
	}
	// The documented media type, not the one -d guesses, unless -H says
	// otherwise: application/merge-patch+json is JSON too. A spec's
	// value that would break the header line is left out.
	if ct := filled.ContentType; ct != "" && !overridden("Content-Type") && !strings.ContainsFunc(ct, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		fields = append(fields, exchange.Field{Name: "Content-Type", Value: ct})
	}
	return filled.Method, target, append(fields, headers...), op, nil
}

// fromVars adds to the -p values the provider's vars for the parameters
// -p left out, as the TUI fills a path's {{name}} from them: every path
// parameter, and the required query, header and cookie ones. An optional
// one is not added just because a var shares its name: that would change
// what the request asks for. -p wins over a var.
func fromVars(op *spec.Operation, values []spec.Value, vars map[string]string) []spec.Value {
	if len(vars) == 0 {
		return values
	}
	given := map[string]bool{}
	for _, v := range values {
		given[v.Name] = true
	}
	add := func(name string) {
		if v, ok := vars[name]; ok && !given[name] {
			given[name] = true
			values = append(values, spec.Value{Name: name, Value: v})
		}
	}
	for _, name := range spec.PathNames(op.Path) {
		add(name)
	}
	for _, prm := range op.Parameters {
		if prm.In == "path" || prm.Required {
			add(prm.Name)
		}
	}
	return values
}

// parseParams reads each -p NAME=VALUE.
func parseParams(params []string) ([]spec.Value, error) {
	out := make([]spec.Value, 0, len(params))
	for _, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			// The value is not repeated: it may be a credential.
			return nil, &exitError{code: ExitUsage, err: fmt.Errorf("-p: want NAME=VALUE (got %d characters without a name and '=')", len(p))}
		}
		out = append(out, spec.Value{Name: name, Value: value})
	}
	return out, nil
}

// unknownOperation says that id is not in the spec, and which operationId
// the ranking puts first for it.
func unknownOperation(ix *spec.Index, name, id string) error {
	if why := ix.Empty(); why != "" {
		return fmt.Errorf("unknown operation @%s: %s", id, why)
	}
	// The same name in another case is the likeliest slip; else the
	// ranking's best.
	for _, op := range ix.Operations {
		if strings.EqualFold(op.ID, id) {
			return fmt.Errorf("unknown operation @%s: did you mean @%s? (keyhole ops %s lists them)", id, op.ID, name)
		}
	}
	for _, m := range ix.Match([]string{id}) {
		if m.Op.ID != "" {
			return fmt.Errorf("unknown operation @%s: did you mean @%s? (keyhole ops %s lists them)", id, m.Op.ID, name)
		}
	}
	return fmt.Errorf("unknown operation @%s: keyhole ops %s lists the operations", id, name)
}
