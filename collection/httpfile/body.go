package httpfile

import "strings"

// isInclude: `< ./file` or `<@ ./file` (`<@latin1 ./file` in VS Code).
// `<xml>` and `<>` are not.
func isInclude(t string) bool {
	if len(t) < 2 || t[0] != '<' {
		return false
	}
	return t[1] == ' ' || t[1] == '\t' || t[1] == '@'
}

// include reads a body line naming a file: its contents, or with <@ its
// contents with variables substituted, stand there in the body.
func (p *parser) include(l line) (BodyPart, bool) {
	if !isInclude(l.text) {
		return BodyPart{}, false
	}
	t := l.text[1:]
	part := BodyPart{Line: l.num}
	enc := ""
	if strings.HasPrefix(t, "@") {
		part.Substitute = true
		t = t[1:]
		enc = t
		if j := strings.IndexAny(t, " \t"); j >= 0 {
			enc = t[:j]
		}
		t = t[len(enc):]
	}
	if t == "" || (t[0] != ' ' && t[0] != '\t') {
		return BodyPart{}, false
	}
	part.File = strings.TrimSpace(t)
	if part.File == "" {
		return BodyPart{}, false
	}
	// VS Code's <@latin1 names the file's encoding; keyhole reads UTF-8.
	if enc != "" && !strings.EqualFold(enc, "utf8") && !strings.EqualFold(enc, "utf-8") {
		p.notRun("encoding", l, "file encoding <@"+enc+" (read as UTF-8)")
	}
	return part, true
}

// isTail: a line that ends the body and the request: a response handler
// (`> {% … %}`, `> ./check.js`), an output redirect (`>> file`,
// `>>! file`) or a response reference (`<> ./file`). Only at the start
// of a line, as both tools read them.
func isTail(s string) bool {
	switch {
	case strings.HasPrefix(s, "<>"), strings.HasPrefix(s, ">>"):
		return true
	case strings.HasPrefix(s, ">"):
		t := s[1:]
		return t == "" || t[0] == ' ' || t[0] == '\t' || strings.HasPrefix(t, "{%")
	}
	return false
}

// tail reads lines[i] after a request's body or headers ended with a
// handler, redirect or reference: each is reported as not run; keyhole's
// own directives still apply. It returns the last line used, and false
// when the block is a problem.
func (p *parser) tail(r *Request, lines []line, i int) (int, bool) {
	l := lines[i]
	s := l.text
	switch {
	case isBlank(s):
	case strings.HasPrefix(s, "<>"):
		p.notRun("<>", l, "response reference <> "+strings.TrimSpace(s[2:]))
	case strings.HasPrefix(s, ">>"):
		p.notRun(">>", l, "output redirect "+strings.TrimSpace(s))
	case strings.HasPrefix(s, ">"):
		return p.script(lines, i, ">", s[1:], "response handler"), true
	default:
		if c, ok := commentText(s); ok {
			return i, p.directive(r, l, c, true)
		}
		p.notRun("after handler", l, "text after a response handler "+quote(strings.TrimSpace(s)))
	}
	return i, true
}

// script skips a handler: `{% … %}` JavaScript on one line or up to the
// line holding %}, or a script file. after is the text after the marker
// (< or >). It returns the last line of the handler.
func (p *parser) script(lines []line, i int, marker, after, kind string) int {
	l := lines[i]
	t := strings.TrimSpace(after)
	if !strings.HasPrefix(t, "{%") {
		p.notRun(kind+" file", l, kind+" "+marker+" "+t)
		return i
	}
	p.notRun(kind, l, kind+" "+marker+" {% … %}")
	if strings.Contains(t[2:], "%}") {
		return i
	}
	for i+1 < len(lines) {
		i++
		if strings.Contains(lines[i].text, "%}") {
			break
		}
	}
	return i
}
