package tomltext

import (
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		``:                 `""`,
		`plain`:            `"plain"`,
		`say "hi" \ bye`:   `"say \"hi\" \\ bye"`,
		"tab\tnew\nline":   `"tab\tnew\nline"`,
		"esc\x1b[31m":      `"esc\u001B[31m"`,
		"del\x7f c1\u009b": `"del\u007F c1\u009B"`,
		"日本":               `"日本"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzQuote: whatever the string, Quote writes a TOML value that reads
// back as that string.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "plain", `say "hi" \ bye`, "tab\tnew\nline\r", "esc\x1b[31m", "del\x7f c1\u009b", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // TOML files are UTF-8: Quote is never given anything else
		}
		var v struct{ K string }
		if _, err := toml.Decode("K = "+Quote(s), &v); err != nil {
			t.Fatalf("Quote(%q) = %s does not decode: %v", s, Quote(s), err)
		}
		if v.K != s {
			t.Fatalf("Quote(%q) reads back as %q", s, v.K)
		}
	})
}
