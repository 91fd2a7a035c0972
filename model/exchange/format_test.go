package exchange

import (
	"strings"
	"testing"
)

func TestPretty(t *testing.T) {
	tests := []struct {
		name, body, ctype, want string
	}{
		{"empty", "", "application/json", ""},
		{"JSON", `{"a":1,"b":[true,null]}`, "application/json", "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}"},
		{"JSON with charset", `{"a":1}`, "application/json; charset=utf-8", "{\n  \"a\": 1\n}"},
		{"problem+json", `{"title":"x"}`, "application/problem+json", "{\n  \"title\": \"x\"\n}"},
		{"JSON sent as text", "  [1]\n", "text/plain", "[\n  1\n]"},
		{"JSON without a type", `{"a":"é"}`, "", "{\n  \"a\": \"é\"\n}"},
		{"broken JSON stays as is", `{"a":`, "application/json", `{"a":`},
		{"text", "hello\r\nworld", "text/plain", "hello\nworld"},
		{"HTML", "<html><body>502</body></html>", "text/html", "<html><body>502</body></html>"},
		{"Chinese text", "没有权限", "text/plain; charset=utf-8", "没有权限"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "(binary body, 16 B)"},
		{"NUL bytes", "abc\x00def", "application/octet-stream", "(binary body, 7 B)"},
		{"invalid UTF-8", "ab\xff\xfecd", "", "(binary body, 6 B)"},
		// A text body cut at max_body may end inside a character: still text.
		{"text cut mid-character", "没有权限"[:10], "text/plain", "没有权"},
	}
	for _, tt := range tests {
		if got := Pretty([]byte(tt.body), tt.ctype); got != tt.want {
			t.Errorf("%s: Pretty = %q, want %q", tt.name, got, tt.want)
		}
	}
	big := make([]byte, 3<<20)
	big[0] = 0xff
	if got := Pretty(big, "application/octet-stream"); got != "(binary body, 3.0 MB)" {
		t.Errorf("3 MB binary: %q", got)
	}
}

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
