package model

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/runner"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// varsEnv is the environment whose variables a send sees: the one in
// force (--env at start, e since).
func (m *Model) varsEnv() *collenv.Layer { return m.environment() }

// varLayers are the variables a request of provider sees, lowest first:
// the provider's vars, the environment's (the TOML environment's vars,
// http-client.env.json, http-client.private.env.json, whose values are
// secret), the @vars of the file the composed request came from, and the
// variables captured with C. A later layer wins.
func (m *Model) varLayers(provider string) vars.Layers {
	var ls vars.Layers
	if e := m.entries.named(provider); e != nil && e.Config != nil && len(e.Config.Vars) > 0 {
		l := vars.Layer{Name: "providers." + provider + ".vars", Vars: map[string]vars.Value{}}
		for k, v := range e.Config.Vars {
			l.Vars[k] = vars.Template(v)
		}
		ls = append(ls, l)
	}
	if env := m.varsEnv(); env != nil {
		if vs := env.Vars(""); len(vs) > 0 {
			name := "the environment"
			if env.Name != "" {
				name = "environment " + env.Name
			}
			l := vars.Layer{Name: name, Vars: map[string]vars.Value{}}
			for k, v := range vs {
				val := vars.Template(v)
				if env.Secret(k) {
					val = val.AsSecret()
				}
				l.Vars[k] = val
			}
			ls = append(ls, l)
		}
	}
	if m.from != nil && len(m.from.file.Vars) > 0 {
		l := vars.Layer{Name: filepath.Base(m.from.file.Path), Vars: map[string]vars.Value{}}
		for _, v := range m.from.file.Vars {
			l.Vars[v.Name] = vars.Template(v.Value)
		}
		ls = append(ls, l)
	}
	if len(m.captures) > 0 {
		ls = append(ls, vars.Layer{Name: "captures", Vars: maps.Clone(m.captures)})
	}
	return ls
}

