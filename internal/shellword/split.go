// Package shellword reads and writes POSIX shell words: Split reads a
// pasted command line as a shell would before expansion, running and
// expanding nothing; Quote and QuoteSubst write words a shell reads back
// exactly. The tests check both against sh, bash and zsh.
package shellword

import (
	"strconv"
	"strings"
)

// Word is one word of a command line after quote removal. Nothing is
// expanded: a paste is data, and keyhole runs no command from it.
type Word struct {
	Text string
	// Subs are the command substitutions in Text, left as written.
	Subs []Sub
	// Vars are the parameter expansions ($HOME, ${X}) left as written.
	Vars []string
}

// Sub is one command substitution, $(...) or `...`.
type Sub struct {
	Start, End int    // Text[Start:End] is the substitution as written
	Cmd        string // the command inside
}

// From returns the word from byte i on: the value glued to a short option.
func (w Word) From(i int) Word {
	out := Word{Text: w.Text[i:], Vars: w.Vars}
	for _, s := range w.Subs {
		if s.Start >= i {
			out.Subs = append(out.Subs, Sub{s.Start - i, s.End - i, s.Cmd})
		}
	}
	return out
}

// Line is a command line read as a shell reads its first command.
type Line struct {
	Words []Word
	// Rest is what followed the command: after |, ;, &, ( or ), or an
	// unescaped newline.
	Rest string
	// Redirects are the redirections dropped (> out.json, 2>&1).
	Redirects []string
	// Lenient is set when a backslash followed by blanks and a newline was
	// read as a line continuation (a shell would not).
	Lenient bool
}

// syntaxError is a quoting error, with where it starts.
type syntaxError struct {
	what string
	at   int
}

func (e *syntaxError) Error() string {
	return "unterminated " + e.what + " (opened at character " + strconv.Itoa(e.at+1) + ")"
}

// Split splits the first command of s into words the way a POSIX
// shell does before expansion: single quotes, double quotes with their
// four escapes, backslashes, backslash-newline continuations, $'...'
// ANSI-C strings, comments. $(...), `...` and $VAR are kept as written and
// reported; redirections are dropped and reported.
func Split(s string) (Line, error) {
	lx := &lexer{s: s}
	err := lx.run()
	return lx.out, err
}

type lexer struct {
	s      string
	i      int
	cur    strings.Builder
	word   Word // Subs and Vars of the word being read
	inWord bool
	quoted bool // the word used quotes or escapes: "2">x is no fd number
	// redirFrom is where the redirection being dropped starts; dropNext
	// is set while its target word is still to come.
	redirFrom int
	dropNext  bool
	out       Line
}

func (lx *lexer) run() error {
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
			if len(lx.out.Words) > 0 {
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
				return &syntaxError{"single quote (')", lx.i}
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
		case c == '$' || c == '`':
			if err := lx.expand(c); err != nil {
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
func (lx *lexer) stop(i int) {
	if lx.dropNext {
		lx.out.Redirects = append(lx.out.Redirects, strings.TrimSpace(lx.s[lx.redirFrom:i]))
		lx.dropNext = false
	}
	lx.out.Rest = lx.s[i:]
}

func (lx *lexer) peek(n int) byte {
	if lx.i+n < len(lx.s) {
		return lx.s[lx.i+n]
	}
	return 0
}

// continuation consumes a backslash-newline (or backslash-CRLF, from a
// paste made on Windows) and reports whether there was one. A backslash
// followed only by blanks before the newline counts too: pasted commands
// often carry trailing spaces, which would otherwise end the command.
func (lx *lexer) continuation() bool {
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
	lx.out.Lenient = lx.out.Lenient || blanks
	lx.i = j + 1
	return true
}

// endWord finishes the word being read, or drops it when it is a
// redirection's target.
func (lx *lexer) endWord() {
	if !lx.inWord {
		return
	}
	if lx.dropNext {
		lx.out.Redirects = append(lx.out.Redirects, strings.TrimSpace(lx.s[lx.redirFrom:lx.i]))
		lx.dropNext = false
	} else {
		lx.word.Text = lx.cur.String()
		lx.out.Words = append(lx.out.Words, lx.word)
	}
	lx.cur.Reset()
	lx.word = Word{}
	lx.inWord, lx.quoted = false, false
}

// redirect drops a redirection (an fd number glued to it, the operator and
// its target word); a here-document ends the command instead, and so it
// reports true.
func (lx *lexer) redirect() bool {
	from := lx.i
	if lx.inWord && !lx.quoted && len(lx.word.Subs) == 0 && allDigits(lx.cur.String()) {
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

func allDigits(s string) bool {
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
