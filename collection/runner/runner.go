// Package runner runs the requests of .http collections in file order,
// with their providers' tokens, the variables of the active environment,
// captures that feed later requests, and checks: what `keyhole run` does,
// for people and for CI. It prints nothing; the caller formats the Report.
package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/collection/check"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Backend is what a run needs of the wiring (app in keyhole): sessions,
// their clients and their tokens.
type Backend interface {
	// Session opens the provider called name.
	Session(name string) (*providers.Session, error)
	// Client is the HTTP client for the provider called name; "" is the
	// client for requests without a provider.
	Client(name string) *http.Client
	// Token gets the session's token: cached, refreshed or new.
	Token(ctx context.Context, s *providers.Session) (*providers.Token, error)
	// MaxBody cuts response bodies.
	MaxBody() int64
}

// Options tune a run.
type Options struct {
	// Env names the active environment, for messages; Danger is set when
	// it is one nobody should send to by mistake (prod, production,
	// danger = true), and Yes when the person said to send anyway.
	Env         string
	Danger, Yes bool
	// FailFast stops at the first request that does not pass.
	FailFast bool
	// Name is a glob (path.Match) over request names; "" runs them all.
	Name string
	// Provider is the provider of a request with a relative URL that
	// names none (--provider).
	Provider string
	// Layers gives the variables below the file's own for a request of
	// the provider called name ("" for none), lowest first: provider vars
	// < environment vars < http-client.env.json < the private env file.
	Layers func(provider string) vars.Layers
	// Getenv reads the process environment for $processEnv; nil is the
	// real one.
	Getenv func(string) (string, bool)
	// Now is the clock of the dynamic variables; nil is time.Now.
	Now func() time.Time
	// Progress hears each result as it is known, for output that streams.
	Progress func(Result)
}

// run is the state of one run: captures and the last exchange of each
// named request.
type run struct {
	opts      Options
	b         Backend
	captures  map[string]vars.Value
	exchanges map[string]vars.Exchange
	sessions  map[string]*providers.Session
	red       *secret.Redactor // every secret this run has seen
	stop      bool
}

// Matches reports whether the request is selected by the glob ("" selects
// all). An unnamed request is named by its method and URL.
func Matches(glob string, r httpfile.Request) bool {
	if glob == "" {
		return true
	}
	name := r.Name
	if name == "" {
		name = r.Method + " " + r.URL
	}
	ok, err := path.Match(glob, name)
	return err == nil && ok
}

// Run sends the files' requests in order. Files are parsed already; their
// problems and what is not run go into the report.
func Run(ctx context.Context, files []*httpfile.File, b Backend, opts Options) *Report {
	start := time.Now()
	r := &run{opts: opts, b: b, captures: map[string]vars.Value{}, exchanges: map[string]vars.Exchange{},
		sessions: map[string]*providers.Session{}, red: &secret.Redactor{}}
	rep := &Report{}
	for _, f := range files {
		for _, p := range f.Problems {
			rep.Problems = append(rep.Problems, p.Error())
		}
		for _, n := range f.NotRun {
			rep.NotRun = append(rep.NotRun, fmt.Sprintf("%s:%d: %s: kept, not run", f.Path, n.Line, n.What))
		}
		for _, req := range f.Requests {
			if !Matches(opts.Name, req) {
				continue
			}
			var res Result
			if r.stop {
				res = Result{File: f.Path, Line: req.Line, Name: req.Name, Method: req.Method, URL: req.URL, Outcome: Skipped}
			} else {
				res = r.one(ctx, f, req)
				if opts.FailFast && res.Outcome != Passed {
					r.stop = true
				}
			}
			rep.Results = append(rep.Results, res)
			if opts.Progress != nil {
				opts.Progress(res)
			}
		}
	}
	rep.Duration = time.Since(start)
	return rep
}

