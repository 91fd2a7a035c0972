package spec

import (
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

// bound is a schema's minimum or maximum and whether it is exclusive.
func bound(s gjson.Result, inclusive, exclusive string) (*float64, bool) {
	if e := s.Get(exclusive); e.Type == gjson.Number {
		n := e.Num
		return &n, true
	}
	if b := s.Get(inclusive); b.Type == gjson.Number {
		n := b.Num
		return &n, s.Get(exclusive).Type == gjson.True
	}
	return nil, false
}
