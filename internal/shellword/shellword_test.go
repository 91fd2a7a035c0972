package shellword_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/internal/shellword/shelltest"
)

func TestQuoteAndQuoteSubst(t *testing.T) {
	for _, shell := range shelltest.Shells(t) {
		for _, s := range shelltest.Nasty {
			out, err := exec.Command(shell, "-c", "printf %s "+shellword.Quote(s)).Output()
			if err != nil || string(out) != s {
				t.Errorf("%s: shellword.Quote(%q) = %s reads back as %q (%v)", shell, s, shellword.Quote(s), out, err)
			}
			cmd := "printf %s " + shellword.QuoteSubst(s, "printf '%s' 'T  *'")
			out, err = exec.Command(shell, "-c", cmd).Output()
			if want := s + "T  *"; err != nil || string(out) != want {
				t.Errorf("%s: shellword.QuoteSubst(%q) = %s reads back as %q, want %q (%v)", shell, s, shellword.QuoteSubst(s, "..."), out, want, err)
			}
		}
	}
	if got := shellword.QuoteSubst("Authorization: Bearer ", "keyhole token x"); got != `"Authorization: Bearer $(keyhole token x)"` {
		t.Errorf("the common case is not the readable form: %s", got)
	}
	for s, want := range map[string]string{"plain": "plain", "a/b-c_d.e:f": "a/b-c_d.e:f", "it's": `'it'\''s'`, "": "''", "=x": "'=x'"} {
		if got := shellword.Quote(s); got != want {
			t.Errorf("shellword.Quote(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestSplitMatchesShell checks the splitter against a real shell on the
// nasty strings, quoted every way the curl export and people quote.
func TestSplitMatchesShell(t *testing.T) {
	sh := shelltest.Shells(t)[0]
	bash, _ := exec.LookPath("bash")
	for _, s := range shelltest.Nasty {
		for _, quoted := range []string{shellword.Quote(s), dqQuote(s), shellword.QuoteSubst(s, "printf T")} {
			want, err := exec.Command(sh, "-c", "printf %s "+quoted).Output()
			if err != nil {
				t.Fatalf("%s: %v", quoted, err)
			}
			sp, err := shellword.Split("printf %s " + quoted)
			if err != nil || len(sp.Words) != 3 {
				t.Errorf("shellword.Split(%s) = %+v, %v", quoted, sp.Words, err)
				continue
			}
			got := strings.ReplaceAll(sp.Words[2].Text, "$(printf T)", "T")
			if got != string(want) {
				t.Errorf("shellword.Split(%s) = %q, the shell says %q", quoted, got, want)
			}
		}
		if bash != "" && !strings.ContainsRune(s, 0) {
			quoted := ansiCQuote(s)
			want, err := exec.Command(bash, "-c", "printf %s "+quoted).Output()
			sp, perr := shellword.Split("printf %s " + quoted)
			if err != nil || perr != nil || len(sp.Words) != 3 || sp.Words[2].Text != string(want) {
				t.Errorf("$'...': shellword.Split(%s) = %+v, %v; bash says %q, %v", quoted, sp.Words, perr, want, err)
			}
		}
	}
}

// dqQuote quotes s between double quotes, escaping what must be.
func dqQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("$`\"\\", s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return strings.ReplaceAll(b.String(), "!", `"'!'"`) // no history expansion
}

// ansiCQuote quotes s as $'...' with octal escapes for what is not plain.
func ansiCQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' {
			b.WriteByte(c)
		} else {
			b.WriteString("\\" + string(rune('0'+c>>6)) + string(rune('0'+(c>>3)&7)) + string(rune('0'+c&7)))
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// What Split reports besides the words: substitutions and variables kept
// as written, redirections dropped, what follows the command.
func TestSplitReports(t *testing.T) {
	sp, err := shellword.Split("curl -H \"A: $(keyhole token x)\" $URL >out.json 2>&1 | jq .")
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Words) != 4 || sp.Words[2].Text != "A: $(keyhole token x)" || sp.Words[3].Text != "$URL" {
		t.Fatalf("words: %+v", sp.Words)
	}
	if s := sp.Words[2].Subs; len(s) != 1 || s[0].Cmd != "keyhole token x" || sp.Words[2].Text[s[0].Start:s[0].End] != "$(keyhole token x)" {
		t.Errorf("subs: %+v", s)
	}
	if v := sp.Words[3].Vars; len(v) != 1 || v[0] != "$URL" {
		t.Errorf("vars: %q", v)
	}
	if strings.Join(sp.Redirects, ",") != ">out.json,2>&1" || strings.TrimSpace(sp.Rest) != "| jq ." {
		t.Errorf("redirects %q, rest %q", sp.Redirects, sp.Rest)
	}
	if w := sp.Words[2].From(3); w.Text != "$(keyhole token x)" || len(w.Subs) != 1 || w.Subs[0].Start != 0 {
		t.Errorf("From: %+v", w)
	}
	if _, err := shellword.Split("echo 'open"); err == nil || !strings.Contains(err.Error(), "unterminated single quote") {
		t.Errorf("unterminated quote: %v", err)
	}
}
