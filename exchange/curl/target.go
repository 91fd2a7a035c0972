package curl

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// The URL of a pasted command, and the token fetched in it.

// addURL reads a URL, dropping a query parameter whose value fetched the
// token with $(keyhole token NAME).
func (p *parser) addURL(w shellword.Word) {
	text := w.Text
	var kept []shellword.Sub
	for k := len(w.Subs) - 1; k >= 0; k-- {
		s := w.Subs[k]
		name, config, ok := keyholeToken(s.Cmd)
		if !ok || !tokenParam(text, w.Subs[:k], s) {
			kept = append(kept, s)
			continue
		}
		from := strings.LastIndexAny(text[:s.Start], "?&")
		param := text[from+1 : s.Start-1]
		switch {
		case text[from] == '&':
			text = text[:from] + text[s.End:]
		case s.End < len(text) && text[s.End] == '&': // ?name=$(...)&rest
			text = text[:from+1] + text[s.End+1:]
		default:
			text = text[:from] + text[s.End:]
		}
		p.useToken(name, config)
		p.note("dropped the %s query parameter that ran $(%s): keyhole adds %s's token itself", clip(param), clip(s.Cmd), name)
	}
	// Notes name the substitutions kept by their command: their offsets
	// moved when a parameter before them went.
	p.urls = append(p.urls, p.text("URL", shellword.Word{Text: text, Vars: w.Vars}))
	for k := len(kept) - 1; k >= 0; k-- {
		p.note("URL: kept $(%s) as written: keyhole runs no command from a paste", clip(kept[k].Cmd))
	}
}

// tokenParam reports whether the substitution s is the whole value of a
// query parameter (?name=$(...) or &name=$(...), then & or # or the end),
// with no other substitution inside that parameter.
func tokenParam(text string, earlier []shellword.Sub, s shellword.Sub) bool {
	before := text[:s.Start]
	from := strings.LastIndexAny(before, "?&")
	eq := len(before) - 1
	switch {
	case from < 0 || eq <= from+1 || before[eq] != '=' || strings.ContainsAny(text[from+1:eq], "=#"):
		return false
	case s.End < len(text) && text[s.End] != '&' && text[s.End] != '#':
		return false
	case len(earlier) > 0 && earlier[len(earlier)-1].End > from:
		return false
	}
	return true
}

// target checks the URL: a path stays a path (the provider's base_url
// completes it); a host without a scheme gets http://, as curl assumes.
func (p *parser) target(u string) (string, error) {
	u = trimHTTPBlanks(u)
	switch {
	case u == "":
		return "", errors.New("the curl command's URL is empty")
	case strings.HasPrefix(u, "/"):
		if _, err := exchange.ResolveURL("http://h", u); err != nil {
			return "", err
		}
		return u, nil
	case !exchange.HasScheme(u):
		p.note("the URL has no scheme: curl assumes http://, and so does keyhole")
		u = "http://" + u
	}
	parsed, err := exchange.ResolveURL("", u)
	if err != nil {
		return "", err
	}
	if s := parsed.Scheme; s != "http" && s != "https" {
		return "", fmt.Errorf("%s URLs are not HTTP: keyhole sends http and https only", clip(s))
	}
	if parsed.Host == "" {
		return "", fmt.Errorf("the URL %q has no host", clip(secret.RedactURL(u)))
	}
	if !p.globoff && strings.ContainsAny(u, "[]{}") {
		p.note("curl expands {a,b} and [1-3] in a URL unless -g: keyhole sends the brackets as written")
	}
	return u, nil
}

// appendQuery adds q to the URL's query, before any fragment.
func appendQuery(u, q string) string {
	frag := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	switch {
	case !strings.Contains(u, "?"):
		u += "?" + q
	case strings.HasSuffix(u, "?") || strings.HasSuffix(u, "&"):
		u += q
	default:
		u += "&" + q
	}
	return u + frag
}

// keyholeToken reads a command substitution as
// `keyhole [--config F] [flags] token NAME [flags]`.
func keyholeToken(cmd string) (name, config string, ok bool) {
	if len(cmd) > 4096 || !strings.Contains(cmd, "keyhole") {
		return "", "", false
	}
	sp, err := shellword.Split(cmd)
	if err != nil || strings.TrimSpace(sp.Rest) != "" || len(sp.Words) < 3 || path.Base(sp.Words[0].Text) != "keyhole" {
		return "", "", false
	}
	w := sp.Words
	for i := 1; i < len(w); i++ {
		t := w[i].Text
		switch {
		case len(w[i].Subs) > 0:
			return "", "", false
		case t == "--config" && i+1 < len(w):
			i++
			config = w[i].Text
		case strings.HasPrefix(t, "--config="):
			config = strings.TrimPrefix(t, "--config=")
		case strings.HasPrefix(t, "-"): // --force, --no-browser
		case t == "token" && name == "" && i+1 < len(w) && !strings.HasPrefix(w[i+1].Text, "-"):
			i++
			name = w[i].Text
		default:
			return "", "", false // another command, or a second name
		}
	}
	return name, config, name != ""
}
