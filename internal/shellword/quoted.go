package shellword

import "strings"

// The quoted and expanding forms of shell words, for Split.

// double reads "...": \ escapes only $ ` " \ and a newline; $ and ` still
// start substitutions.
func (lx *lexer) double() error {
	open := lx.i
	lx.inWord, lx.quoted = true, true
	lx.i++
	for {
		if lx.i >= len(lx.s) {
			return &syntaxError{`double quote (")`, open}
		}
		c := lx.s[lx.i]
		switch {
		case c == '"':
			lx.i++
			return nil
		case c == '\\' && lx.i+1 < len(lx.s):
			n := lx.s[lx.i+1]
			switch {
			case n == '\n':
				lx.i += 2
			case n == '\r' && lx.peek(2) == '\n':
				lx.i += 3
			case strings.IndexByte("$`\"\\", n) >= 0:
				lx.cur.WriteByte(n)
				lx.i += 2
			default:
				lx.cur.WriteByte('\\')
				lx.i++
			}
		case c == '$' || c == '`':
			if err := lx.expand(c); err != nil {
				return err
			}
		default:
			lx.cur.WriteByte(c)
			lx.i++
		}
	}
}

// expand reads what $ or ` starts, alike unquoted and between double
// quotes.
func (lx *lexer) expand(c byte) error {
	if c == '`' {
		return lx.backtick()
	}
	return lx.dollar()
}

// dollar reads what starts with $: a command substitution, a parameter
// expansion (both kept as written), or a plain dollar sign.
func (lx *lexer) dollar() error {
	lx.inWord = true
	start := lx.i
	switch n := lx.peek(1); {
	case n == '(':
		end, err := scanSubst(lx.s, lx.i+2)
		if err != nil {
			return err
		}
		at := lx.cur.Len()
		lx.cur.WriteString(lx.s[start : end+1])
		lx.word.Subs = append(lx.word.Subs, Sub{at, lx.cur.Len(), lx.s[start+2 : end]})
		lx.i = end + 1
		return nil
	case n == '{':
		j := strings.IndexByte(lx.s[lx.i:], '}')
		if j < 0 {
			return &syntaxError{"${", start}
		}
		lx.i += j + 1
	case n == '_' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
		lx.i += 2
		for lx.i < len(lx.s) && nameChar(lx.s[lx.i]) {
			lx.i++
		}
	case n >= '0' && n <= '9' || n != 0 && strings.IndexByte("@*#?$!-", n) >= 0:
		lx.i += 2
	default:
		lx.cur.WriteByte('$')
		lx.i++
		return nil
	}
	lx.cur.WriteString(lx.s[start:lx.i])
	lx.word.Vars = append(lx.word.Vars, lx.s[start:lx.i])
	return nil
}

func nameChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// backtick reads `...`, the old form of $(...), kept as written.
func (lx *lexer) backtick() error {
	lx.inWord = true
	var cmd strings.Builder
	for j := lx.i + 1; j < len(lx.s); j++ {
		switch c := lx.s[j]; {
		case c == '\\' && j+1 < len(lx.s) && strings.IndexByte("`\\$", lx.s[j+1]) >= 0:
			cmd.WriteByte(lx.s[j+1])
			j++
		case c == '`':
			at := lx.cur.Len()
			lx.cur.WriteString(lx.s[lx.i : j+1])
			lx.word.Subs = append(lx.word.Subs, Sub{at, lx.cur.Len(), cmd.String()})
			lx.i = j + 1
			return nil
		default:
			cmd.WriteByte(c)
		}
	}
	return &syntaxError{"backquote (`)", lx.i}
}

// scanSubst finds the ) that closes a $( whose body starts at from,
// stepping over quotes, escapes and nested parentheses.
func scanSubst(s string, from int) (int, error) {
	depth := 1
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return 0, &syntaxError{"single quote (')", i}
			}
			i += j + 1
		case '"':
			open := i
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			if i >= len(s) {
				return 0, &syntaxError{`double quote (")`, open}
			}
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i, nil
			}
		}
	}
	return 0, &syntaxError{"$(", from - 2}
}

// ansiC reads $'...', bash's ANSI-C quoting: \n, \t, \xHH, \uHHHH, octal
// and the other C escapes. Like bash, it drops what follows a NUL.
func (lx *lexer) ansiC() error {
	open := lx.i
	lx.inWord, lx.quoted = true, true
	lx.i += 2
	nul := false
	put := func(b ...byte) {
		for _, c := range b {
			if c == 0 {
				nul = true
			}
			if !nul {
				lx.cur.WriteByte(c)
			}
		}
	}
	for {
		if lx.i >= len(lx.s) {
			return &syntaxError{"$'", open}
		}
		c := lx.s[lx.i]
		if c == '\'' {
			lx.i++
			return nil
		}
		if c != '\\' || lx.i+1 >= len(lx.s) {
			put(c)
			lx.i++
			continue
		}
		e := lx.s[lx.i+1]
		lx.i += 2
		switch e {
		case 'a':
			put(7)
		case 'b':
			put(8)
		case 'e', 'E':
			put(27)
		case 'f':
			put(12)
		case 'n':
			put('\n')
		case 'r':
			put('\r')
		case 't':
			put('\t')
		case 'v':
			put(11)
		case '\\', '\'', '"', '?':
			put(e)
		case 'c':
			if lx.i < len(lx.s) {
				put(lx.s[lx.i] & 0x1f)
				lx.i++
			} else {
				put('\\', 'c')
			}
		case 'x', 'u', 'U':
			limit := 2
			if e == 'u' {
				limit = 4
			} else if e == 'U' {
				limit = 8
			}
			v, n := lx.digits(16, limit)
			switch {
			case n == 0:
				put('\\', e)
			case e == 'x':
				put(byte(v))
			default:
				put([]byte(string(rune(v)))...)
			}
		default:
			if e >= '0' && e <= '7' {
				lx.i--
				v, _ := lx.digits(8, 3)
				put(byte(v))
			} else {
				put('\\', e)
			}
		}
	}
}

// digits reads up to limit digits in base, for an escape.
func (lx *lexer) digits(base, limit int) (v, n int) {
	for n < limit && lx.i < len(lx.s) {
		d := digitValue(lx.s[lx.i])
		if d < 0 || d >= base {
			break
		}
		v = v*base + d
		lx.i++
		n++
	}
	return v, n
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
