package curl

import (
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// ErrNotCurl is wrapped by Parse's error when the text is not a curl
// command at all, so a paste box can tell "not curl" from "bad curl".
var ErrNotCurl = errors.New("not a curl command")

// Info is what Parse learned besides the request.
type Info struct {
	// Provider is NAME when the command fetched its token with
	// $(keyhole token NAME); that substitution was dropped, since keyhole
	// injects the token itself. ConfigPath is the --config it named.
	Provider, ConfigPath string
	// Ignored lists the options read and left without effect, as written
	// but without their values (which may be secrets): -s, --compressed.
	Ignored []string
	// Unknown lists the options keyhole does not know, skipped alone.
	Unknown []string
	// Notes say what the import changed, dropped or could not carry.
	Notes []string
}

// Parse reads a curl command line, as people paste it, into a
// exchange.Request: method, full URL (or a path, when the command had one), the
// headers in order and the body, as curl would send them — data joined
// with & (--json pieces without), the form Content-Type curl adds to -d,
// -G's data in the query, -u as a Basic Authorization header, -A, -e, -b,
// -r, --oauth2-bearer as their headers. It reads the shell's quoting itself
// and expands nothing: no file is read (@file is refused, a paste must not
// make keyhole read files), no command is run, no variable is expanded.
// A header or query parameter whose value is $(keyhole ... token NAME) is
// dropped and NAME reported in Info.Provider. The command must start
// with curl.
func Parse(cmd string) (exchange.Request, *Info, error) {
	sp, err := shellword.Split(cmd)
	if err != nil {
		return exchange.Request{}, nil, fmt.Errorf("curl command: %w", err)
	}
	words := sp.Words
	if len(words) > 1 && words[0].Text == "$" { // a copied prompt
		words = words[1:]
	}
	if len(words) == 0 {
		return exchange.Request{}, nil, fmt.Errorf("%w: the text is empty", ErrNotCurl)
	}
	if name := words[0].Text; len(words[0].Subs) > 0 || (path.Base(name) != "curl" && name != "curl.exe") {
		return exchange.Request{}, nil, fmt.Errorf("%w: it starts with %q; paste a command that starts with curl", ErrNotCurl, clip(name))
	}
	p := &parser{info: &Info{}, derived: map[string]int{}, explicit: map[string]bool{}, noted: map[string]bool{}}
	// Only the start of what follows is quoted: it may be another command
	// with its own credentials.
	if rest := strings.Fields(sp.Rest); len(rest) > 0 {
		shown := clip(strings.Join(rest[:min(2, len(rest))], " "))
		if len(rest) > 2 {
			shown += " …"
		}
		p.note("ignored what follows the curl command: %s", shown)
	}
	p.info.Ignored = append(p.info.Ignored, sp.Redirects...)
	if sp.Lenient {
		p.note("read a backslash followed by spaces at the end of a line as a line continuation")
	}
	if err := p.args(words[1:]); err != nil {
		return exchange.Request{}, nil, err
	}
	return p.request()
}

// parser is Parse's state.
type parser struct {
	info     *Info
	urls     []string
	method   string
	head     bool
	get      bool
	globoff  bool
	hasData  bool
	json     bool
	data     strings.Builder
	query    []string
	headers  []parsedHeader
	derived  map[string]int  // lower-case name -> index of a header an option made
	explicit map[string]bool // lower-case names -H set or removed
	cookies  []string        // -b pairs, joined at the end
	masked   bool
	noted    map[string]bool
}

// parsedHeader is a header in the order the command gave it.
type parsedHeader struct {
	exchange.Field
	derived bool // made by an option (-A, -u, ...): -H of that name wins, as in curl
	remove  bool // -H 'Name:' removes the header
}

// note adds a note once: a command that uses $TOKEN ten times gets one.
func (p *parser) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !p.noted[n] {
		p.noted[n] = true
		p.info.Notes = append(p.info.Notes, n)
	}
}

func (p *parser) args(words []shellword.Word) error {
	for i := 0; i < len(words); i++ {
		w := words[i]
		t := w.Text
		switch {
		case strings.HasPrefix(t, "--") && len(t) > 2:
			spec, ok := longOption(t[2:])
			if !ok {
				if base, neg := strings.CutPrefix(t[2:], "no-"); neg {
					if s, ok := longOption(base); ok && !s.arg {
						p.info.Ignored = append(p.info.Ignored, t)
						continue
					}
				}
				p.info.Unknown = append(p.info.Unknown, clip(t))
				continue
			}
			var arg shellword.Word
			if spec.arg {
				if i+1 >= len(words) {
					return fmt.Errorf("%s needs a value", t)
				}
				i++
				arg = words[i]
			}
			if err := p.apply(spec, t, arg); err != nil {
				return err
			}
		case strings.HasPrefix(t, "-") && len(t) > 1 && t != "--":
			// A cluster of short options: -sSL, -XPOST, -HAccept:x.
			for k := 1; k < len(t); k++ {
				as := "-" + t[k:k+1]
				spec, ok := shortOption(t[k])
				if !ok {
					p.info.Unknown = append(p.info.Unknown, clip(as))
					continue
				}
				var arg shellword.Word
				if spec.arg {
					switch {
					case k+1 < len(t):
						arg = w.From(k + 1)
					case i+1 < len(words):
						i++
						arg = words[i]
					default:
						return fmt.Errorf("%s needs a value", as)
					}
					k = len(t)
				}
				if err := p.apply(spec, as, arg); err != nil {
					return err
				}
			}
		case t == "--":
			p.info.Unknown = append(p.info.Unknown, t)
		default:
			p.addURL(w)
		}
	}
	return nil
}

