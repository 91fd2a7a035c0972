package httpfile

import (
	"strings"

	"github.com/keyhole-sh/keyhole/internal/httptoken"
)

// methods are the methods both tools know; a request line may also be a
// URL alone (GET). The method is read in any case, as VS Code does.
var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"HEAD": true, "OPTIONS": true, "TRACE": true, "CONNECT": true,
}

// requestLine reads the request line at lines[i] and the lines that
// continue it (`?a=1`, `&b=2`, or any indented line isContinuation
// takes: `  /more/path`, `    client_id=spa&`), filling
// r's Line, Method, URL and Version. It returns the index of the last
// line it used, or a reason the line is not a request line.
func requestLine(r *Request, lines []line, i int) (int, string) {
	r.Line = lines[i].num
	var b strings.Builder
	b.WriteString(strings.TrimSpace(lines[i].text))
	for {
		// Comments may stand between the lines of a URL, as VS Code
		// drops them before it reads the request.
		j := i + 1
		for j < len(lines) && isPlainComment(lines[j].text) {
			j++
		}
		if j == len(lines) || !isContinuation(lines[j].text) {
			break
		}
		i = j
		b.WriteString(strings.TrimSpace(lines[i].text))
	}
	s := b.String()

	word, rest := s, ""
	if j := strings.IndexAny(s, " \t"); j >= 0 {
		word, rest = s[:j], strings.TrimLeft(s[j:], " \t")
	}
	up := strings.ToUpper(word)
	switch {
	case methods[up] && rest == "":
		return i, "request line " + quote(s) + " has a method and no URL"
	case methods[up]:
		r.Method = up
		r.URL, r.Version = splitVersion(rest)
	case rest != "" && isWord(word):
		return i, "request line " + quote(s) + ": " + quote(word) + " is not a method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE, CONNECT)"
	default:
		r.Method = "GET"
		r.URL, r.Version = splitVersion(s)
	}
	// After a method, the URL may hold spaces (`$filter=Name eq 'x'`): both
	// tools take the rest of the line and encode them. A URL alone may
	// not, or a line of prose would pass for one.
	if reason := checkURL(r.URL, methods[up]); reason != "" {
		return i, "request line " + quote(s) + ": " + reason
	}
	return i, ""
}

// isContinuation: a line continuing the request line's URL. VS Code takes
// any line starting with ? or & (indented or not); JetBrains any indented
// line (`    client_id=spa&` after a URL ending in ?). An indented line
// that reads as something else — a comment, a header, a handler, a body
// file — is that.
func isContinuation(s string) bool {
	t := strings.TrimLeft(s, " \t")
	switch {
	case t == "":
		return false
	case t[0] == '?' || t[0] == '&':
		return true
	case len(t) == len(s):
		return false
	}
	if _, comment := commentText(t); comment {
		return false
	}
	return !looksLikeHeader(t) && !isTail(t) && !isInclude(t)
}

// isPlainComment: a comment line that holds no directive.
func isPlainComment(s string) bool {
	c, ok := commentText(s)
	if !ok {
		return false
	}
	_, _, directive := directiveName(c)
	return !directive
}

// looksLikeHeader: `Name: value`, the name a token as HTTP has it. A
// blank before the colon is allowed, as header allows it: `X-Key : v` is
// a header, and its value must not go in the URL.
func looksLikeHeader(t string) bool {
	name, _, ok := strings.Cut(t, ":")
	return ok && httptoken.Valid(strings.TrimRight(name, " \t"))
}

// splitVersion cuts a trailing version off a URL. The version is the
// rest of the line from ` HTTP/` (JetBrains also writes `HTTP/2 (Prior
// Knowledge)`); a URL alone that starts with HTTP/ keeps it.
func splitVersion(s string) (url, version string) {
	if v := versionAt(s); v >= 0 {
		return strings.TrimRight(s[:v], " \t"), s[v:]
	}
	return s, ""
}

// versionAt is the offset of a trailing ` HTTP/…` in a request line, or
// -1: the first one after a space, outside {{…}}.
func versionAt(s string) int {
	return indexOutsideBraces(s, func(i, depth int) bool {
		return depth == 0 && i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') && hasPrefixFold(s[i:], "HTTP/")
	})
}

// indexOutsideBraces walks s keeping count of the {{…}} it is inside, and
// returns the first offset where stop says so, or -1. stop sees every byte
// but those of the "{{" and "}}" delimiters, with its depth: a request
// line's spaces and version only count outside a template, while
// `{{$randomInt 1 10}}` holds spaces of its own.
func indexOutsideBraces(s string, stop func(i, depth int) bool) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "{{"):
			depth++
			i++
		case strings.HasPrefix(s[i:], "}}") && depth > 0:
			depth--
			i++
		case stop(i, depth):
			return i
		}
	}
	return -1
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isWord: letters only, like a method name. A line starting with one
// and going on is prose or a misspelt method, not a URL.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// checkURL refuses what cannot be a URL: a control character; a space
// outside {{…}} (`{{$randomInt 1 10}}` holds some) unless spaces is set,
// and then a comment after one, which the tools would send as part of
// the URL; or a first word with nothing of a URL in it (a line of prose
// with no comment marker).
func checkURL(u string, spaces bool) string {
	var why string
	first := -1 // the first space outside {{…}}
	indexOutsideBraces(u, func(i, depth int) bool {
		switch {
		case u[i] < 0x20 || u[i] == 0x7f:
			why = "a URL has no control characters"
		case depth > 0 || u[i] != ' ' && u[i] != '\t':
		case !spaces:
			why = "a URL has no spaces (expected [METHOD] URL [HTTP/VERSION])"
		default:
			if first < 0 {
				first = i
			}
			if t := strings.TrimLeft(u[i:], " \t"); strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
				why = "a comment after the URL would be sent as part of it: put it on a line of its own"
			}
		}
		return why != ""
	})
	if why != "" {
		return why
	}
	if first >= 0 {
		u = u[:first]
	}
	if !strings.ContainsAny(u, "/.:?") && !strings.Contains(u, "{{") {
		return "not a request line (expected [METHOD] URL [HTTP/VERSION])"
	}
	return ""
}

// otherRequest names what a line starts that keyhole does not send, or
// is "": JetBrains' GraphQL, WebSocket and gRPC requests, and its
// `import FILE` and `run FILE|#name` lines, which bring in and run
// requests of their own.
func otherRequest(s string) string {
	t := strings.TrimSpace(s)
	word, rest, _ := strings.Cut(t, " ")
	if rest == "" {
		word, rest, _ = strings.Cut(t, "\t")
	}
	if strings.TrimSpace(rest) == "" {
		return ""
	}
	switch up := strings.ToUpper(word); {
	case up == "GRAPHQL" || up == "WEBSOCKET" || up == "GRPC":
		return up + " request"
	case word == "import" || word == "run":
		return word + " line"
	}
	return ""
}
