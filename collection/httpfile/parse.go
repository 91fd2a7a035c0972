package httpfile

import (
	"strings"
	"unicode"

	"github.com/keyhole-sh/keyhole/internal/termtext"
)

// Parse reads a .http file. It never fails as a whole: a block that does
// not parse becomes a Problem at the line at fault and is not loaded, and
// the other blocks load. path is only used in messages.
//
// The grammar is the one the JetBrains HTTP Client and the VS Code REST
// Client document. A file is blocks split by lines starting with ###
// (the text after it names the request). In a block, before the request:
// blank lines, comments (# or //) holding directives (# @name x), file
// variables (@name = value) and pre-request handlers; then the request
// line (a method or none, for GET; the URL; a version or none), with
// indented lines and ?/& lines continuing the URL; headers up to a blank
// line; then the body up to the next ### or a response handler, response
// reference or output redirect, after which nothing more is the
// request's. Comment lines are left out wherever they stand.
func Parse(path string, src []byte) *File {
	f := &File{Path: path}
	p := &parser{f: f, seen: make(map[string]bool)}
	lines := splitLines(string(src))
	if len(lines) > 0 {
		// Visual Studio writes its .http files with a byte order mark:
		// without this the first line would not read as what it is.
		lines[0].text = strings.TrimPrefix(lines[0].text, byteOrderMark)
	}
	// One request a block, at most: one allocation for them all.
	blocks := 1
	for _, l := range lines {
		if isSeparator(l.text) {
			blocks++
		}
	}
	f.Requests = make([]Request, 0, blocks)
	first := 0
	for i := 0; i <= len(lines); i++ {
		if i < len(lines) && (i == 0 || !isSeparator(lines[i].text)) {
			continue
		}
		end := len(src)
		if i < len(lines) {
			end = lines[i].start
		}
		if i > first {
			p.block(lines[first:i], end)
		}
		first = i
	}
	return f
}

// byteOrderMark is U+FEFF in UTF-8, as editors on Windows start a file.
const byteOrderMark = "\ufeff"

// parser holds what is shared between the blocks of one file.
type parser struct {
	f    *File
	seen map[string]bool // NotRun kinds already reported
}

// notRun reports a construct once per kind per file, at its first line.
func (p *parser) notRun(kind string, l line, what string) {
	if p.seen[kind] {
		return
	}
	p.seen[kind] = true
	p.f.NotRun = append(p.f.NotRun, NotRun{Line: l.num, What: termtext.Line(what)})
}

func (p *parser) problem(l line, reason string) {
	p.f.Problems = append(p.f.Problems, Problem{Path: p.f.Path, Line: l.num, Reason: reason})
}

// The parts of a block, in the order they come.
const (
	statePre     = iota // before the request line
	stateHeaders        // after it, up to a blank line
	stateBody           // after the blank line
	stateTail           // after a response handler, reference or redirect
)