// one runs one request.
func (r *run) one(ctx context.Context, f *httpfile.File, req httpfile.Request) Result {
	res := Result{File: f.Path, Line: req.Line, Name: req.Name, Method: req.Method, URL: req.URL}
	fail := func(o Outcome, err error) Result {
		res.Outcome = o
		line := req.Line
		var le *lineError
		if errors.As(err, &le) {
			line, err = le.line, le.err
		}
		res.Err = fmt.Sprintf("%s:%d: %s", f.Path, line, r.red.Redact(err.Error()))
		return res
	}
	captures, err := parseCaptures(req)
	if err != nil {
		return fail(NotSent, err)
	}
	owner, viaAuth := Owner(req, r.opts.Provider)
	res.Provider = owner
	var sess *providers.Session
	if owner != "" {
		if sess, err = r.session(owner); err != nil {
			return fail(NotSent, err)
		}
	}
	var tokenErr error
	resolver := r.resolver(ctx, f, req, owner, func(err error) { tokenErr = err })
	prep, err := Prepare(req, resolver, filepath.Dir(f.Path))
	if err != nil {
		if tokenErr != nil {
			return fail(tokenOutcome(tokenErr), errors.New(sess0(r, owner).Redact(tokenErr.Error())))
		}
		return fail(NotSent, err)
	}
	r.red.Add(prep.Secrets...)
	res.URL = prep.Shown
	res.Method = prep.Method
	if r.opts.Danger && !r.opts.Yes && !safeMethod(prep.Method) {
		return fail(NotSent, fmt.Errorf("%s in environment %q: it is marked dangerous; add --yes to send it", prep.Method, r.opts.Env))
	}
	if prep.Tokened {
		// A token placed in the URL or the body by $auth.token goes by
		// the same rule as one in a header, whoever owns the request.
		origin, err := prep.TokenOrigin()
		if err != nil {
			return fail(NotSent, err)
		}
		res.Origin = origin
	}
	var p *config.Provider
	var tok *providers.Token
	eopts := exchange.Options{MaxBody: r.b.MaxBody()}
	switch {
	case sess == nil:
		if !exchange.HasScheme(prep.Target) {
			return fail(NotSent, errors.New("a relative URL needs a provider: add # @provider NAME above the request, or run with --provider NAME"))
		}
		// No provider, no token: the request goes as written.
		p = &config.Provider{}
	case viaAuth:
		// The token stands where the request put it (its origin checked
		// above); exchange adds none.
		p = sess.Provider()
	default:
		p = sess.Provider()
		if tok, err = r.b.Token(ctx, sess); err != nil {
			return fail(tokenOutcome(err), errors.New(sess.Redact(err.Error())))
		}
		eopts.Timeout = p.Timeout.Std()
		eopts.Renew = func(ctx context.Context) (*providers.Token, error) { return sess.Refresh(ctx) }
		eopts.Pace = func(ctx context.Context) error { _, err := sess.Pace(ctx); return err }
	}
	client := r.b.Client(owner)
	ex := exchange.Send(ctx, client, p, tok, exchange.Request{Method: prep.Method, Target: prep.Target, Header: prep.Header, Body: prep.Body}, eopts)
	if sess != nil {
		r.red = r.red.Merge(sess.Redactor())
	}
	r.red.Add(ex.Sent.Token)
	if ex.Response == nil {
		err := ex.Err
		if err == nil {
			err = errors.New("no response")
		}
		return fail(NetworkFailed, err)
	}
	resp := ex.Response
	res.Status, res.Duration = resp.Status, resp.Duration
	// Captures, checks and references read the answer with the token the
	// request carried masked, wherever the server echoed it.
	seen := ResponseSeen(ex, prep.Tokens...)
	cr := check.Response{Status: resp.Status, Header: seen.Header, Body: seen.Body, Duration: resp.Duration}
	if req.Name != "" {
		r.exchanges[req.Name] = vars.Exchange{Request: RequestSeen(ex, prep.Tokens...), Response: seen}
	}
	for _, c := range captures {
		v, err := c.capture.Value(cr)
		if err != nil {
			// The requests after it would meet a variable that does not
			// resolve: they say so there; here the capture fails.
			res.CaptureErrors = append(res.CaptureErrors, fmt.Sprintf("%s:%d: @capture %s: %s", f.Path, c.line, c.text, r.red.Redact(err.Error())))
			continue
		}
		val := vars.Literal(v)
		if c.secret {
			val = val.AsSecret()
			r.red.AddFound(v)
		}
		r.captures[c.capture.Name] = val
	}
	res.Outcome = Passed
	res.Checks = checkAsserts(req, resolver, cr, r.red)
	for _, c := range res.Checks {
		if !c.Pass {
			res.Outcome = Failed
		}
	}
	if len(res.CaptureErrors) > 0 {
		res.Outcome = Failed
	}
	return res
}

// tokenOutcome tells a token request that never reached its server
// (exit 3, as call's) from one the server answered without a token (2).
func tokenOutcome(err error) Outcome {
	var ne *providers.NetworkError
	if errors.As(err, &ne) {
		return NetworkFailed
	}
	return TokenFailed
}

// sess0 is the session of the provider called name if the run opened
// one, for its redaction; a session that knows nothing otherwise.
func sess0(r *run, name string) redacter {
	if s, ok := r.sessions[name]; ok {
		return s
	}
	return r.red
}

// redacter masks what it knows.
type redacter interface{ Redact(string) string }

// lineError is an error at a line of its own in the file (an @capture
// line), not the request line.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }

// safeMethod is a method a dangerous environment lets through without
// --yes: one that only reads.
func safeMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// session opens a provider's session once per run.
func (r *run) session(name string) (*providers.Session, error) {
	if s, ok := r.sessions[name]; ok {
		return s, nil
	}
	s, err := r.b.Session(name)
	if err != nil {
		return nil, err
	}
	r.sessions[name] = s
	return s, nil
}
