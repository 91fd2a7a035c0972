package spec

import (
	"net/url"
	"strings"
)

// Route finds the operation a sent request was for: method and the
// request's path (a full URL, or a path with or without its query),
// matched against the spec's path templates, a {name} taking any one
// non-empty segment. A path under a server's base path ("/v1" of
// https://api.example.com/v1), the document's or an operation's own, is
// matched with that prefix taken off too.
// Of several matches the one with the most literal segments wins, so
// /users/me beats /users/{id}.
func (ix *Index) Route(method, target string) (*Operation, bool) {
	path := target
	if u, err := url.Parse(target); err == nil {
		path = u.EscapedPath()
	} else if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	method = strings.ToUpper(method)
	candidates := []string{path}
	seen := map[string]bool{}
	addBases := func(servers []string) {
		for _, s := range servers {
			u, err := url.Parse(s)
			if err != nil {
				continue
			}
			base := strings.TrimRight(u.EscapedPath(), "/")
			if base != "" && !seen[base] && strings.HasPrefix(path, base+"/") {
				seen[base] = true
				candidates = append(candidates, path[len(base):])
			}
		}
	}
	addBases(ix.Servers)
	for i := range ix.Operations {
		addBases(ix.Operations[i].Servers) // an operation's own server (GitHub's uploads)
	}
	var best *Operation
	bestScore := -1
	for _, p := range candidates {
		segs := splitPath(p)
		for i := range ix.Operations {
			op := &ix.Operations[i]
			if op.Method != method {
				continue
			}
			// A path key's own query (OpenAI's "/responses?beta=true")
			// is not part of the path matched.
			tmpl, _, _ := strings.Cut(op.Path, "?")
			if score, ok := matchTemplate(splitPath(tmpl), segs); ok && score > bestScore {
				best, bestScore = op, score
			}
		}
	}
	return best, best != nil
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

// matchTemplate matches a path's segments against a template's; the
// score counts the literal segments.
func matchTemplate(tmpl, segs []string) (int, bool) {
	if len(tmpl) != len(segs) {
		return 0, false
	}
	score := 0
	for i, t := range tmpl {
		s := segs[i]
		if seg, err := url.PathUnescape(s); err == nil {
			s = seg
		}
		switch {
		case t == s:
			score++
		case templated(t):
			if s == "" {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	return score, true
}

// templated reports whether a template segment holds a {name}; a
// segment such as "{owner}.json" is taken as any value.
func templated(seg string) bool {
	i := strings.IndexByte(seg, '{')
	return i >= 0 && strings.IndexByte(seg[i:], '}') > 0
}
