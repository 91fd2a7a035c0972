package document

import (
	"bytes"
	"strconv"
)

// The JSON indenter is written by hand rather than calling
// encoding/json.Indent: it is several times faster on large bodies (see
// BenchmarkIndent* in big_test.go), validates as it goes, builds
// the line index while it writes, keeps what it indented when the body
// ends early (a body cut at max_body), and accepts a stream of values
// (NDJSON). For valid JSON its output is the same as
// json.Indent(dst, src, "", "  ") with trailing space dropped
// (document_test.go checks this).

// maxIndentDepth caps indentation: deeper levels are indented as this one,
// so a body of 100 000 nested arrays cannot grow into gigabytes of spaces.
const maxIndentDepth = 64

// indentSpaces is the indentation for every depth up to maxIndentDepth.
var indentSpaces = bytes.Repeat([]byte{' '}, 2*maxIndentDepth)

// strSpecial marks the bytes that end a run of plain string content: the
// closing quote, an escape, and the control characters JSON forbids raw.
var strSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// jsonError is why a body is not valid JSON.
type jsonError struct {
	at     int // byte offset in the body
	msg    string
	eof    bool // the body ended inside a value
	tooBig bool // indenting would have grown the text past its limit
}

func (e *jsonError) Error() string {
	if e.eof {
		return "JSON ends early, at byte " + strconv.Itoa(e.at)
	}
	if e.tooBig {
		return "JSON nested too deeply to indent"
	}
	return "byte " + strconv.Itoa(e.at) + ": " + e.msg
}

type indenter struct {
	src    []byte
	out    []byte
	starts []uint32
	limit  int // the text may not grow past this
}

// indentJSON indents src by two spaces per level and indexes the lines it
// writes. On error, text and starts hold what was indented before it.
func indentJSON(src []byte) (text []byte, starts []uint32, err *jsonError) {
	n := len(src)
	limit := min(8*n+1<<20, maxText)
	p := indenter{
		src: src,
		// Compact JSON roughly doubles when indented. Capacity that is never
		// written is never touched, so it costs address space, not memory.
		out:    make([]byte, 0, min(2*n+4096, limit)),
		starts: make([]uint32, 1, n/4+16),
		limit:  limit,
	}
	err = p.run()
	p.starts = append(p.starts, uint32(len(p.out)+1))
	return p.out, p.starts, err
}

const (
	stValue = iota // a value is expected
	stKey          // a key is expected
	stAfter        // a value ended: a comma, a closer, or the next top-level value
)

func (p *indenter) run() *jsonError {
	src := p.src
	n := len(src)
	stack := make([]byte, 0, 64) // the open '{' and '['
	state := stValue
	var err *jsonError
	for i := 0; ; {
		i = skipWS(src, i)
		if i >= n {
			if state == stAfter && len(stack) == 0 {
				return nil
			}
			return &jsonError{at: n, eof: true}
		}
		c := src[i]
		switch state {
		case stValue:
			switch {
			case c == '{' || c == '[':
				closer := c + 2 // '{'+2 is '}', '['+2 is ']'
				p.out = append(p.out, c)
				j := skipWS(src, i+1)
				if j < n && src[j] == closer {
					p.out = append(p.out, closer)
					i, state = j+1, stAfter
					continue
				}
				stack = append(stack, c)
				if !p.newline(len(stack)) {
					return &jsonError{at: i, tooBig: true}
				}
				i, state = j, stValue
				if c == '{' {
					state = stKey
				}
				continue
			case c == '"':
				i, err = p.str(i)
			case c == '-' || c >= '0' && c <= '9':
				i, err = p.number(i)
			case c == 't':
				i, err = p.literal(i, "true")
			case c == 'f':
				i, err = p.literal(i, "false")
			case c == 'n':
				i, err = p.literal(i, "null")
			default:
				return unexpected(src, i, "a value")
			}
			if err != nil {
				return err
			}
			state = stAfter
		case stKey:
			if c != '"' {
				return unexpected(src, i, "a key")
			}
			if i, err = p.str(i); err != nil {
				return err
			}
			if i = skipWS(src, i); i >= n {
				return &jsonError{at: n, eof: true}
			}
			if src[i] != ':' {
				return unexpected(src, i, "':'")
			}
			p.out = append(p.out, ':', ' ')
			i, state = i+1, stValue
		case stAfter:
			if len(stack) == 0 {
				// Another top-level value: a stream of values (NDJSON)
				// reads one value after the other.
				if !p.newline(0) {
					return &jsonError{at: i, tooBig: true}
				}
				state = stValue
				continue
			}
			top := stack[len(stack)-1]
			switch c {
			case ',':
				p.out = append(p.out, ',')
				state = stValue
				if top == '{' {
					state = stKey
				}
			case top + 2:
				stack = stack[:len(stack)-1]
				p.newline(len(stack))
				p.out = append(p.out, c)
			default:
				if top == '{' {
					return unexpected(src, i, "',' or '}'")
				}
				return unexpected(src, i, "',' or ']'")
			}
			if c == ',' && !p.newline(len(stack)) {
				return &jsonError{at: i, tooBig: true}
			}
			i++
		}
	}
}

