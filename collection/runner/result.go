package runner

import (
	"time"
)

// Outcome is how one request of a run ended.
type Outcome int

const (
	// Passed: the request was sent, an answer came and every check held.
	Passed Outcome = iota
	// Failed: an answer came and a check did not hold.
	Failed
	// NotSent: the block did not parse, a variable did not resolve, or the
	// environment refused the send; nothing went out.
	NotSent
	// TokenFailed: the provider gave no token; nothing went out.
	TokenFailed
	// NetworkFailed: the request went out and no answer came back.
	NetworkFailed
	// Skipped: --fail-fast stopped the run before this request.
	Skipped
)

func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case NotSent:
		return "not sent"
	case TokenFailed:
		return "no token"
	case NetworkFailed:
		return "network"
	case Skipped:
		return "skipped"
	}
	return "unknown"
}

// Check is one `# @assert` line and how it went.
type Check struct {
	Expr string
	Line int
	Pass bool
	// Got says what was found, masked, when the check failed.
	Got string
}

// Result is one request of a run. Every string in it is masked: it is
// printed, written to JUnit and JSON as it is.
type Result struct {
	File string
	Line int
	Name string
	// Provider is whose token went with the request ("" for none);
	// Origin is where a `$auth.token` request sent it, when that is not
	// the provider's base_url origin.
	Provider string
	Origin   string
	Method   string
	URL      string
	Status   int
	Duration time.Duration
	Checks   []Check
	// CaptureErrors are the @capture lines that found nothing:
	// "FILE:LINE: @capture NAME = PATH: why".
	CaptureErrors []string
	Outcome       Outcome
	// Err says why the request was not sent, got no answer or no token:
	// "FILE:LINE: reason", masked.
	Err string
}

// Label is how the result is named in every output: its name, else its
// method and URL.
func (r Result) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Method + " " + r.URL
}

// Passed counts the checks that held.
func (r Result) Passed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Pass {
			n++
		}
	}
	return n
}

// Report is a whole run.
type Report struct {
	Results []Result
	// Problems are the blocks that did not parse and the files that could
	// not be read: "FILE:LINE: reason". Their requests are not in Results.
	Problems []string
	// NotRun says, once per file and kind, what keyhole kept but does not
	// run (JavaScript handlers, output redirects, directives).
	NotRun   []string
	Duration time.Duration
}

// Exit codes of `keyhole run`, as the README documents them.
const (
	ExitOK      = 0
	ExitUsage   = 1 // a parse, usage or unresolved-variable error
	ExitToken   = 2
	ExitNetwork = 3
	ExitCheck   = 6
)

// ExitCode is the run's exit code: 1 when anything did not parse or
// resolve (or was refused); else 2 or 3 for the first token or network
// failure; else 6 when a check failed; else 0.
func (r *Report) ExitCode() int {
	if len(r.Problems) > 0 {
		return ExitUsage
	}
	for _, res := range r.Results {
		if res.Outcome == NotSent {
			return ExitUsage
		}
	}
	for _, res := range r.Results {
		switch res.Outcome {
		case TokenFailed:
			return ExitToken
		case NetworkFailed:
			return ExitNetwork
		}
	}
	for _, res := range r.Results {
		if res.Outcome == Failed {
			return ExitCheck
		}
	}
	return ExitOK
}

// Counts tallies the results by outcome.
func (r *Report) Counts() map[Outcome]int {
	out := map[Outcome]int{}
	for _, res := range r.Results {
		out[res.Outcome]++
	}
	return out
}
