package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/collection"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/runner"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
)

type runFlags struct {
	name, provider, junit string
	asJSON, failFast, yes bool
	noBrowser             bool
}

func newRunCmd(e env, configPath *string) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [FILE|DIR|GLOB...]",
		Short: "Run the requests of .http files in order, with tokens, captures and checks",
		Long: `run sends the requests of .http files (the JetBrains HTTP Client and VS Code
REST Client format) in file order, each with its provider's token, and prints
one line per request: PASS or FAIL, its name, status, time and checks passed.

With no arguments it runs the collections of the configuration's [settings]
(collections = ["requests/", "api/*.http"]), else the .http files of the
working folder. A folder is searched for .http and .rest files.

A request's provider is its "# @provider NAME" line, else the provider of a
{{$auth.token("NAME")}} in one of its headers (the token then goes exactly
there, to the https origin the URL names, or http on loopback only), else
--provider. A relative URL with none of these is not sent.

"# @capture NAME = PATH" after a request sets a variable for the requests
after it (PATH: a gjson path into the JSON body, body.PATH, header.NAME or
status); "# @assert EXPR" lines check the response (status == 201,
header.Content-Type contains json, body.items.# > 0, body.id exists,
body.name matches ^[a-z]+$, duration < 500ms). A status fails a request only
through an @assert.

A block that does not parse, or uses a variable that does not resolve, is
reported with FILE:LINE and not sent; the others run.

Exit codes: 1 for a parse, usage or unresolved-variable error, or when --name
matches nothing; else 2 or 3 for the first token or network failure; else 6
when a check failed; else 0. 130 when Ctrl+C stopped the run.`,
		Example: `  keyhole run examples/items/
  keyhole run requests/ --env staging --junit report.xml
  keyhole run --name 'create*' --fail-fast`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), e, *configPath, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "run only the requests whose name matches this glob")
	fl.StringVar(&f.provider, "provider", "", "the provider of requests with a relative URL that name none")
	fl.BoolVar(&f.asJSON, "json", false, "print the results as JSON")
	fl.StringVar(&f.junit, "junit", "", "write JUnit XML to this file (its folder must exist)")
	fl.BoolVar(&f.failFast, "fail-fast", false, "stop at the first request that does not pass")
	fl.BoolVar(&f.yes, "yes", false, "send to a dangerous environment (prod, production, danger = true)")
	fl.BoolVar(&f.noBrowser, "no-browser", false, "if a sign-in is needed, print its address instead of opening a browser")
	return cmd
}