// block parses the lines of one block; lines[0] may be its ### line. A
// block holding no request line (only comments or variables) adds
// nothing but its variables.
func (p *parser) block(lines []line, end int) {
	if len(lines) == 0 {
		return
	}
	r := Request{Start: lines[0].start, End: end}
	found := false
	if isSeparator(lines[0].text) {
		r.Name = separatorName(lines[0].text)
		lines = lines[1:]
	}
	state := statePre
	var text []line // body lines not yet made a part
	flush := func() {
		if len(text) > 0 {
			texts := make([]string, len(text))
			for i, t := range text {
				texts[i] = t.text
			}
			r.Body = append(r.Body, BodyPart{Text: strings.Join(texts, "\n"), Line: text[0].num})
			text = text[:0]
		}
	}
	fine := true // false once a handler's directive makes the block a problem
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch state {
		case statePre:
			if isBlank(l.text) {
				continue
			}
			if c, ok := commentText(l.text); ok {
				if !p.directive(&r, l, c, true) {
					return
				}
				continue
			}
			if v, ok := variable(l); ok {
				p.f.Vars = append(p.f.Vars, v)
				continue
			}
			if t := strings.TrimLeft(l.text, " \t"); isInclude(t) {
				i = p.script(lines, i, "<", t[1:], "pre-request handler")
				continue
			}
			if what := otherRequest(l.text); what != "" {
				// Another protocol, or another file's requests: kept,
				// not run, and the block is not a request keyhole sends.
				p.notRun(what, l, what+" "+quote(strings.TrimSpace(l.text)))
				return
			}
			if isTail(l.text) {
				// A handler with no request before it: kept, not run.
				if i, fine = p.tail(&r, lines, i); !fine {
					return
				}
				continue
			}
			next, err := requestLine(&r, lines, i)
			if err != "" {
				p.problem(l, err)
				return
			}
			found = true
			i = next
			state = stateHeaders
		case stateHeaders:
			if isBlank(l.text) {
				state = stateBody
				continue
			}
			if c, ok := commentText(l.text); ok {
				if !p.directive(&r, l, c, true) {
					return
				}
				continue
			}
			if isTail(l.text) {
				state = stateTail
				if i, fine = p.tail(&r, lines, i); !fine {
					return
				}
				continue
			}
			h, err := header(l)
			if err != "" {
				p.problem(l, err)
				return
			}
			r.Headers = append(r.Headers, h)
		case stateBody:
			if isTail(l.text) {
				state = stateTail
				if i, fine = p.tail(&r, lines, i); !fine {
					return
				}
				continue
			}
			if c, ok := commentText(l.text); ok {
				// Both tools take a line starting with # or // for a
				// comment in the body too, and do not send it: a
				// template's `// CreateTodoListCommand` above its JSON
				// would make the JSON invalid.
				if isKeyholeDirective(c) && !p.directive(&r, l, c, false) {
					return
				}
				continue
			}
			if part, ok := p.include(l); ok {
				flush()
				r.Body = append(r.Body, part)
				continue
			}
			text = append(text, l)
		case stateTail:
			if i, fine = p.tail(&r, lines, i); !fine {
				return
			}
		}
	}
	if !found {
		return
	}
	// Only the last part can end in such lines: consecutive body lines
	// make one part, and a file part ends a text part.
	text = trimBody(text)
	text = p.trailingVars(text)
	flush()
	p.f.Requests = append(p.f.Requests, r)
}

// trimBody drops the blank lines that end a body, as both tools do: they
// space the file out. A body of only those is no body. (Comment lines
// never reach a body.)
func trimBody(text []line) []line {
	n := len(text)
	for n > 0 && isBlank(text[n-1].text) {
		n--
	}
	return text[:n]
}

// trailingVars takes the `@name = value` lines that end a body, set off
// from it by a blank line, as file variables: VS Code reads such a line
// as a variable wherever it stands, and people write the next request's
// variables there. It returns the body without them. Right after the
// blank line that starts the body, such lines are the body.
func (p *parser) trailingVars(text []line) []line {
	n := len(text)
	var found []Var
	for n > 0 {
		v, ok := variable(text[n-1])
		if !ok {
			break
		}
		found = append(found, v)
		n--
	}
	if len(found) == 0 || n == 0 || !isBlank(text[n-1].text) {
		return text
	}
	for i := len(found) - 1; i >= 0; i-- {
		p.f.Vars = append(p.f.Vars, found[i])
	}
	return trimBody(text[:n])
}

// variable reads a file variable, `@name = value` (the value trimmed;
// `=` with or without spaces around it).
func variable(l line) (Var, bool) {
	t := strings.TrimLeft(l.text, " \t")
	if !strings.HasPrefix(t, "@") {
		return Var{}, false
	}
	name, value, ok := strings.Cut(t[1:], "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return Var{}, false
	}
	return Var{Name: name, Value: strings.TrimSpace(value), Line: l.num}, true
}

// header reads `Name: value`. A line in the headers without a colon is an
// error, not the start of a body: both tools need a blank line before a
// body, and sending a request whose header was mistyped would be worse
// than saying so.
func header(l line) (Header, string) {
	name, value, ok := strings.Cut(l.text, ":")
	name = strings.Trim(name, " \t")
	switch {
	case !ok:
		return Header{}, "header line has no colon (a body must follow a blank line)"
	case name == "":
		return Header{}, "header line has no name before its colon"
	case name[0] == '?' || name[0] == '&':
		// Right after the request line such a line continues the URL.
		return Header{}, "header name " + quote(name) + " starts with " + name[:1] + ", which continues a URL"
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return Header{}, "header name " + quote(name) + " has a space or control character in it"
	}
	return Header{Name: name, Value: strings.TrimSpace(value), Line: l.num}, ""
}

// quote shows a piece of the file in a message, cut short, with what a
// terminal would act on shown as symbols: a file from someone else's
// repository must not drive the terminal its problems are printed on.
func quote(s string) string {
	const most = 40
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return "“" + termtext.Line(s) + "”"
}