// apply carries out one option; as is how the command wrote it.
func (p *parser) apply(spec spec, as string, arg shellword.Word) error {
	switch spec.name {
	case "url":
		p.addURL(arg)
	case "request":
		p.method = p.text(as, arg)
	case "header":
		return p.header(as, arg)
	case "data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json":
		return p.addData(spec.name, as, arg)
	case "url-query":
		v := p.text(as, arg)
		if plain, ok := strings.CutPrefix(v, "+"); ok {
			p.query = append(p.query, plain)
			return nil
		}
		v, err := p.urlencode(as, v)
		p.query = append(p.query, v)
		return err
	case "get":
		p.get = true
	case "head":
		p.head = true
	case "globoff":
		p.globoff = true
		p.info.Ignored = append(p.info.Ignored, as)
	case "user":
		if p.tokenSub(as, arg) {
			return nil
		}
		v := p.text(as, arg)
		if !strings.Contains(v, ":") {
			p.note("%s without a password: curl would ask for one; sent with an empty password", as)
			v += ":"
		}
		p.setDerived("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(v)))
	case "oauth2-bearer":
		if !p.tokenSub(as, arg) {
			p.setDerived("Authorization", "Bearer "+p.text(as, arg))
		}
	case "user-agent":
		// An empty -A removes curl's User-Agent; keyhole sends its client's.
		if v := p.text(as, arg); v != "" {
			p.setDerived("User-Agent", v)
		}
	case "referer":
		if v := strings.TrimSuffix(p.text(as, arg), ";auto"); v != "" {
			p.setDerived("Referer", v)
		}
	case "range":
		p.setDerived("Range", "bytes="+p.text(as, arg))
	case "cookie":
		v := p.text(as, arg)
		if !strings.Contains(v, "=") {
			p.info.Ignored = append(p.info.Ignored, as)
			p.note("%s %s names a cookie file: not read", as, clip(v))
			return nil
		}
		if len(p.cookies) == 0 {
			p.setDerived("Cookie", "") // holds the place; request() fills it
		}
		p.cookies = append(p.cookies, v)
	case "form", "form-string":
		return fmt.Errorf("%s builds a multipart form, which keyhole does not send: put the body in the composer", as)
	case "upload-file", "config":
		return p.fileRefused(as, arg.Text)
	case "next":
		return fmt.Errorf("%s starts another request: keyhole imports one at a time", as)
	default:
		p.info.Ignored = append(p.info.Ignored, as)
		if n := ignoredNote(spec.name); n != "" {
			p.note("%s", n)
		}
	}
	return nil
}

// request puts what was read together.
func (p *parser) request() (exchange.Request, *Info, error) {
	switch len(p.urls) {
	case 0:
		return exchange.Request{}, nil, errors.New("the curl command has no URL")
	case 1:
	default:
		return exchange.Request{}, nil, fmt.Errorf("the curl command has %d URLs (%s, ...): keyhole imports one request", len(p.urls), clip(secret.RedactURL(p.urls[0])))
	}
	target, err := p.target(p.urls[0])
	if err != nil {
		return exchange.Request{}, nil, err
	}
	body := ""
	if p.hasData {
		if p.get {
			target = appendQuery(target, p.data.String())
		} else {
			body = p.data.String()
			if !p.json {
				p.setDerived("Content-Type", "application/x-www-form-urlencoded")
			}
		}
	}
	for _, q := range p.query {
		target = appendQuery(target, q)
	}
	method := "GET"
	switch {
	case p.method != "":
		if method, err = checkMethod(p.method); err != nil {
			return exchange.Request{}, nil, fmt.Errorf("-X: %w", err)
		}
	case p.head:
		method = "HEAD"
	case p.hasData && !p.get:
		method = "POST"
	}
	if i, ok := p.derived["cookie"]; ok && len(p.cookies) > 0 {
		p.headers[i].Value = strings.Join(p.cookies, "; ")
	}
	r := exchange.Request{Method: method, Target: target, Body: body}
	for _, h := range p.headers {
		if h.remove || h.derived && p.explicit[strings.ToLower(h.Name)] {
			continue
		}
		r.Header = append(r.Header, h.Field)
	}
	return r, p.info, nil
}
