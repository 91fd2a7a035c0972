package httpfile

import "strings"

// keyholeDirectives are the directives keyhole runs. They are read in the
// body too (a line `# @assert status == 200` after a JSON body is not
// JSON), where other comment lines are left out, as both tools leave them.
var keyholeDirectives = map[string]bool{
	"name": true, "provider": true, "capture": true, "assert": true, "secret": true,
}

// directiveName splits a comment's text into `@word` and the rest, or
// says it is a plain comment. A directive follows one # (or //), as both
// tools read them: `## @id the seeded customer` is prose.
func directiveName(c string) (name, rest string, ok bool) {
	c = strings.TrimLeft(c, " \t")
	if !strings.HasPrefix(c, "@") {
		return "", "", false
	}
	c = c[1:]
	n := strings.IndexFunc(c, func(r rune) bool { return r == ' ' || r == '\t' || r == '=' })
	if n < 0 {
		n = len(c)
	}
	if n == 0 {
		return "", "", false
	}
	return c[:n], c[n:], true
}

func isKeyholeDirective(c string) bool {
	name, _, ok := directiveName(c)
	return ok && keyholeDirectives[name]
}

// directive applies a comment line's directive to r. A directive keyhole
// does not know is reported as not run; a plain comment is nothing. It
// returns false when the block is a problem (a directive with nothing
// after it): a request sent without the check or capture its author
// meant would pass for the wrong reason. outsideBody is false in the
// body, where only keyhole's own directives are read. A # @name comes
// after the ### line, so it wins over the ### text.
func (p *parser) directive(r *Request, l line, c string, outsideBody bool) bool {
	name, rest, ok := directiveName(c)
	if !ok {
		return true
	}
	if !keyholeDirectives[name] {
		if strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=") {
			// `# @host = …`: a file variable commented out, not a
			// directive of any tool.
			return true
		}
		if outsideBody {
			p.notRun("@"+name, l, "directive @"+name)
		}
		return true
	}
	arg := strings.TrimSpace(rest)
	switch name {
	case "name":
		// `# @name x` and VS Code's `# @name = x`.
		arg = strings.TrimSpace(strings.TrimPrefix(arg, "="))
		if arg == "" {
			p.problem(l, "@name needs a name")
			return false
		}
		r.Name = arg
	case "provider":
		if arg == "" {
			p.problem(l, "@provider needs a provider's name")
			return false
		}
		r.Provider = arg
	case "capture":
		if arg == "" {
			p.problem(l, "@capture needs NAME = PATH")
			return false
		}
		r.Captures = append(r.Captures, Directive{Text: arg, Line: l.num})
	case "assert":
		if arg == "" {
			p.problem(l, "@assert needs an expression, e.g. status == 200")
			return false
		}
		r.Asserts = append(r.Asserts, Directive{Text: arg, Line: l.num})
	case "secret":
		if arg == "" {
			p.problem(l, "@secret needs a variable's name")
			return false
		}
		r.Secrets = append(r.Secrets, arg)
	}
	return true
}
