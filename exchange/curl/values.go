package curl

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/httptoken"
	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// The values of a pasted command's options, as the request will carry them.

// text is the value of an option as the request will carry it, noting
// what the shell would have expanded and keyhole leaves as written.
func (p *parser) text(as string, w shellword.Word) string {
	for _, s := range w.Subs {
		p.note("%s: kept %s as written: keyhole runs no command from a paste", as, clip(w.Text[s.Start:s.End]))
	}
	for _, v := range w.Vars {
		p.note("%s: kept %s as written: keyhole expands no shell variable", as, clip(v))
	}
	if strings.Contains(w.Text, secret.Mask) && !p.masked {
		p.masked = true
		p.note("the command holds masked values (%s): put the real ones in before sending", secret.Mask)
	}
	return w.Text
}

// tokenSub reports whether w fetches a token with $(keyhole token NAME),
// recording NAME; such a value is dropped, as keyhole injects the token.
// what names the value in the note ("the Authorization header").
func (p *parser) tokenSub(what string, w shellword.Word) bool {
	for _, s := range w.Subs {
		if name, config, ok := keyholeToken(s.Cmd); ok {
			p.useToken(name, config)
			p.note("dropped %s, which ran $(%s): keyhole adds %s's token itself", what, clip(s.Cmd), name)
			return true
		}
	}
	return false
}

func (p *parser) useToken(name, config string) {
	switch {
	case p.info.Provider == "":
		p.info.Provider, p.info.ConfigPath = name, config
	case p.info.Provider != name:
		p.note("the command fetches tokens of %s and %s: keyhole uses %s", p.info.Provider, name, p.info.Provider)
	}
}

// header reads -H: "Name: value", "Name;" (sent empty) or "Name:"
// (removes the header, as curl does).
func (p *parser) header(as string, w shellword.Word) error {
	v := w.Text
	if strings.HasPrefix(v, "@") {
		return p.fileRefused(as, v)
	}
	// Errors name the header, never its value: it may be a credential,
	// and the screen may be shared.
	name, value, ok := strings.Cut(v, ":")
	remove := false
	if !ok {
		n, semi := strings.CutSuffix(trimHTTPBlanks(v), ";")
		if !semi {
			return fmt.Errorf("%s %q: want 'Name: value'", as, clip(strings.Fields(v + " ")[0]))
		}
		name, value = n, ""
	} else {
		remove = trimHTTPBlanks(value) == ""
	}
	name, value = trimHTTPBlanks(name), trimHTTPBlanks(value)
	if !httptoken.Valid(name) {
		return fmt.Errorf("%s: %q is not a header name", as, clip(name))
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("%s %s: the value holds a line break; a header is one line", as, name)
	}
	p.explicit[strings.ToLower(name)] = true
	if p.tokenSub("the "+name+" header", w) {
		return nil
	}
	p.text(as, w)
	p.headers = append(p.headers, parsedHeader{Field: exchange.Field{Name: name, Value: value}, remove: remove})
	return nil
}

// setDerived sets a header an option makes; a later option of the same
// header replaces it, as in curl.
func (p *parser) setDerived(name, value string) {
	key := strings.ToLower(name)
	if i, ok := p.derived[key]; ok {
		p.headers[i].Value = value
		return
	}
	p.derived[key] = len(p.headers)
	p.headers = append(p.headers, parsedHeader{Field: exchange.Field{Name: name, Value: value}, derived: true})
}

// addData reads one of the -d family; curl joins them with &, except
// --json pieces, which it joins with nothing.
func (p *parser) addData(kind, as string, w shellword.Word) error {
	v := p.text(as, w)
	switch kind {
	case "data", "data-ascii", "data-binary", "json":
		if strings.HasPrefix(v, "@") {
			return p.fileRefused(as, v)
		}
	case "data-urlencode":
		var err error
		if v, err = p.urlencode(as, v); err != nil {
			return err
		}
	}
	if kind == "json" {
		if !p.json {
			p.setDerived("Content-Type", "application/json")
			p.setDerived("Accept", "application/json")
		}
		p.json = true
	} else if p.hasData {
		p.data.WriteByte('&')
	}
	p.hasData = true
	p.data.WriteString(v)
	return nil
}

// urlencode reads --data-urlencode's forms: content, =content,
// name=content (the content encoded as curl does: space as +, all but
// letters, digits and -._~ as %XX), and name@file, which is refused.
func (p *parser) urlencode(as, v string) (string, error) {
	if name, content, ok := strings.Cut(v, "="); ok {
		if name == "" {
			return url.QueryEscape(content), nil
		}
		return name + "=" + url.QueryEscape(content), nil
	}
	if strings.Contains(v, "@") {
		return "", p.fileRefused(as, v)
	}
	return url.QueryEscape(v), nil
}

func (p *parser) fileRefused(as, v string) error {
	return fmt.Errorf("%s %s reads a file: keyhole does not read files named in a pasted command; put the content in the composer instead", as, clip(v))
}

// clip shortens text quoted in a message.
func clip(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