// newline starts a line indented for depth; false when the text has grown
// past its limit.
func (p *indenter) newline(depth int) bool {
	p.out = append(p.out, '\n')
	p.starts = append(p.starts, uint32(len(p.out)))
	p.out = append(p.out, indentSpaces[:2*min(depth, maxIndentDepth)]...)
	return len(p.out) <= p.limit
}

func skipWS(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\n', '\r', '\t':
			i++
		default:
			return i
		}
	}
	return i
}

func unexpected(src []byte, i int, want string) *jsonError {
	return &jsonError{at: i, msg: "want " + want + ", got " + strconv.QuoteRuneToASCII(rune(src[i]))}
}

// str copies the string starting at src[i] (a quote) and returns the
// offset after its closing quote.
func (p *indenter) str(i int) (int, *jsonError) {
	src := p.src
	n := len(src)
	j := i + 1
	for {
		for j < n && !strSpecial[src[j]] {
			j++
		}
		if j >= n {
			p.out = append(p.out, src[i:n]...)
			return n, &jsonError{at: n, eof: true}
		}
		switch src[j] {
		case '"':
			p.out = append(p.out, src[i:j+1]...)
			return j + 1, nil
		case '\\':
			if j+1 >= n {
				return n, &jsonError{at: n, eof: true}
			}
			switch src[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= n {
						return n, &jsonError{at: n, eof: true}
					}
					if !isHex(src[k]) {
						return k, unexpected(src, k, "a hex digit")
					}
				}
				j += 6
			default:
				return j + 1, unexpected(src, j+1, "an escape")
			}
		default:
			return j, unexpected(src, j, "no control character in a string")
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number copies the number starting at src[i], checking its grammar.
func (p *indenter) number(i int) (int, *jsonError) {
	src := p.src
	n := len(src)
	j := i
	if src[j] == '-' {
		j++
	}
	digits := func(want string) *jsonError {
		if j >= n {
			return &jsonError{at: n, eof: true}
		}
		if !isDigit(src[j]) {
			return unexpected(src, j, want)
		}
		for j < n && isDigit(src[j]) {
			j++
		}
		return nil
	}
	if j < n && src[j] == '0' {
		j++
	} else if err := digits("a digit"); err != nil {
		return j, err
	}
	if j < n && src[j] == '.' {
		j++
		if err := digits("a digit after '.'"); err != nil {
			return j, err
		}
	}
	if j < n && (src[j] == 'e' || src[j] == 'E') {
		j++
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if err := digits("an exponent"); err != nil {
			return j, err
		}
	}
	p.out = append(p.out, src[i:j]...)
	return j, nil
}

// literal copies true, false or null.
func (p *indenter) literal(i int, word string) (int, *jsonError) {
	rest := p.src[i:]
	if len(rest) < len(word) && string(rest) == word[:len(rest)] {
		return len(p.src), &jsonError{at: len(p.src), eof: true}
	}
	if len(rest) < len(word) || string(rest[:len(word)]) != word {
		return i, &jsonError{at: i, msg: "want " + word}
	}
	p.out = append(p.out, word...)
	return i + len(word), nil
}

// IndentJSON indents a JSON body by two spaces per level, as
// encoding/json.Indent does, at several times its speed (keyhole call
// --pretty on large bodies). ok is false when the body is not JSON.
func IndentJSON(src []byte) (out []byte, ok bool) {
	text, _, err := indentJSON(bytes.TrimSpace(src))
	if err != nil {
		return nil, false
	}
	return text, true
}
