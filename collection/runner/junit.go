package runner

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// The JUnit XML that CI systems read (Jenkins, GitLab, GitHub's test
// reporters): one testsuite per .http file, one testcase per request. A
// check that did not hold is a <failure>; a request not sent, without a
// token or without an answer is an <error>; a request --fail-fast never
// reached is <skipped/>.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Cases []junitCase `xml:"testcase"`
}

// junitCounts are the attributes the whole run and each suite carry
// (encoding/xml writes an embedded struct's fields as the outer one's).
type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes r as JUnit XML. Parse problems become an error case of
// their file's suite, so a CI report shows them too.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: "keyhole run", junitCounts: junitCounts{Time: seconds(r.Duration.Seconds())}}
	index := map[string]int{}
	suite := func(file string) *junitSuite {
		i, ok := index[file]
		if !ok {
			i = len(out.Suites)
			index[file] = i
			out.Suites = append(out.Suites, junitSuite{Name: file})
		}
		return &out.Suites[i]
	}
	for _, res := range r.Results {
		s := suite(res.File)
		c := junitCase{Name: res.Label(), Classname: classname(res.File), File: res.File, Line: res.Line, Time: seconds(res.Duration.Seconds())}
		switch res.Outcome {
		case Failed:
			var lines []string
			for _, ch := range res.Checks {
				if !ch.Pass {
					lines = append(lines, fmt.Sprintf("%s:%d: @assert %s: %s", res.File, ch.Line, ch.Expr, ch.Got))
				}
			}
			lines = append(lines, res.CaptureErrors...)
			msg := fmt.Sprintf("%d of %d checks failed", len(res.Checks)-res.Passed(), len(res.Checks))
			if len(res.CaptureErrors) > 0 {
				msg += fmt.Sprintf(", %d captures found nothing", len(res.CaptureErrors))
			}
			c.Failure = &junitMessage{Message: msg, Type: "check", Text: strings.Join(lines, "\n")}
			s.Failures++
		case NotSent, TokenFailed, NetworkFailed:
			c.Error = &junitMessage{Message: res.Err, Type: res.Outcome.String(), Text: res.Err}
			s.Errors++
		case Skipped:
			c.Skipped = &struct{}{}
			s.Skipped++
		}
		if res.Status != 0 {
			c.SystemOut = fmt.Sprintf("%s %s → %d", res.Method, res.URL, res.Status)
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	for _, p := range r.Problems {
		file, _, _ := strings.Cut(p, ":")
		s := suite(file)
		s.Cases = append(s.Cases, junitCase{Name: "parse", Classname: classname(file), File: file, Time: "0",
			Error: &junitMessage{Message: p, Type: "parse", Text: p}})
		s.Tests++
		s.Errors++
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	for i := range out.Suites {
		var total float64
		for _, c := range out.Suites[i].Cases {
			var f float64
			fmt.Sscan(c.Time, &f)
			total += f
		}
		out.Suites[i].Time = seconds(total)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// classname is the file's name without its folder and extension, as CI
// tools group test cases by class.
func classname(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
