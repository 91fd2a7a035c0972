package httpfile

import (
	"strings"
)

// methods are the methods both tools know; a request line may also be a
// URL alone (GET). The method is read in any case, as VS Code does.
var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"HEAD": true, "OPTIONS": true, "TRACE": true, "CONNECT": true,
}

// requestLine reads the request line at lines[i] and the query lines that
// continue it (`  ?a=1`, `  &b=2`, or an indented `/more/path`), filling
// r's Line, Method, URL and Version. It returns the index of the last
// line it used, or a reason the line is not a request line.
func requestLine(r *Request, lines []line, i int) (int, string) {
	r.Line = lines[i].num
	var b strings.Builder
	b.WriteString(strings.TrimSpace(lines[i].text))
	for i+1 < len(lines) && isContinuation(lines[i+1].text) {
		i++
		b.WriteString(strings.TrimSpace(lines[i].text))
	}
	s := b.String()

	word, rest := s, ""
	if j := strings.IndexAny(s, " \t"); j >= 0 {
		word, rest = s[:j], strings.TrimLeft(s[j:], " \t")
	}
	switch up := strings.ToUpper(word); {
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
	if reason := checkURL(r.URL); reason != "" {
		return i, "request line " + quote(s) + ": " + reason
	}
	return i, ""
}

// isContinuation: a line continuing the request line's URL. VS Code takes
// any line starting with ? or & (indented or not); JetBrains documents
// indented ones, also for a long path.
func isContinuation(s string) bool {
	t := strings.TrimLeft(s, " \t")
	if t == "" {
		return false
	}
	if t[0] == '?' || t[0] == '&' {
		return true
	}
	return len(t) < len(s) && t[0] == '/'
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

// checkURL refuses what cannot be a URL: a space outside {{…}} (a URL
// has none; `{{$randomInt 1 10}}` does), a control character, or a bare word with nothing of
// a URL in it (a line of prose with no comment marker).
func checkURL(u string) string {
	var why string
	indexOutsideBraces(u, func(i, depth int) bool {
		switch {
		case depth == 0 && (u[i] == ' ' || u[i] == '\t'):
			why = "a URL has no spaces (expected [METHOD] URL [HTTP/VERSION])"
		case u[i] < 0x20 || u[i] == 0x7f:
			why = "a URL has no control characters"
		}
		return why != ""
	})
	if why != "" {
		return why
	}
	if !strings.ContainsAny(u, "/.:?") && !strings.Contains(u, "{{") {
		return "not a request line (expected [METHOD] URL [HTTP/VERSION])"
	}
	return ""
}
