package bodyview

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// textLines is a Lines over one buffer, as document.Document is (ui cannot
// import it).
type textLines struct {
	text   []byte
	starts []int // starts[i] is where line i begins; one extra past the end
}

func linesOf(s string) *textLines {
	t := &textLines{text: []byte(s), starts: []int{0}}
	for off := 0; ; {
		i := bytes.IndexByte(t.text[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		t.starts = append(t.starts, off)
	}
	t.starts = append(t.starts, len(t.text)+1)
	return t
}

func (t *textLines) Len() int          { return len(t.starts) - 1 }
func (t *textLines) Line(i int) []byte { return t.text[t.starts[i] : t.starts[i+1]-1] }

const sampleJSON = `{
  "id": 42,
  "name": "Ada Lovelace",
  "active": true,
  "manager": null,
  "ratio": -1.5e3,
  "tags": [
    "math",
    "engines"
  ],
  "bio": "Wrote the first algorithm meant for a machine, in 1843, for Babbage's Analytical Engine."
}`

// testSt are the styles the tests draw with: a colour for each class, so
// a test can tell them apart. (ui builds the real ones from its palette;
// this package cannot import ui.)
var testSt = Styles{
	JSONKey:    lipgloss.NewStyle().Foreground(lipgloss.Color("#60A5FA")),
	JSONString: lipgloss.NewStyle().Foreground(lipgloss.Color("#4ADE80")),
	JSONNumber: lipgloss.NewStyle().Foreground(lipgloss.Color("#FACC15")),
	JSONBool:   lipgloss.NewStyle().Foreground(lipgloss.Color("#A58BFF")),
	JSONNull:   lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A8A")).Italic(true),
	JSONPunct:  lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A8A")),
	Hit:        lipgloss.NewStyle().Underline(true).Background(lipgloss.Color("#FACC15")),
	HitCurrent: lipgloss.NewStyle().Underline(true).Bold(true).Background(lipgloss.Color("#FB923C")),
	Escaped:    lipgloss.NewStyle().Foreground(lipgloss.Color("#F87171")),
	Muted:      lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A8A")),
}

// testKeys are the viewer's keys as keyhole binds them (ui.KeyMap).
func testKeys() KeyMap {
	b := func(keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], keys[0]))
	}
	return KeyMap{
		Up: b("up", "k"), Down: b("down", "j"), PageUp: b("pgup", "ctrl+u"), PageDown: b("pgdown", "ctrl+d", "space"),
		Top: b("home", "g"), Bottom: b("end", "G"), Left: b("left"), Right: b("right"),
		NextHit: b("n"), PrevHit: b("N"),
	}
}

func newView(lines Lines, kind string, w, h int) *Model {
	v := New(&testSt, testKeys())
	v.SetDocument(lines, kind)
	v.SetSize(w, h)
	return &v
}

// checkFrame asserts the frame is exactly h rows of exactly w cells and
// returns it without its colours.
func checkFrame(t *testing.T, v *Model, w, h int) string {
	t.Helper()
	out := v.View()
	rows := strings.Split(out, "\n")
	if len(rows) != h {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), h, out)
	}
	for i, r := range rows {
		if got := lipgloss.Width(r); got != w {
			t.Fatalf("row %d is %d cells, want %d: %q", i, got, w, ansi.Strip(r))
		}
	}
	return ansi.Strip(out)
}

func TestBodyViewJSONWrapped(t *testing.T) {
	v := newView(linesOf(sampleJSON), "json", 40, 14)
	golden.RequireEqual(t, checkFrame(t, v, 40, 14))
}

func TestBodyViewJSONNoWrap(t *testing.T) {
	v := newView(linesOf(sampleJSON), "json", 40, 14)
	v.SetWrap(false)
	v.SetLineNumbers(true)
	golden.RequireEqual(t, checkFrame(t, v, 40, 14))
	// Sideways: the end of the long line comes into view.
	v.ScrollX(1000)
	frame := checkFrame(t, v, 40, 14)
	if !strings.Contains(frame, "Analytical Engine.\"") || !strings.Contains(frame, "col ") {
		t.Fatalf("scrolled right:\n%s", frame)
	}
	v.ScrollX(-1000)
	if v.xoff != 0 {
		t.Fatalf("xoff %d", v.xoff)
	}
}

func TestBodyViewHighlightsJSON(t *testing.T) {
	st := &testSt
	p := newPalette(st)
	v := newView(linesOf(sampleJSON), "json", 60, 14)
	out := v.View()
	for _, want := range []string{
		p.open[clsKey] + `"name"`,
		p.open[clsString] + `"Ada Lovelace"`,
		p.open[clsNumber] + `42`,
		p.open[clsNumber] + `-1.5e3`,
		p.open[clsBool] + `true`,
		p.open[clsNull] + `null`,
		p.open[clsPunct] + `{`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%q", want, out)
		}
	}
	if p.open[clsKey] == "" || p.open[clsKey] == p.open[clsString] {
		t.Fatalf("keys have no colour of their own: %q", p.open[clsKey])
	}
	// Text is not highlighted.
	v.SetDocument(linesOf(sampleJSON), "text")
	if out := v.View(); strings.Contains(out, p.open[clsKey]) {
		t.Errorf("text highlighted as JSON")
	}
}

