package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/keyhole-sh/keyhole/collection/check"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// resolver answers a request's {{…}}: the run's captures over the file's
// @vars over the layers of the request's provider and environment; tokens
// for $auth.token; the run's earlier exchanges for VS Code's references.
// A variable declared `# @secret NAME` is masked wherever it is used.
// tokenErr hears why a token could not be had, so the result says "no
// token" rather than "not sent".
func (r *run) resolver(f *httpfile.File, req httpfile.Request, owner string, tokenErr func(error)) vars.Resolver {
	layers := vars.Layers{}
	if r.opts.Layers != nil {
		layers = append(layers, r.opts.Layers(owner)...)
	}
	fileVars := vars.Layer{Name: filepath.Base(f.Path), Vars: map[string]vars.Value{}}
	for _, v := range f.Vars {
		fileVars.Vars[v.Name] = vars.Template(v.Value)
	}
	layers = append(layers, fileVars, vars.Layer{Name: "captures", Vars: r.captures})
	secretNames := map[string]bool{}
	for _, s := range req.Secrets {
		secretNames[s] = true
	}
	return vars.Resolver{
		Vars: func(name string) (vars.Value, bool) {
			v, ok := layers.Lookup(name)
			if ok && secretNames[name] {
				v = v.AsSecret()
			}
			return v, ok
		},
		Token: func(id string, idToken bool) (secret.String, error) {
			if idToken {
				err := fmt.Errorf("$auth.idToken(%q): keyhole keeps the access token only; use $auth.token", id)
				tokenErr(err)
				return secret.String{}, err
			}
			sess, err := r.session(id)
			if err != nil {
				return secret.String{}, err
			}
			tok, err := r.b.Token(context.Background(), sess)
			if err != nil {
				err = errors.New(sess.Redact(err.Error()))
				tokenErr(err)
				return secret.String{}, err
			}
			r.red.Add(tok.Access)
			return tok.Access, nil
		},
		Exchange: func(name string) (vars.Exchange, bool) {
			ex, ok := r.exchanges[name]
			return ex, ok
		},
		Dir:    filepath.Dir(f.Path),
		Getenv: r.opts.Getenv,
		Now:    r.opts.Now,
	}
}

type parsedAssert struct {
	assert check.Assert
	text   string
	line   int
}

type parsedCapture struct {
	capture check.Capture
	line    int
	secret  bool
}

// parseChecks reads a request's @assert and @capture lines. A line that
// does not parse stops the request before it is sent: a check that cannot
// run must not pass by default.
func parseChecks(req httpfile.Request) ([]parsedAssert, []parsedCapture, error) {
	var as []parsedAssert
	for _, d := range req.Asserts {
		a, err := check.ParseAssert(d.Text)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: @assert: %w", d.Line, err)
		}
		as = append(as, parsedAssert{assert: a, text: d.Text, line: d.Line})
	}
	secrets := map[string]bool{}
	for _, s := range req.Secrets {
		secrets[s] = true
	}
	var cs []parsedCapture
	for _, d := range req.Captures {
		c, err := check.ParseCapture(d.Text)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: @capture: %w", d.Line, err)
		}
		cs = append(cs, parsedCapture{capture: c, line: d.Line, secret: secrets[c.Name] || secret.SensitiveField(c.Name) || secret.SensitiveField(lastKey(d.Text))})
	}
	return as, cs, nil
}

// lastKey is the last key of a capture's path ("body.access_token" →
// access_token), by which a credential field is known.
func lastKey(text string) string {
	_, path, _ := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if i := strings.LastIndexAny(path, ".:"); i >= 0 {
		path = path[i+1:]
	}
	return path
}
