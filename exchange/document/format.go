package document

import (
	"math"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"
)

// IsJSON reports whether a content type names JSON (application/json,
// application/problem+json, ...).
func IsJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json")
}

// HumanSize writes a byte count the way people read it: 512 B, 2.1 KB,
// 50.0 MB, 100 MB. The unit is chosen after rounding, so 1023.96 KB reads
// 1.0 MB, not 1024 KB, and 99.96 KB reads 100 KB, not 100.0 KB.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	// Up to EB: an int64 holds at most 8 EiB, so the table cannot run out
	// (it stopped at TB and panicked from 1 PiB on).
	suffixes := []string{"KB", "MB", "GB", "TB", "PB", "EB"}
	v, i := float64(n)/unit, 0
	for v >= unit && i < len(suffixes)-1 {
		v /= unit
		i++
	}
	if v < 99.95 {
		return strconv.FormatFloat(v, 'f', 1, 64) + " " + suffixes[i]
	}
	r := math.Round(v)
	if r >= unit && i < len(suffixes)-1 {
		return "1.0 " + suffixes[i+1]
	}
	return strconv.FormatInt(int64(r), 10) + " " + suffixes[i]
}

// TrimPartialRune drops an incomplete UTF-8 sequence at the very end: a
// text body cut at max_body may stop inside a character, which must not
// turn the whole body into "binary".
func TrimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
