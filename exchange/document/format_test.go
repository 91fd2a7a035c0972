package document

import (
	"strings"
	"testing"
)

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                  true,
		"Application/JSON; charset=utf-8":   true,
		"application/vnd.api+json":          true,
		"application/problem+json":          true,
		"text/json":                         true,
		"application/json;;broken":          true,
		"text/plain":                        false,
		"application/jsonp":                 false,
		"":                                  false,
		"application/x-www-form-urlencoded": false,
	} {
		if got := IsJSON(ct); got != want {
			t.Errorf("IsJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{512, "512 B"},
		{1023, "1023 B"},
		{1024, "1.0 KB"},
		{1536, "1.5 KB"},
		{2150, "2.1 KB"},
		{10 * 1024, "10.0 KB"},
		{100 * 1024, "100 KB"},
		{1023 * 1024, "1023 KB"},
		{1 << 20, "1.0 MB"},
		{50 << 20, "50.0 MB"},
		{100 << 20, "100 MB"},
		{1 << 30, "1.0 GB"},
		{1 << 40, "1.0 TB"},
		{1 << 50, "1.0 PB"},
		{1<<63 - 1, "8.0 EB"},
	}
	for _, tt := range tests {
		if got := HumanSize(tt.n); got != tt.want {
			t.Errorf("HumanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	// Rounding never gives "x.10" or a unit's worth of the smaller one.
	for n := int64(1024); n < 1<<22; n += 97 {
		s := HumanSize(n)
		num, unit, _ := strings.Cut(s, " ")
		if unit != "KB" && unit != "MB" {
			t.Fatalf("HumanSize(%d) = %q", n, s)
		}
		if whole, frac, ok := strings.Cut(num, "."); ok && (len(frac) != 1 || len(whole) > 2) {
			t.Fatalf("HumanSize(%d) = %q", n, s)
		}
	}
}