func runRun(ctx context.Context, e env, configPath string, args []string, f runFlags) error {
	conf, err := readConfig(e, configPath)
	if err != nil {
		return err
	}
	paths, err := runPaths(conf, args)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	// The env files that count are those beside the .http files, as in
	// the tools that wrote them.
	var dirs []string
	for _, p := range paths {
		if d := filepath.Dir(p); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	if conf, err = conf.inEnvironment(e, dirs...); err != nil {
		return err
	}
	if f.junit != "" {
		if err := junitWritable(f.junit); err != nil {
			return &exitError{code: ExitUsage, err: err}
		}
	}
	b := &backend{e: e, conf: conf, app: newApp(e, conf.cfg)}
	defer b.close()
	if f.provider != "" {
		if _, _, err := b.provider(f.provider); err != nil {
			return err
		}
	}
	files, readErrs := collection.Load(paths)
	opts := runner.Options{
		FailFast: f.failFast, Name: f.name, Provider: f.provider, Yes: f.yes,
		Layers: func(name string) vars.Layers { return envLayers(conf.layer, name) },
		Getenv: e.lookupEnv,
	}
	if l := conf.layer; l != nil {
		opts.Env, opts.Danger = l.Name, l.Danger
	}
	if !f.asJSON {
		opts.Progress = func(r runner.Result) { printResult(e, r) }
	}
	rep := runner.Run(ctx, files, runBackend{b: b, e: e, noBrowser: f.noBrowser}, opts)
	for _, err := range readErrs {
		rep.Problems = append(rep.Problems, err.Error())
	}
	if f.junit != "" {
		var buf bytes.Buffer
		if err := rep.WriteJUnit(&buf); err != nil {
			return err
		}
		if err := safefile.WritePrivate(f.junit, buf.Bytes()); err != nil {
			return &exitError{code: ExitUsage, err: fmt.Errorf("--junit %s: %w", f.junit, err)}
		}
	}
	// The report's exit code is the one keyhole exits with (see run's
	// interrupted), for a CI step that reads the report rather than $?.
	code := rep.ExitCode()
	noMatch := f.name != "" && len(rep.Results) == 0
	switch {
	case noMatch:
		code = ExitUsage
	case code != 0 && ctx.Err() != nil:
		code = ExitInterrupted
	}
	if f.asJSON {
		j := jsonReport(rep)
		j.Exit = code
		if err := e.printJSON(j); err != nil {
			return err
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(e.stderr, "keyhole: "+termtext.Line(p))
	}
	for _, n := range rep.NotRun {
		fmt.Fprintln(e.stderr, "keyhole: "+termtext.Line(n))
	}
	if noMatch {
		return &exitError{code: ExitUsage, err: fmt.Errorf("--name %q matches no request", f.name)}
	}
	if !f.asJSON {
		printSummary(e, rep)
	}
	if code != 0 {
		return &silentError{code: code}
	}
	return nil
}

// junitWritable checks, before any request is sent, that the report can
// go to path: its folder exists and path is not one. Found only after the
// run, the requests (POSTs included) would have gone out for a report
// that is never written.
func junitWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--junit %s: a folder, not a file", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--junit %s: no folder %s", path, dir)
	case err != nil:
		return fmt.Errorf("--junit %s: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("--junit %s: %s is not a folder", path, dir)
	}
	return nil
}

// runPaths finds the files to run: the arguments, else the configured
// collections (relative to the config file's folder), else the working
// folder's .http files.
func runPaths(conf loadedConfig, args []string) ([]string, error) {
	var paths []string
	var err error
	switch {
	case len(args) > 0:
		paths, err = collection.Files("", args)
	case conf.cfg != nil && len(conf.cfg.Settings.Collections) > 0:
		paths, err = collection.Files(filepath.Dir(conf.path), conf.cfg.Settings.Collections)
	default:
		var wd string
		if wd, err = os.Getwd(); err == nil {
			paths, err = collection.WorkingFolder(wd)
		}
	}
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, collection.ErrNone
	}
	return paths, nil
}

// envLayers are the variables below a .http file's own for a request of
// the provider called name: its vars, the environment's, the env files'
// (env.Layer.Vars, lowest first). A value from the private env file is
// secret. Values may hold {{…}} of their own.
func envLayers(l *collenv.Layer, name string) vars.Layers {
	if l == nil {
		return nil
	}
	values := l.Vars(name)
	if len(values) == 0 {
		return nil
	}
	out := vars.Layer{Name: "environment", Vars: make(map[string]vars.Value, len(values))}
	if l.Name != "" {
		out.Name = "environment " + l.Name
	}
	for k, v := range values {
		val := vars.Template(v)
		if l.Secret(k) {
			val = val.AsSecret()
		}
		out.Vars[k] = val
	}
	return vars.Layers{out}
}

// runBackend is the backend as the runner uses it.
type runBackend struct {
	b         *backend
	e         env
	noBrowser bool
}

func (r runBackend) Session(name string) (*providers.Session, error) { return r.b.session(name) }
func (r runBackend) Client(name string) *http.Client                 { return r.b.app.Client(name) }
func (r runBackend) MaxBody() int64                                  { return r.b.app.MaxBody() }
func (r runBackend) Token(ctx context.Context, s *providers.Session) (*providers.Token, error) {
	return getToken(ctx, r.e, s, false, r.noBrowser)
}

