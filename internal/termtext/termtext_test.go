package termtext

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile are the sequences an attacker's server sends to drive a
// terminal, each with how Line shows it.
var hostile = []struct{ name, in, line string }{
	{"OSC 52 clipboard", "\x1b]52;c;ZWNobyBwd25lZA==\x07", `␛]52;c;ZWNobyBwd25lZA==␇`},
	{"OSC 0 title", "\x1b]0;owned\x1b\\", `␛]0;owned␛\`},
	{"OSC 8 link", "\x1b]8;;https://evil.test\x1b\\click\x1b]8;;\x1b\\", `␛]8;;https://evil.test␛\click␛]8;;␛\`},
	{"CSI 2J", "\x1b[2J\x1b[H", `␛[2J␛[H`},
	{"SGR", "\x1b[31mred\x1b[0m", `␛[31mred␛[0m`},
	{"C1 CSI rune", "\u009b31m", `\u009B31m`},
	{"raw C1 byte", "\x9b31m", `\x9B31m`},
	{"bidi override", "abc\u202Efed", `abc\u202Efed`},
	{"bidi isolate", "\u2066x\u2069", `\u2066x\u2069`},
	{"line separator", "a\u2028b", `a\u2028b`},
	{"DEL and NUL", "a\x7f\x00b", "a␡␀b"},
	{"newline, tab, CR", "a\nb\tc\r\n", "a␊b␉c␍␊"},
	{"cut rune", "caf\xc3", `caf\xC3`},
	{"overlong", "\xc0\xaf", `\xC0\xAF`},
}

func TestLine(t *testing.T) {
	for _, tc := range hostile {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("%s: Line(%q) = %q, want %q", tc.name, tc.in, got, tc.line)
		}
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"line one\nline two\n", "line one\nline two\n"},
		{"a\tb", "a\tb"},
		{"crlf\r\nend", "crlf\r\nend"},
		{"over\rwrite", "over␍write"},
		{"ends in CR\r", "ends in CR␍"},
		{"\x1b]52;c;eA==\x07\n", "␛]52;c;eA==␇\n"},
		{"naïve ☕ 日本 👍🏽", "naïve ☕ 日本 👍🏽"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCleanIsNotCopied: the common case, clean text, costs nothing.
func TestCleanIsNotCopied(t *testing.T) {
	for _, s := range []string{"", "plain ASCII: invalid_client", "naïve ☕ 日本 👍🏽"} {
		if n := testing.AllocsPerRun(100, func() { _ = Line(s); _ = Text(s) }); n != 0 {
			t.Errorf("%q: %v allocations, want 0", s, n)
		}
		if Line(s) != s || Text(s) != s {
			t.Errorf("%q changed", s)
		}
	}
}

// TestWriterAcrossWrites: a body written in pieces of every size comes
// out as Text shows it whole, runes and \r\n cut between Writes included.
func TestWriterAcrossWrites(t *testing.T) {
	body := "héllo\r\n\x1b[2J日本\u009b\xff👍🏽\r\nend\r"
	want := Text(body)
	for size := 1; size <= len(body); size++ {
		var out bytes.Buffer
		w := NewWriter(&out)
		for rest := body; rest != ""; {
			n := min(size, len(rest))
			if k, err := w.Write([]byte(rest[:n])); k != n || err != nil {
				t.Fatalf("size %d: Write = %d, %v", size, k, err)
			}
			rest = rest[n:]
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("size %d: %q, want %q", size, out.String(), want)
		}
	}
}

// TestWriterBig: a body larger than a chunk, with a rune across the
// chunk's edge.
func TestWriterBig(t *testing.T) {
	body := strings.Repeat("a", chunk-1) + "é\x1b" + strings.Repeat("b", chunk)
	var out bytes.Buffer
	w := NewWriter(&out)
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := Text(body); out.String() != want {
		t.Errorf("got %d bytes, want %d", out.Len(), len(want))
	}
}

// checkSafe fails unless out holds nothing a terminal would act on.
func checkSafe(t *testing.T, in, out string, lines bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%q: output %q is not UTF-8", in, out)
	}
	for i, r := range out {
		switch {
		case r == '\n' || r == '\t':
			if !lines {
				t.Fatalf("%q: Line kept %q", in, r)
			}
		case r == '\r':
			if !lines || !strings.HasPrefix(out[i:], "\r\n") {
				t.Fatalf("%q: a lone CR in %q", in, out)
			}
		case r < 0x20 || r == 0x7F || steers(r):
			t.Fatalf("%q: output %q holds %U", in, out, r)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	f.Add("plain")
	f.Add("naïve ☕ 👍🏽\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		line, text := Line(s), Text(s)
		checkSafe(t, s, line, false)
		checkSafe(t, s, text, true)
		if firstUnsafe(s, false) == len(s) && line != s {
			t.Fatalf("clean %q changed by Line to %q", s, line)
		}
		if firstUnsafe(s, true) == len(s) && text != s {
			t.Fatalf("clean %q changed by Text to %q", s, text)
		}
		// Clean output stays as it is: showing twice shows the same.
		if Line(line) != line || Text(text) != text {
			t.Fatalf("%q: not stable: %q, %q", s, Line(line), Text(text))
		}
		// The writer, fed in two pieces, agrees with Text.
		var out bytes.Buffer
		w := NewWriter(&out)
		cut := len(s) / 2
		w.Write([]byte(s[:cut]))
		w.Write([]byte(s[cut:]))
		w.Flush()
		if out.String() != text {
			t.Fatalf("%q: writer %q, Text %q", s, out.String(), text)
		}
	})
}

func BenchmarkTextClean(b *testing.B) {
	s := strings.Repeat(`{"error":"invalid_grant","error_description":"naïve ☕"} `, 100)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Text(s)
	}
}

func BenchmarkWriter(b *testing.B) {
	body := bytes.Repeat([]byte(`{"id":1,"name":"Cedar Latch","tags":["naïve","☕"]}`+"\n"), 1<<14)
	b.SetBytes(int64(len(body)))
	w := NewWriter(io.Discard)
	for b.Loop() {
		w.Write(body)
		w.Flush()
	}
}
