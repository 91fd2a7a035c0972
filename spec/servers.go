package spec

import (
	"net/url"
	"strings"

	"github.com/tidwall/gjson"
)

// serverURL is the first entry of a servers list as a URL to send to: its
// {variables} replaced by their defaults and, when it is relative and the
// spec came from a URL, resolved against that URL, as OpenAPI says. A
// relative one from a spec file stays relative: the caller joins it to
// the provider's base_url. "" when the list is empty.
func serverURL(servers gjson.Result, location string) string {
	first := servers.Get("0")
	raw := first.Get("url").String()
	if raw == "" {
		return ""
	}
	vars := first.Get("variables")
	var b strings.Builder
	for {
		open := strings.IndexByte(raw, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(raw[open:], '}')
		if end < 0 {
			break
		}
		b.WriteString(raw[:open])
		name := raw[open+1 : open+end]
		if def := vars.Get(gjson.Escape(name) + ".default"); def.Exists() {
			b.WriteString(def.String())
		} else {
			b.WriteString(raw[open : open+end+1])
		}
		raw = raw[open+end+1:]
	}
	b.WriteString(raw)
	return resolveAgainst(b.String(), location)
}

// resolveAgainst resolves a relative reference against the spec's URL;
// an absolute one, or any from a spec file, is returned as it is.
func resolveAgainst(ref, location string) string {
	if ref == "" || IsURL(ref) || !IsURL(location) {
		return ref
	}
	base, err := url.Parse(location)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(r).String()
}

// ServerURL is the document's first server, its variables at their
// defaults, relative resolved against the spec's URL; "" when it names
// none.
func (s *Spec) ServerURL() string {
	d := s.doc()
	if d == nil {
		return ""
	}
	return serverURL(d.root.Get("servers"), s.Location)
}

// OperationServer is op's own server (or its path's) as ServerURL gives
// the document's; "" when the operation has none of its own and goes to
// the provider's base_url.
func (s *Spec) OperationServer(op *Operation) string {
	if len(op.Servers) == 0 {
		return ""
	}
	d := s.doc()
	if d == nil {
		return op.Servers[0]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, err := d.resolve("#" + op.Pointer); err == nil {
		if u := serverURL(v.Get("servers"), s.Location); u != "" {
			return u
		}
	}
	if i := strings.LastIndexByte(op.Pointer, '/'); i > 0 {
		if v, err := d.resolve("#" + op.Pointer[:i]); err == nil {
			if v, err = d.deref("", v); err == nil {
				if u := serverURL(v.Get("servers"), s.Location); u != "" {
					return u
				}
			}
		}
	}
	return resolveAgainst(op.Servers[0], s.Location)
}
