package runner

import (
	"bytes"
	"testing"
	"time"
)

// TestWriteJUnit pins the JUnit XML to the byte: each suite counts its
// own cases by kind and sums their times, the testsuites element counts
// them all, and a parse problem is an error case of its file's suite.
// CI tools read these attributes; a change to them is a change for users.
func TestWriteJUnit(t *testing.T) {
	r := &Report{
		Duration: 1500 * time.Millisecond,
		Results: []Result{
			{File: "a.http", Line: 1, Name: "ok", Method: "GET", URL: "https://x/a", Status: 200, Duration: 100 * time.Millisecond},
			{File: "a.http", Line: 5, Name: "bad", Method: "GET", URL: "https://x/b", Status: 500, Duration: 200 * time.Millisecond, Outcome: Failed,
				Checks: []Check{{Expr: "status == 200", Line: 7, Got: "found 500"}, {Expr: "duration < 1s", Line: 8, Pass: true}}, CaptureErrors: []string{"a.http:9: @capture id = id: finds nothing"}},
			{File: "b.http", Line: 1, Name: "down", Method: "GET", URL: "https://x/c", Outcome: NetworkFailed, Err: "b.http:1: connection refused"},
			{File: "b.http", Line: 4, Name: "later", Method: "GET", URL: "https://x/d", Outcome: Skipped},
		},
		Problems: []string{"b.http:9: not a request line"},
	}
	var b bytes.Buffer
	if err := r.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="keyhole run" tests="5" failures="1" errors="2" skipped="1" time="1.500">
  <testsuite name="a.http" tests="2" failures="1" errors="0" skipped="0" time="0.300">
    <testcase name="ok" classname="a" file="a.http" line="1" time="0.100">
      <system-out>GET https://x/a → 200</system-out>
    </testcase>
    <testcase name="bad" classname="a" file="a.http" line="5" time="0.200">
      <failure message="1 of 2 checks failed, 1 captures found nothing" type="check">a.http:7: @assert status == 200: found 500&#xA;a.http:9: @capture id = id: finds nothing</failure>
      <system-out>GET https://x/b → 500</system-out>
    </testcase>
  </testsuite>
  <testsuite name="b.http" tests="3" failures="0" errors="2" skipped="1" time="0.000">
    <testcase name="down" classname="b" file="b.http" line="1" time="0.000">
      <error message="b.http:1: connection refused" type="network">b.http:1: connection refused</error>
    </testcase>
    <testcase name="later" classname="b" file="b.http" line="4" time="0.000">
      <skipped></skipped>
    </testcase>
    <testcase name="parse" classname="b" file="b.http" time="0">
      <error message="b.http:9: not a request line" type="parse">b.http:9: not a request line</error>
    </testcase>
  </testsuite>
</testsuites>
`
	if got := b.String(); got != want {
		t.Errorf("JUnit XML:\n%s\nwant:\n%s", got, want)
	}
}
