package spec

import (
	"math"
	"strconv"

	"github.com/tidwall/gjson"
)

// numberFor is a placeholder number within the schema's bounds: 0 when
// it fits, else the bound it breaks (a count with minimum 1 gets 1, not
// a 0 the API refuses). OpenAPI 3.0's boolean exclusiveMinimum and
// 3.1's number are both read.
func numberFor(s gjson.Result) string {
	v := 0.0
	if lo, ex := bound(s, "minimum", "exclusiveMinimum"); lo != nil && (v < *lo || ex && v == *lo) {
		v = *lo
		if ex {
			v++
		}
	}
	if hi, ex := bound(s, "maximum", "exclusiveMaximum"); hi != nil && (v > *hi || ex && v == *hi) {
		v = *hi
		if ex {
			v--
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// bound is a schema's minimum or maximum and whether it is exclusive. A
// bound past what a float64 holds (1e400) reads as infinite and bounds
// nothing a request can send: it is none, or the skeleton would say
// +Inf, which is not JSON.
func bound(s gjson.Result, inclusive, exclusive string) (*float64, bool) {
	if e := s.Get(exclusive); e.Type == gjson.Number && !math.IsInf(e.Num, 0) {
		n := e.Num
		return &n, true
	}
	if b := s.Get(inclusive); b.Type == gjson.Number && !math.IsInf(b.Num, 0) {
		n := b.Num
		return &n, s.Get(exclusive).Type == gjson.True
	}
	return nil, false
}