// printResult writes one line for a request, and under it what failed.
func printResult(e env, r runner.Result) {
	word := "PASS"
	if r.Outcome != runner.Passed {
		word = "FAIL"
	}
	if r.Outcome == runner.Skipped {
		word = "SKIP"
	}
	line := fmt.Sprintf("%s  %s", word, r.Label())
	if r.Status != 0 {
		line += fmt.Sprintf("  %d  %s", r.Status, durfmt.Timing(r.Duration))
	}
	if len(r.Checks) > 0 {
		line += fmt.Sprintf("  %d/%d checks", r.Passed(), len(r.Checks))
	}
	if r.Origin != "" {
		line += "  token sent to " + r.Origin
	}
	fmt.Fprintln(e.stdout, termtext.Line(line))
	if r.Err != "" {
		fmt.Fprintln(e.stdout, "      "+termtext.Line(r.Err))
	}
	for _, c := range r.Checks {
		if !c.Pass {
			where := ""
			if c.Line > 0 {
				where = fmt.Sprintf("%s:%d: ", r.File, c.Line)
			}
			fmt.Fprintln(e.stdout, "      "+termtext.Line(fmt.Sprintf("%s@assert %s: %s", where, c.Expr, c.Got)))
		}
	}
	for _, c := range r.CaptureErrors {
		fmt.Fprintln(e.stdout, "      "+termtext.Line(c))
	}
}

func printSummary(e env, rep *runner.Report) {
	n := rep.Counts()
	parts := []string{fmt.Sprintf("%d passed", n[runner.Passed])}
	for _, o := range []runner.Outcome{runner.Failed, runner.NotSent, runner.TokenFailed, runner.NetworkFailed, runner.Skipped} {
		if n[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[o], o))
		}
	}
	if len(rep.Problems) > 0 {
		parts = append(parts, fmt.Sprintf("%d not parsed", len(rep.Problems)))
	}
	fmt.Fprintf(e.stdout, "%d requests: %s in %s\n", len(rep.Results), strings.Join(parts, ", "), durfmt.Timing(rep.Duration))
}

// runJSON is `run --json`: the results as the report holds them, masked.
type runJSON struct {
	Results  []runResultJSON `json:"results"`
	Problems []string        `json:"problems"`
	NotRun   []string        `json:"not_run"`
	TimeMS   int64           `json:"time_ms"`
	Exit     int             `json:"exit_code"`
}

type runResultJSON struct {
	File     string         `json:"file"`
	Line     int            `json:"line"`
	Name     string         `json:"name,omitempty"`
	Provider string         `json:"provider,omitempty"`
	Origin   string         `json:"token_origin,omitempty"`
	Method   string         `json:"method"`
	URL      string         `json:"url"`
	Outcome  string         `json:"outcome"`
	Status   int            `json:"status,omitempty"`
	TimeMS   int64          `json:"time_ms"`
	Checks   []runCheckJSON `json:"checks"`
	Captures []string       `json:"capture_errors,omitempty"`
	Error    string         `json:"error,omitempty"`
}

type runCheckJSON struct {
	Expr string `json:"assert"`
	Line int    `json:"line"`
	Pass bool   `json:"pass"`
	Got  string `json:"got,omitempty"`
}

func jsonReport(rep *runner.Report) runJSON {
	out := runJSON{Problems: append([]string{}, rep.Problems...), NotRun: append([]string{}, rep.NotRun...),
		TimeMS: rep.Duration.Milliseconds(), Exit: rep.ExitCode(), Results: []runResultJSON{}}
	for _, r := range rep.Results {
		j := runResultJSON{File: r.File, Line: r.Line, Name: r.Name, Provider: r.Provider, Origin: r.Origin, Method: r.Method,
			URL: r.URL, Outcome: r.Outcome.String(), Status: r.Status, TimeMS: r.Duration.Milliseconds(), Error: r.Err, Checks: []runCheckJSON{},
			Captures: r.CaptureErrors}
		for _, c := range r.Checks {
			j.Checks = append(j.Checks, runCheckJSON{Expr: c.Expr, Line: c.Line, Pass: c.Pass, Got: c.Got})
		}
		out.Results = append(out.Results, j)
	}
	return out
}