// composedRefs are the {{…}} references of the composed request, and the
// first that does not read as one (a request is never sent with "{{…}}"
// left in it).
func composedRefs(target, headers, body string) ([]vars.Ref, error) {
	var out []vars.Ref
	for _, text := range []string{target, headers, body} {
		refs, err := vars.Scan(text)
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

// unsetNames are the variables refs name that no layer has, each once.
// What a variable's value refers to in turn is known only when it is
// expanded, at send.
func unsetNames(refs []vars.Ref, ls vars.Layers) []string {
	var out []string
	for _, r := range refs {
		if r.Kind != vars.Variable {
			continue
		}
		if _, ok := ls.Lookup(r.Name); !ok && !slices.Contains(out, r.Name) {
			out = append(out, r.Name)
		}
	}
	return out
}

// expansion is what a send needs to expand the composed request's
// {{…}}, taken from the model in Update: the expanding itself may fetch a
// token ($auth.token) or read a file ($dotenv, a body's `< ./file`), so it
// runs in the send's command.
type expansion struct {
	layers vars.Layers
	// secrets are the names the request's # @secret lines declare.
	secrets map[string]bool
	// sessions answer $auth.token("NAME"), by provider name.
	sessions map[string]*providers.Session
	// exchanges are the last answers of the collection's named requests
	// in this session, for VS Code's {{name.response.body.$.id}}.
	exchanges map[string]vars.Exchange
	// dir is the .http file's folder ($dotenv, `< ./file`); parts is its
	// body, when the composer's is the one it gave.
	dir   string
	parts []httpfile.BodyPart
	// viaAuth: a $auth.token in a header carries the token; the provider
	// adds none, and the URL must be https (or http on loopback).
	viaAuth bool
	now     func() time.Time
}

// expanded is a request with its {{…}} replaced, and what knows its
// secrets.
type expanded struct {
	req exchange.Request
	red *secret.Redactor
	// origin is where a $auth.token request sends its token.
	origin string
	// tokens are the values $auth.token put in the request: references
	// read them masked.
	tokens []secret.String
	// tokErr is why a token could not be had.
	tokErr error
}

// newExpansion gathers what a send of the composed request needs, for
// the provider called provider.
func (m *Model) newExpansion(provider string, viaAuth bool) *expansion {
	x := &expansion{layers: m.varLayers(provider), secrets: map[string]bool{}, sessions: map[string]*providers.Session{},
		exchanges: m.exchanges(), viaAuth: viaAuth, now: m.opts.Now, dir: m.opts.Collection.WorkDir}
	for _, e := range m.entries {
		if e.Session != nil {
			x.sessions[e.name] = e.Session
		}
	}
	if f := m.from; f != nil {
		x.dir = filepath.Dir(f.file.Path)
		for _, s := range f.req.Secrets {
			x.secrets[s] = true
		}
		if _, _, _, body := m.composer.Request(); m.bodyFromFile(body) {
			x.parts = f.req.Body
		}
	}
	return x
}

// bodyFromFile reports whether body is the composer's body as a .http
// request gave it, with `< ./file` lines: the files are read at send.
func (m *Model) bodyFromFile(body string) bool {
	return m.from != nil && body == m.from.body && hasFilePart(m.from.req.Body)
}

func hasFilePart(parts []httpfile.BodyPart) bool {
	return slices.ContainsFunc(parts, func(p httpfile.BodyPart) bool { return p.File != "" })
}

// namedTokenErr is why $auth.token("id") got no token, masked, and named:
// the provider in use may be another, and "needs login … (press a)"
// alone sent the person to it. Needing a login stays that kind of error,
// so that the provider shows needs_login, not a failure.
func namedTokenErr(id string, sess *providers.Session, err error) error {
	if errors.Is(err, providers.ErrNeedsLogin) {
		return fmt.Errorf("%s %w", id, providers.ErrNeedsLogin)
	}
	msg := sess.Redact(err.Error())
	if !strings.HasPrefix(msg, id+":") {
		msg = id + ": " + msg
	}
	return errors.New(msg)
}

// expand replaces the {{…}} of r, as collection/runner does for keyhole
// run. Its errors name the reference and never hold a value.
func (x *expansion) expand(ctx context.Context, r exchange.Request) (expanded, error) {
	var out expanded
	res := vars.Resolver{
		Vars: func(name string) (vars.Value, bool) {
			v, ok := x.layers.Lookup(name)
			if ok && x.secrets[name] {
				v = v.AsSecret()
			}
			return v, ok
		},
		Token: func(id string, idToken bool) (secret.String, error) {
			sess := x.sessions[id]
			if sess == nil {
				return secret.String{}, fmt.Errorf("no provider %q here", id)
			}
			tok, err := sess.Token(ctx)
			if err != nil {
				out.tokErr = namedTokenErr(id, sess, err)
				return secret.String{}, out.tokErr
			}
			if idToken {
				return runner.IDToken(id, tok)
			}
			return tok.Access, nil
		},
		Exchange: func(name string) (vars.Exchange, bool) {
			ex, ok := x.exchanges[name]
			return ex, ok
		},
		Dir: x.dir,
		Now: x.now,
	}
	req := httpfile.Request{Method: r.Method, URL: r.Target, Body: x.parts}
	for _, f := range r.Header {
		req.Headers = append(req.Headers, httpfile.Header{Name: f.Name, Value: f.Value})
	}
	if x.parts == nil && r.Body != "" {
		req.Body = []httpfile.BodyPart{{Text: r.Body}}
	}
	prep, err := runner.Prepare(req, res, x.dir)
	if err != nil {
		return out, fmt.Errorf("not sent: %w", err)
	}
	out.red, out.tokens = prep.Redactor(), prep.Tokens
	if x.viaAuth || prep.Tokened {
		// A token in the URL or the body goes by the rule of one in a
		// header.
		origin, err := prep.TokenOrigin()
		if err != nil {
			return out, fmt.Errorf("not sent: %w", err)
		}
		if x.viaAuth {
			out.origin = origin
		}
	}
	out.req = exchange.Request{Method: prep.Method, Target: prep.Target, Header: prep.Header, Body: prep.Body}
	return out, nil
}

// exchanges are the collection's named requests' last answers, for
// VS Code's response references. The map is replaced on each answer,
// never written into: a command may be reading the one before.
func (m *Model) exchanges() map[string]vars.Exchange { return m.answers }

// keepAnswer keeps the answer to a named request of the collection, as
// references read it (runner.RequestSeen, runner.ResponseSeen).
func (m *Model) keepAnswer(name string, ex *exchange.Exchange, seen vars.Exchange) {
	if name == "" || ex == nil || ex.Response == nil {
		return
	}
	next := maps.Clone(m.answers)
	if next == nil {
		next = map[string]vars.Exchange{}
	}
	next[name] = seen
	m.answers = next
}

// braceNote says which variables a send is missing, and where they can be
// set.
func braceNote(names []string) string {
	return "not sent: fill " + braced(names) + " first, or set " + plural(len(names), "it", "them") +
		" (the provider's vars, the environment, the file's @vars, or C on a response)"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// authRefOwner reports the provider a composed request's
// {{$auth.token("NAME")}} names, if a header has one.
func authRefOwner(headers []exchange.Field) (string, bool) {
	req := httpfile.Request{}
	for _, f := range headers {
		req.Headers = append(req.Headers, httpfile.Header{Name: f.Name, Value: f.Value})
	}
	return runner.Owner(req, "")
}

// sendExpansion decides how the composed request r goes out: as it is
// (nil expansion) when it has no {{…}} and no body file; else expanded in the send's
// command, with the variables of its provider. A $auth.token("NAME") in
// a header makes NAME's session the one it is sent with, its token
// placed there and nowhere else. by is the entry to send with; nil when
// the request cannot go, the status line saying why.
func (m *Model) sendExpansion(e *entry, r exchange.Request) (x *expansion, by *entry) {
	if host := runner.SchemelessHost(strings.TrimSpace(r.Target)); host != "" {
		// As keyhole run refuses it: the tools would send it to that
		// host (over http or https: they differ), not as a path.
		m.notice = "not sent: " + host + " is a host: write http:// or https:// before it"
		return nil, nil
	}
	refs, err := composedRefs(r.Target, headerText(r.Header), r.Body)
	if err != nil {
		m.notice = "not sent: " + err.Error()
		return nil, nil
	}
	if len(refs) == 0 && !m.bodyFromFile(r.Body) {
		return nil, e
	}
	owner, viaAuth := authRefOwner(r.Header)
	if !viaAuth {
		return m.newExpansion(e.name, false), e
	}
	by = m.entries.named(owner)
	if by == nil || by.Session == nil || by.Config == nil {
		m.notice = fmt.Sprintf("not sent: {{$auth.token(%q)}} names no provider here that can get a token", owner)
		return nil, nil
	}
	return m.newExpansion(owner, true), by
}

func headerText(fields []exchange.Field) string {
	lines := make([]string, len(fields))
	for i, f := range fields {
		lines[i] = f.Name + ": " + f.Value
	}
	return strings.Join(lines, "\n")
}

// templateOnly reports whether a header value is {{…}} references and
// nothing else, but for a scheme before them ("Bearer {{token}}"): a
// value that only names what will stand there, which need not be masked.
// Text joined to a reference ("sk_{{x}}") may be part of a secret.
func templateOnly(value string) bool {
	refs, err := vars.Scan(value)
	if err != nil || len(refs) == 0 {
		return false
	}
	var rest strings.Builder
	at := 0
	for _, r := range refs {
		rest.WriteString(value[at:r.Start] + " ")
		at = r.End
	}
	rest.WriteString(value[at:])
	words := strings.Fields(rest.String())
	if len(words) == 0 {
		return true
	}
	scheme, after, ok := strings.Cut(strings.TrimSpace(value), " ")
	return len(words) == 1 && ok && words[0] == scheme && strings.HasPrefix(strings.TrimSpace(after), "{{") &&
		strings.IndexFunc(scheme, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') }) < 0
}
