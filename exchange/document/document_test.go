package document

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// lines returns every line of d as strings, for comparing.
func lines(d *Document) []string {
	out := make([]string, d.Len())
	for i := range out {
		out[i] = string(d.Line(i))
	}
	return out
}

func wantLines(t *testing.T, d *Document, want ...string) {
	t.Helper()
	got := lines(d)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
		t.Fatalf("lines:\n%q\nwant:\n%q", got, want)
	}
}

func TestBuildJSONPretty(t *testing.T) {
	d := Build([]byte(`{"a":1,"b":[true,null,"x"],"c":{},"d":[]}`), "application/json", ModePretty)
	if d.Kind() != KindJSON || d.Kind().String() != "json" {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d,
		`{`,
		`  "a": 1,`,
		`  "b": [`,
		`    true,`,
		`    null,`,
		`    "x"`,
		`  ],`,
		`  "c": {},`,
		`  "d": []`,
		`}`)
	if d.Note() != "" {
		t.Errorf("note %q", d.Note())
	}
	if d.Size() != len(`{"a":1,"b":[true,null,"x"],"c":{},"d":[]}`) {
		t.Errorf("size %d", d.Size())
	}
}

// The indenter must read valid JSON exactly as encoding/json does.
func TestIndentMatchesEncodingJSON(t *testing.T) {
	for _, in := range jsonSamples {
		checkIndent(t, []byte(in))
	}
}

var jsonSamples = []string{
	`{}`, `[]`, `0`, `-0.5e+10`, `"é\u00e9\"\\"`, `true`, `null`,
	` { "a" : [ 1 , 2 , { } , [ ] , [ [ ] ] ] , "b" : { "c" : "d" } } `,
	"[1.0E-3,\n\t-12,\r\n0e1]",
	`{"nested":{"deeper":{"deepest":[{"k":"v"}]}}}`,
	`["<html>", "\ud83d\ude00", "日本語"]`,
}

func checkIndent(t *testing.T, in []byte) {
	t.Helper()
	var want bytes.Buffer
	wantErr := json.Indent(&want, in, "", "  ")
	got, _, err := indentJSON(in)
	if (err != nil) != (wantErr != nil) {
		// A stream of values (NDJSON) is ours to accept.
		if wantErr != nil && err == nil && isStream(in) {
			return
		}
		t.Fatalf("%q: error %v, encoding/json says %v", in, err, wantErr)
	}
	if err == nil && string(got) != strings.TrimRight(want.String(), " \t\r\n") {
		t.Fatalf("%q:\n%s\nwant\n%s", in, got, want.String())
	}
}

func isStream(in []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(in))
	n := 0
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err.Error() == "EOF" && n > 1
		}
		n++
	}
}

func FuzzIndentJSON(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":`))
	f.Add([]byte(`[1,]`))
	f.Add([]byte("\"\x01\""))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkIndent(t, in)
		// Whatever the bytes, the document is well formed.
		d := Build(in, "application/json", ModePretty)
		for i := range d.Len() {
			if bytes.IndexByte(d.Line(i), '\n') >= 0 {
				t.Fatalf("line %d holds a newline", i)
			}
		}
	})
}

func TestBuildNDJSON(t *testing.T) {
	d := Build([]byte("{\"a\":1}\n{\"b\":2}\n"), "application/x-ndjson", ModePretty)
	wantLines(t, d, `{`, `  "a": 1`, `}`, `{`, `  "b": 2`, `}`)
}

func TestBuildBOM(t *testing.T) {
	d := Build([]byte("\xEF\xBB\xBF{\"a\":1}"), "application/json", ModePretty)
	if d.Kind() != KindJSON {
		t.Fatalf("kind %v note %q", d.Kind(), d.Note())
	}
	wantLines(t, d, `{`, `  "a": 1`, `}`)
}

func TestBuildInvalidJSON(t *testing.T) {
	d := Build([]byte("{\"a\": nope}\r\nmore"), "application/json", ModePretty)
	if d.Kind() != KindText {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d, `{"a": nope}`, `more`)
	if !strings.Contains(d.Note(), "not valid JSON (byte 6") {
		t.Errorf("note %q", d.Note())
	}
	// Sniffed, not declared: text without a word.
	d = Build([]byte("{not json}"), "", ModePretty)
	if d.Kind() != KindText || d.Note() != "" {
		t.Errorf("kind %v note %q", d.Kind(), d.Note())
	}
}

func TestBuildJSONCut(t *testing.T) {
	d := Build([]byte(`{"items":[{"id":1},{"id":2},{"na`), "application/json", ModePretty)
	if d.Kind() != KindJSON {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d, `{`, `  "items": [`, `    {`, `      "id": 1`, `    },`, `    {`, `      "id": 2`, `    },`, `    {`, `      "na`)
	if !strings.Contains(d.Note(), "ends early, at byte 32") {
		t.Errorf("note %q", d.Note())
	}
}

func TestBuildDeepNesting(t *testing.T) {
	in := strings.Repeat("[", 200_000) + strings.Repeat("]", 200_000)
	d := Build([]byte(in), "application/json", ModePretty)
	if d.Kind() != KindJSON || !strings.Contains(d.Note(), "shown as received") {
		t.Fatalf("kind %v note %q", d.Kind(), d.Note())
	}
	if d.Len() != 1 {
		t.Fatalf("%d lines", d.Len())
	}
	// Shallower nesting is indented, the indentation capped.
	in = strings.Repeat("[", 100) + strings.Repeat("]", 100)
	d = Build([]byte(in), "application/json", ModePretty)
	if d.Note() != "" || d.Len() != 199 || len(d.Line(99)) != 2*maxIndentDepth+2 {
		t.Fatalf("note %q, %d lines, middle %q", d.Note(), d.Len(), d.Line(99))
	}
}

