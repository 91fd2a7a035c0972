package exchange

import (
	"strconv"
	"strings"
)

// POSIX shell quoting, both ways: ShellQuote and withSubst write the words
// of an exported command; splitShell reads a pasted one back.

// ShellQuote returns s as one POSIX shell word (sh, bash, zsh). Words made
// only of characters no shell treats specially stay bare, so the common
// case reads cleanly; anything else is single-quoted, which keeps every
// byte as it is (newlines, $, backticks, backslashes, double quotes); a
// single quote itself closes the quotes, is written escaped (\'), and the
// quotes reopen.
func ShellQuote(s string) string {
	// A word that starts with = is a command path lookup in zsh.
	if s != "" && s[0] != '=' && strings.IndexFunc(s, func(r rune) bool { return !shellSafe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellSafe lists the characters that need no quoting anywhere in a word.
// '=' and ':' are safe as long as the word is not the command name;
// '@' and '%' are never special in sh.
func shellSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r)
}

// dqSafe reports whether s means the same between double quotes: it holds
// none of $ ` \ " (expansions and escapes) nor ! (history expansion in an
// interactive bash).
func dqSafe(s string) bool {
	return !strings.ContainsAny(s, "$`\\\"!")
}

// withSubst writes prefix followed by the output of command as one shell
// word: "prefix$(command)" when prefix reads the same between double
// quotes, else 'prefix'"$(command)". The substitution itself stays
// between double quotes, so the output is not split or globbed.
func withSubst(prefix, command string) string {
	if dqSafe(prefix) {
		return `"` + prefix + `$(` + command + `)"`
	}
	return ShellQuote(prefix) + `"$(` + command + `)"`
}

// shellWord is one word of a command line after quote removal. Nothing is
// expanded: a paste is data, and keyhole runs no command from it.
type shellWord struct {
	text string
	// subs are the command substitutions in text, left as written.
	subs []shellSub
	// vars are the parameter expansions ($HOME, ${X}) left as written.
	vars []string
}

// shellSub is one command substitution, $(...) or `...`.
type shellSub struct {
	start, end int    // text[start:end] is the substitution as written
	cmd        string // the command inside
}

// from returns the word from byte i on: the value glued to a short option.
func (w shellWord) from(i int) shellWord {
	out := shellWord{text: w.text[i:], vars: w.vars}
	for _, s := range w.subs {
		if s.start >= i {
			out.subs = append(out.subs, shellSub{s.start - i, s.end - i, s.cmd})
		}
	}
	return out
}

// shellSplit is a command line read as a shell reads its first command.
type shellSplit struct {
	words []shellWord
	// rest is what followed the command: after |, ;, &, ( or ), or an
	// unescaped newline.
	rest string
	// redirects are the redirections dropped (> out.json, 2>&1).
	redirects []string
	// lenient is set when a backslash followed by blanks and a newline was
	// read as a line continuation (a shell would not).
	lenient bool
}

// shellError is a quoting error, with where it starts.
type shellError struct {
	what string
	at   int
}

func (e *shellError) Error() string {
	return "unterminated " + e.what + " (opened at character " + strconv.Itoa(e.at+1) + ")"
}

// splitShell splits the first command of s into words the way a POSIX
// shell does before expansion: single quotes, double quotes with their
// four escapes, backslashes, backslash-newline continuations, $'...'
// ANSI-C strings, comments. $(...), `...` and $VAR are kept as written and
// reported; redirections are dropped and reported.
func splitShell(s string) (shellSplit, error) {
	lx := &shellLexer{s: s}
	err := lx.run()
	return lx.out, err
}

type shellLexer struct {
	s      string
	i      int
	cur    strings.Builder
	word   shellWord // subs and vars of the word being read
	inWord bool
	quoted bool // the word used quotes or escapes: "2">x is no fd number
	// redirFrom is where the redirection being dropped starts; dropNext
	// is set while its target word is still to come.
	redirFrom int
	dropNext  bool
	out       shellSplit
}

func (lx *shellLexer) run() error {
	for lx.i < len(lx.s) {
		c := lx.s[lx.i]
		switch {
		case c == '\\' && lx.continuation():
		case c == ' ' || c == '\t' || c == '\r':
			lx.endWord()
			lx.i++
		case c == '\n':
			lx.endWord()
			lx.i++
			if len(lx.out.words) > 0 {
				lx.stop(lx.i)
				return nil
			}
		case c == '#' && !lx.inWord:
			for lx.i < len(lx.s) && lx.s[lx.i] != '\n' {
				lx.i++
			}
		case c == '<' || c == '>':
			if lx.redirect() {
				return nil
			}
		case strings.IndexByte("|&;()", c) >= 0:
			lx.endWord()
			lx.stop(lx.i)
			return nil
		case c == '\\':
			lx.inWord, lx.quoted = true, true
			if lx.i+1 < len(lx.s) {
				lx.cur.WriteByte(lx.s[lx.i+1])
				lx.i += 2
			} else {
				lx.cur.WriteByte('\\')
				lx.i++
			}
		case c == '\'':
			j := strings.IndexByte(lx.s[lx.i+1:], '\'')
			if j < 0 {
				return &shellError{"single quote (')", lx.i}
			}
			lx.inWord, lx.quoted = true, true
			lx.cur.WriteString(lx.s[lx.i+1 : lx.i+1+j])
			lx.i += j + 2
		case c == '$' && lx.peek(1) == '\'':
			if err := lx.ansiC(); err != nil {
				return err
			}
		case c == '$' && lx.peek(1) == '"': // $"..." is a translated "..."
			lx.i++
			if err := lx.double(); err != nil {
				return err
			}
		case c == '"':
			if err := lx.double(); err != nil {
				return err
			}
		case c == '$':
			if err := lx.dollar(); err != nil {
				return err
			}
		case c == '`':
			if err := lx.backtick(); err != nil {
				return err
			}
		default:
			lx.inWord = true
			lx.cur.WriteByte(c)
			lx.i++
		}
	}
	lx.endWord()
	lx.stop(len(lx.s))
	return nil
}

// stop ends the command at i: what follows is the rest, and a redirection
// still waiting for its target is reported as it stands.
func (lx *shellLexer) stop(i int) {
	if lx.dropNext {
		lx.out.redirects = append(lx.out.redirects, strings.TrimSpace(lx.s[lx.redirFrom:i]))
		lx.dropNext = false
	}
	lx.out.rest = lx.s[i:]
}

func (lx *shellLexer) peek(n int) byte {
	if lx.i+n < len(lx.s) {
		return lx.s[lx.i+n]
	}
	return 0
}

// continuation consumes a backslash-newline (or backslash-CRLF, from a
// paste made on Windows) and reports whether there was one. A backslash
// followed only by blanks before the newline counts too: pasted commands
// often carry trailing spaces, which would otherwise end the command.
func (lx *shellLexer) continuation() bool {
	j := lx.i + 1
	for j < len(lx.s) && (lx.s[j] == ' ' || lx.s[j] == '\t') {
		j++
	}
	blanks := j > lx.i+1
	if j < len(lx.s) && lx.s[j] == '\r' {
		j++
	}
	if j >= len(lx.s) || lx.s[j] != '\n' {
		return false
	}
	lx.out.lenient = lx.out.lenient || blanks
	lx.i = j + 1
	return true
}

// endWord finishes the word being read, or drops it when it is a
// redirection's target.
func (lx *shellLexer) endWord() {
	if !lx.inWord {
		return
	}
	if lx.dropNext {
		lx.out.redirects = append(lx.out.redirects, strings.TrimSpace(lx.s[lx.redirFrom:lx.i]))
		lx.dropNext = false
	} else {
		lx.word.text = lx.cur.String()
		lx.out.words = append(lx.out.words, lx.word)
	}
	lx.cur.Reset()
	lx.word = shellWord{}
	lx.inWord, lx.quoted = false, false
}

// redirect drops a redirection (an fd number glued to it, the operator and
// its target word); a here-document ends the command instead, and so it
// reports true.
func (lx *shellLexer) redirect() bool {
	from := lx.i
	if lx.inWord && !lx.quoted && len(lx.word.subs) == 0 && shellDigits(lx.cur.String()) {
		from -= lx.cur.Len()
		lx.cur.Reset()
		lx.inWord = false
	}
	lx.endWord()
	if strings.HasPrefix(lx.s[lx.i:], "<<") {
		lx.stop(lx.i)
		return true
	}
	lx.i++
	if c := lx.peek(0); c == '>' || c == '&' || c == '|' {
		lx.i++ // >>, >&, >|, <>, <&
	}
	lx.redirFrom, lx.dropNext = from, true
	return false
}

func shellDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
