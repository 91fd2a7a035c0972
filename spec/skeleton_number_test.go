package spec

import "testing"

// TestSkeletonBoundsBeyondFloat: a bound written past what a float64
// holds (1e400) reads as infinite; the skeleton was "+Inf", not JSON. Such
// a bound bounds nothing a request can send: it is left out.
func TestSkeletonBoundsBeyondFloat(t *testing.T) {
	got := bodyOf(t, "3.1.0", `{"schema": {"type": "object", "properties": {
	  "n": {"type": "integer", "exclusiveMinimum": 1e400},
	  "m": {"type": "number", "maximum": -1e999, "minimum": -1e999}}}}`, `{}`)
	if want := `{"n":0,"m":0}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
}
