package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/spec"
)

// opJSON is one operation as ops --json prints it.
type opJSON struct {
	Method      string           `json:"method"`
	Path        string           `json:"path"`
	OperationID string           `json:"operationId"`
	Summary     string           `json:"summary"`
	Tags        []string         `json:"tags"`
	Deprecated  bool             `json:"deprecated"`
	Parameters  []spec.Parameter `json:"parameters"`
	Scopes      []string         `json:"scopes"`
	// TokenOptional is set when the security list has an empty
	// alternative ({}): the operation can be called without a token,
	// and scopes are what one is held to when sent.
	TokenOptional bool `json:"tokenOptional"`
}

func newOpsCmd(e env, configPath *string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ops NAME [WORDS...]",
		Short: "List the operations of a provider's OpenAPI spec",
		Long: `ops lists the operations in the OpenAPI spec that the provider's openapi key
names (a file, taken from the config file's folder, or an http(s) URL): method,
path, operationId and summary. With words, only the operations that match every
one of them, best first, word by word over "METHOD path operationId summary
tags": a word found whole or at the start of a word far above scattered letters,
a method word to the method, the words together to the operationId ("get item"
finds getItem first); ties go to the shorter path, then the spec's order.
Without, all of them in the spec's order.

A URL is fetched with the provider's TLS settings, and with its token only when
it is on the base_url origin; it is cached under $XDG_CACHE_HOME/keyhole and
asked for again with its validator (ETag, Last-Modified), and when it cannot be
reached the cached copy is used, with a note on stderr. A URL that redirects
fails: keyhole follows no redirect.

--json prints an array of objects: method, path, operationId, summary, tags,
deprecated, parameters ([{name, in, required, type}]), scopes
(["scheme:scope", ...]) and tokenOptional (true when the spec's security lists
an empty alternative, {}: no token is needed, and scopes are what one sent is
held to).`,
		Example: `  keyhole ops github
  keyhole ops github issue comment
  keyhole ops github --json | jq '.[] | select(.scopes | index("oauth:repo"))'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOps(cmd.Context(), e, *configPath, args[0], args[1:], asJSON)
		},
		ValidArgsFunction: completeProviderArg(e, configPath),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func runOps(ctx context.Context, e env, configPath, name string, words []string, asJSON bool) error {
	b, err := newBackend(e, configPath)
	if err != nil {
		return err
	}
	defer b.close()
	if _, _, err := b.provider(name); err != nil {
		return err
	}
	sess, err := b.session(name)
	if err != nil {
		return err
	}
	// No browser opens for a listing.
	s, err := loadSpec(ctx, e, b, name, sess, func(ctx context.Context) (*providers.Token, error) {
		return getToken(ctx, e, sess, false, true)
	})
	if err != nil {
		return err
	}
	// An empty list needs a word, on stderr: a spec of webhooks only,
	// or of no paths, is not a keyhole that lost them.
	if why := s.Index.Empty(); why != "" {
		fmt.Fprintf(e.stderr, "keyhole: %s: %s\n", termtext.Line(name), termtext.Line(why))
	}
	matches := s.Index.Match(words)
	if asJSON {
		return printOpsJSON(e, matches)
	}
	if len(matches) == 0 {
		if len(words) > 0 {
			fmt.Fprintf(e.stderr, "keyhole: no operation of %s matches %q\n", termtext.Line(name), termtext.Line(strings.Join(words, " ")))
		}
		return nil
	}
	// The spec is someone else's text: every field goes through the
	// sanitizer, whether stdout is a terminal or a pipe to one.
	// tabwriter writes each cell and its padding apart: buffered, the
	// 1,200 rows of a GitHub-sized spec are a few writes, not 14,000.
	bw := bufio.NewWriter(e.stdout)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	for _, m := range matches {
		op := m.Op
		summary := op.Summary
		if op.Deprecated {
			summary = strings.TrimSpace("(deprecated) " + summary)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", termtext.Line(op.Method), cell(op.Path), cell(op.ID), termtext.Line(summary))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the operations: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the operations: %w", err)
	}
	return nil
}

// cell is a field for the table: sanitized, tabs out, "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.ReplaceAll(termtext.Line(s), "\t", " ")
}

func printOpsJSON(e env, matches []spec.Match) error {
	list := make([]opJSON, 0, len(matches))
	for _, m := range matches {
		op := m.Op
		o := opJSON{Method: op.Method, Path: op.Path, OperationID: op.ID, Summary: op.Summary, Tags: op.Tags,
			Deprecated: op.Deprecated, Parameters: op.Parameters, Scopes: op.Scopes, TokenOptional: op.TokenOptional()}
		if o.Tags == nil {
			o.Tags = []string{}
		}
		if o.Parameters == nil {
			o.Parameters = []spec.Parameter{}
		}
		if o.Scopes == nil {
			o.Scopes = []string{}
		}
		list = append(list, o)
	}
	return e.printJSON(list)
}
