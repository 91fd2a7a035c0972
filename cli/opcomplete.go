package cli

import (
	"context"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/spec"
)

// methodsOrOperations completes the word after NAME: the methods and the
// operations, or only the operations once the word begins with '@'.
func methodsOrOperations(ctx context.Context, e env, configPath, name, toComplete string) []string {
	ops := completeOperations(ctx, e, configPath, name)
	if strings.HasPrefix(toComplete, "@") {
		return ops
	}
	return append(slices.Clone(methods), ops...)
}

// completeOperations offers the @operationIds of provider name's spec,
// each with its summary as the description, for the word after NAME in
// call and curl. Only a spec at hand is read: a file, or a URL's copy in
// the cache. Completion never goes to the network (a Tab must not wait
// on a server, nor ask for a token), writes nothing, and says nothing: no
// spec at hand offers no operations. The built-in demo's spec lives in a
// process that completion does not start.
func completeOperations(ctx context.Context, e env, configPath, name string) []string {
	quiet := env{stdout: e.stdout, stderr: discard{}, getenv: e.getenv, lookupEnv: e.lookupEnv}
	conf, err := loadConfig(quiet, configPath)
	if err != nil || conf.cfg == nil {
		return nil
	}
	var raw *config.Provider
	for _, p := range conf.cfg.Providers {
		if p.Name == name {
			raw = p
		}
	}
	if raw == nil || raw.OpenAPI == "" {
		return nil
	}
	r, err := (&config.Provider{Name: raw.Name, BaseURL: raw.BaseURL, OpenAPI: raw.OpenAPI}).Resolve(e.lookupEnv)
	if err != nil {
		return nil
	}
	dir, err := spec.CacheDir(e.getenv)
	if err != nil {
		return nil
	}
	s, err := spec.Load(ctx, r.OpenAPI, spec.Options{Resolve: raw.FilePath, CacheDir: dir, CacheOnly: true})
	if err != nil {
		return nil
	}
	var out []string
	for _, op := range s.Index.Operations {
		// An id the shell could not take as one word (a space, a
		// newline that would split the answer, an escape) is not
		// offered.
		if op.ID == "" || strings.ContainsFunc(op.ID, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\u0085' || r == '\u2028' || r == '\u2029' }) || termtext.Line(op.ID) != op.ID {
			continue
		}
		c := "@" + op.ID
		if d := strings.Join(strings.Fields(termtext.Line(op.Summary)), " "); d != "" {
			c += "\t" + d
		}
		out = append(out, c)
	}
	return out
}