// A row that starts inside a wrapped string, number or key keeps its
// colour.
func TestBodyViewHighlightAcrossWraps(t *testing.T) {
	st := &testSt
	p := newPalette(st)
	v := newView(linesOf(`{"a_rather_long_key_name": 123456789012, "s": "a string value that wraps"}`), "json", 12, 10)
	out := v.View()
	rows := strings.Split(out, "\n")
	if !strings.HasPrefix(rows[1], p.open[clsKey]+"ong_key_name") {
		t.Errorf("row 1 %q", rows[1])
	}
	if !strings.HasPrefix(rows[3], p.open[clsNumber]+"012") {
		t.Errorf("row 3 %q", rows[3])
	}
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// A body cannot reach the terminal: escape sequences, C1 controls,
// bidirectional overrides and stray bytes are drawn as visible text.
func TestBodyViewNeutralisesEscapes(t *testing.T) {
	body := "clear\x1b[2Jscreen\x07bell\r\nc1:\u009b31m bidi:\u202eevil\u202c bad:\xff\xfe del:\x7f\ntab:\tx"
	for _, wrap := range []bool{true, false} {
		v := newView(linesOf(body), "text", 120, 4)
		v.SetWrap(wrap)
		out := v.View()
		if rest := sgr.ReplaceAllString(out, ""); strings.ContainsFunc(rest, func(r rune) bool {
			return r < 0x20 && r != '\n' || r >= 0x7F && r <= 0x9F || r == 0x202E
		}) {
			t.Fatalf("control characters reach the terminal: %q", rest)
		}
		plain := ansi.Strip(out)
		for _, want := range []string{"clear␛[2Jscreen␇bell␍", `c1:\u009B31m`, `bidi:\u202Eevil\u202C`, `bad:\xFF\xFE`, "del:␡", "tab:    x"} {
			if !strings.Contains(plain, want) {
				t.Errorf("wrap %v: no %q in\n%s", wrap, want, plain)
			}
		}
	}
}

func TestBodyViewWideRunes(t *testing.T) {
	body := "日本語のテキストはセルを二つ使います\nmixed: abc日本def\ncombining: e\u0301te\u0301 emoji: 👍🏽 flag: 🇯🇵"
	v := newView(linesOf(body), "text", 15, 10)
	golden.RequireEqual(t, checkFrame(t, v, 15, 10))
	v.SetWrap(false)
	checkFrame(t, v, 15, 10)
	// One column in: the first wide rune is cut, and a space stands for it.
	v.ScrollX(1)
	frame := checkFrame(t, v, 15, 10)
	if !strings.HasPrefix(frame, " 本語") {
		t.Errorf("scrolled by one:\n%s", frame)
	}
}

func TestBodyViewEmpty(t *testing.T) {
	v := New(&testSt, testKeys())
	v.SetSize(20, 3)
	if got := ansi.Strip(v.View()); !strings.HasPrefix(got, "(no body)") {
		t.Errorf("no document: %q", got)
	}
	v.SetDocument(linesOf(""), "text")
	v.lines = &textLines{starts: []int{0}} // no lines at all
	checkFrame(t, &v, 20, 3)
	if got := ansi.Strip(v.View()); !strings.HasPrefix(got, "(empty body)") {
		t.Errorf("empty: %q", got)
	}
	v.ScrollBy(5)
	v.PageBy(-1)
	v.Bottom()
	v.GotoHit(0)
	v.ScrollX(3)
}

func TestBodyViewLineNumbersAndNote(t *testing.T) {
	v := newView(linesOf(sampleJSON), "json", 36, 8)
	v.SetLineNumbers(true)
	v.SetNote("cut at 100 MB")
	v.GotoLine(9)
	golden.RequireEqual(t, checkFrame(t, v, 36, 8))
	v.SetStatusRow(false)
	if frame := checkFrame(t, v, 36, 8); strings.Contains(frame, "cut at") {
		t.Errorf("status row still drawn:\n%s", frame)
	}
	if got := v.Status(); !strings.HasSuffix(got, " cut at 100 MB · line 7/12 · 100%") {
		t.Errorf("status %q", got)
	}
	// Short of room, the note gives way to the position.
	v.SetSize(20, 8)
	if got := v.Status(); got != "     line 7/12 · 83%" {
		t.Errorf("narrow status %q", got)
	}
}

// Whatever the bytes and the size, a frame is exactly the size asked for
// and nothing in it but our colours can steer the terminal.
func FuzzBodyView(f *testing.F) {
	f.Add([]byte(sampleJSON), 17, 5, true)
	f.Add([]byte("日本\t語\x1b[2J\xff\u202e\u009b\r\n\x00e\u0301👍🏽"), 3, 4, false)
	f.Add([]byte("\t\t\tx\n\n"), 1, 2, true)
	f.Fuzz(func(t *testing.T, body []byte, w, h int, wrap bool) {
		w, h = 1+abs(w)%50, 1+abs(h)%12
		v := newView(linesOf(string(body)), "json", w, h)
		v.SetWrap(wrap)
		for _, move := range []func(){v.Top, func() { v.ScrollBy(3) }, v.Bottom, func() { v.ScrollX(7) }} {
			move()
			out := v.View()
			rows := strings.Split(out, "\n")
			if len(rows) != h {
				t.Fatalf("%d rows, want %d", len(rows), h)
			}
			for _, r := range rows {
				if lipgloss.Width(r) != w {
					t.Fatalf("row %q is %d cells, want %d", ansi.Strip(r), lipgloss.Width(r), w)
				}
				if strings.ContainsFunc(sgr.ReplaceAllString(r, ""), func(r rune) bool { return r < 0x20 || r >= 0x7F && r <= 0x9F }) {
					t.Fatalf("control character in %q", r)
				}
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
