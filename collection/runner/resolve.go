package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/keyhole-sh/keyhole/collection/check"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// resolver answers a request's {{…}}: the run's captures over the file's
// @vars over the layers of the request's provider and environment; tokens
// for $auth.token; the run's earlier exchanges for VS Code's references.
// A variable declared `# @secret NAME` is masked wherever it is used.
// tokenErr hears why a token could not be had, so the result says "no
// token" rather than "not sent".
func (r *run) resolver(ctx context.Context, f *httpfile.File, req httpfile.Request, owner string, tokenErr func(error)) vars.Resolver {
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
			sess, err := r.session(id)
			if err != nil {
				return secret.String{}, err
			}
			tok, err := r.b.Token(ctx, sess)
			if err != nil {
				tokenErr(err)
				return secret.String{}, errors.New(sess.Redact(err.Error()))
			}
			r.red.Add(tok.Access, tok.ID)
			if idToken {
				v, err := IDToken(id, tok)
				if err != nil {
					tokenErr(err) // no token to send: exit 2, as call's
				}
				return v, err
			}
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

// IDToken is the ID token of provider id's token, for
// {{$auth.idToken("id")}}; an error saying so when its answer carried none.
func IDToken(id string, tok *providers.Token) (secret.String, error) {
	if tok.ID.Reveal() == "" {
		return secret.String{}, fmt.Errorf("$auth.idToken(%q): the provider's token answer carried no ID token (an OpenID Connect provider sends one when asked for the openid scope)", id)
	}
	return tok.ID, nil
}

type parsedCapture struct {
	capture check.Capture
	text    string
	line    int
	secret  bool
}

// parseCaptures reads a request's @capture lines. A line that does not
// parse stops the request before it is sent.
func parseCaptures(req httpfile.Request) ([]parsedCapture, error) {
	secrets := map[string]bool{}
	for _, s := range req.Secrets {
		secrets[s] = true
	}
	var cs []parsedCapture
	for _, d := range req.Captures {
		c, err := check.ParseCapture(d.Text)
		if err != nil {
			return nil, &lineError{line: d.Line, err: fmt.Errorf("@capture %s: %w", d.Text, err)}
		}
		cs = append(cs, parsedCapture{capture: c, text: d.Text, line: d.Line, secret: secrets[c.Name] || c.Secret() || secret.SensitiveField(c.Name)})
	}
	return cs, nil
}

// checkAsserts runs a request's @assert lines against its response. Their
// {{…}} are expanded first, with the captures this response just set: a
// check may compare against an earlier value (body.id == "{{item_id}}").
// A line that does not expand or parse fails, saying why: a check that
// cannot run must not pass.
func checkAsserts(req httpfile.Request, res vars.Resolver, resp check.Response, red *secret.Redactor) []Check {
	var out []Check
	for _, d := range req.Asserts {
		c := Check{Expr: d.Text, Line: d.Line}
		text, err := res.Expand(d.Text)
		if err != nil {
			c.Got = "{{…}}: " + red.Redact(err.Error())
			out = append(out, c)
			continue
		}
		red.Add(text.Secrets()...)
		a, err := check.ParseAssert(text.Reveal())
		if err != nil {
			c.Got = "a check that does not parse: " + red.Redact(err.Error())
			out = append(out, c)
			continue
		}
		o := a.Check(resp)
		c.Pass = o.Pass
		if !o.Pass {
			c.Got = red.Redact(o.Why)
			if c.Got == "" {
				c.Got = red.Redact(o.Found)
			}
		}
		out = append(out, c)
	}
	return out
}