func TestBuildText(t *testing.T) {
	body := []byte("one\r\ntwo\r\n\r\nthree\n")
	d := Build(body, "text/plain; charset=utf-8", ModePretty)
	if d.Kind() != KindText {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d, "one", "two", "", "three")
	// Raw keeps the bytes as received.
	d = Build(body, "text/plain", ModeRaw)
	wantLines(t, d, "one\r", "two\r", "\r", "three")
	if d.Mode() != ModeRaw || !bytes.Equal(d.Bytes(), body) {
		t.Errorf("raw text %q", d.Bytes())
	}
	// No trailing newline: the last line still counts.
	wantLines(t, Build([]byte("a\nb"), "", ModePretty), "a", "b")
	wantLines(t, Build([]byte("\n"), "", ModePretty), "")
}

func TestBuildRawJSON(t *testing.T) {
	d := Build([]byte(`{"a":1}`), "application/json", ModeRaw)
	if d.Kind() != KindJSON {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d, `{"a":1}`)
}

func TestBuildHTMLAndXML(t *testing.T) {
	d := Build([]byte("<!DOCTYPE html>\n<html><body>hi</body></html>"), "", ModePretty)
	if d.Kind() != KindHTML {
		t.Fatalf("kind %v", d.Kind())
	}
	wantLines(t, d, "<!DOCTYPE html>", "<html><body>hi</body></html>")
	if k := Build([]byte("<a/>"), "application/atom+xml", ModePretty).Kind(); k != KindXML {
		t.Errorf("atom: %v", k)
	}
	if k := Build([]byte("<?xml version=\"1.0\"?><a/>"), "", ModePretty).Kind(); k != KindXML {
		t.Errorf("sniffed xml: %v", k)
	}
	if k := Build([]byte("<p>x</p>"), "text/html", ModePretty).Kind(); k != KindHTML {
		t.Errorf("text/html: %v", k)
	}
}

func TestBuildBinary(t *testing.T) {
	body := make([]byte, 10_000)
	copy(body, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	for i := 16; i < len(body); i++ {
		body[i] = byte(i)
	}
	for _, mode := range []Mode{ModePretty, ModeRaw} {
		d := Build(body, "", mode)
		if d.Kind() != KindBinary || d.Kind().String() != "binary" {
			t.Fatalf("kind %v", d.Kind())
		}
		want := "binary body · image/png · 9.8 KB (10000 bytes) · first 4 KiB shown"
		if got := string(d.Line(0)); got != want {
			t.Errorf("head %q", got)
		}
		if got, want := string(d.Line(1)), "00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|"; got != want {
			t.Errorf("row 0\n%q\nwant\n%q", got, want)
		}
		if d.Len() != 1+256+1 || string(d.Line(257)) != "… 5904 more bytes not shown" {
			t.Errorf("%d lines, last %q", d.Len(), d.Line(d.Len()-1))
		}
		if d.Size() != len(body) {
			t.Errorf("size %d", d.Size())
		}
	}
	// Invalid UTF-8 without a NUL is binary unless the type promises text.
	latin1 := []byte("caf\xe9 au lait")
	if k := Build(latin1, "application/octet-stream", ModePretty).Kind(); k != KindBinary {
		t.Errorf("octet-stream latin-1: %v", k)
	}
	if k := Build(latin1, "text/plain; charset=iso-8859-1", ModePretty).Kind(); k != KindText {
		t.Errorf("text/plain latin-1: %v", k)
	}
	// A short partial dump: no "more bytes" line, a padded last row.
	d := Build([]byte("ab\x00"), "", ModePretty)
	wantLines(t, d, "binary body · application/octet-stream · 3 B (3 bytes)",
		"00000000  61 62 00                                          |ab.|")
	// A text body cut inside a character is still text.
	if k := Build([]byte("h\xc3\xa9llo \xe6\x97"), "", ModePretty).Kind(); k != KindText {
		t.Errorf("cut rune: %v", k)
	}
}

func TestBuildEmpty(t *testing.T) {
	for _, ct := range []string{"", "application/json", "text/plain", "image/png"} {
		for _, mode := range []Mode{ModePretty, ModeRaw} {
			d := Build(nil, ct, mode)
			if d.Len() != 0 || d.Line(0) != nil || d.Size() != 0 || d.Note() != "" {
				t.Errorf("%q %v: %d lines, note %q", ct, mode, d.Len(), d.Note())
			}
		}
	}
	if d := Build([]byte("  \n"), "application/json", ModePretty); d.Note() != "" || d.Kind() != KindText {
		t.Errorf("blank JSON body: kind %v, note %q", d.Kind(), d.Note())
	}
}

func TestLineOutOfRange(t *testing.T) {
	d := Build([]byte("a\nb"), "", ModePretty)
	if d.Line(-1) != nil || d.Line(2) != nil {
		t.Fatal("out of range lines are not empty")
	}
	var nilDoc *Document
	if nilDoc.Len() != 0 {
		t.Fatal("nil document has lines")
	}
}
