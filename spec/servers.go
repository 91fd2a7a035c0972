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
	return serverEntryURL(servers.Get("0"), location)
}

// serverEntryURL is one Server Object's URL as serverURL gives the
// first's.
func serverEntryURL(first gjson.Result, location string) string {
	raw := first.Get("url").String()
	if raw == "" {
		return ""
	}
	vars := first.Get("variables")
	// A variable without a default stays as written.
	u, _ := expand(raw, func(s string) string { return s }, func(name string) (string, error) {
		if def := vars.Get(gjson.Escape(name) + ".default"); def.Exists() {
			return def.String(), nil
		}
		return "{" + name + "}", nil
	})
	return ResolveAgainst(u, location)
}

// PathNames are the {name}s of a path template, in order.
func PathNames(path string) []string {
	var names []string
	_, _ = expand(path, func(string) string { return "" }, func(name string) (string, error) {
		names = append(names, name)
		return "", nil
	})
	return names
}

// expand writes a template (a path, a server URL): each {name} replaced by
// what fill gives for it, the text around through lit.
func expand(template string, lit func(string) string, fill func(name string) (string, error)) (string, error) {
	var b strings.Builder
	for {
		open := strings.IndexByte(template, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(template[open:], '}')
		if end < 0 {
			break
		}
		v, err := fill(template[open+1 : open+end])
		if err != nil {
			return "", err
		}
		b.WriteString(lit(template[:open]))
		b.WriteString(v)
		template = template[open+end+1:]
	}
	b.WriteString(lit(template))
	return b.String(), nil
}

// ResolveAgainst resolves a relative URL reference against base, an
// http(s) URL: the spec's own URL for its servers, a server's URL for its
// security schemes' endpoints, as OpenAPI says. An absolute reference, or
// any when base is not an http(s) URL (a spec file), is returned as it is.
func ResolveAgainst(ref, base string) string {
	if ref == "" || IsURL(ref) || !IsURL(base) {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
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
// the document's: the first of them; "" when the operation has none of
// its own and goes to the provider's base_url.
func (s *Spec) OperationServer(op *Operation) string {
	if all := s.OperationServers(op); len(all) > 0 {
		return all[0]
	}
	return ""
}

// OperationServers are all of op's own servers (or, when it has none, its
// path's), in the order written, as ServerURL gives the document's
// first; nil when the operation goes to the provider's base_url.
func (s *Spec) OperationServers(op *Operation) []string {
	if len(op.Servers) == 0 {
		return nil
	}
	d := s.doc()
	if d == nil {
		out := make([]string, 0, len(op.Servers))
		for _, u := range op.Servers {
			out = append(out, ResolveAgainst(u, s.Location))
		}
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, err := d.resolve("#" + op.Pointer); err == nil {
		if out := serverList(v.Get("servers"), s.Location); len(out) > 0 {
			return out
		}
	}
	if i := strings.LastIndexByte(op.Pointer, '/'); i > 0 {
		if v, err := d.resolve("#" + op.Pointer[:i]); err == nil {
			if v, err = d.deref("", v); err == nil {
				if out := serverList(v.Get("servers"), s.Location); len(out) > 0 {
					return out
				}
			}
		}
	}
	out := make([]string, 0, len(op.Servers))
	for _, u := range op.Servers {
		out = append(out, ResolveAgainst(u, s.Location))
	}
	return out
}

// serverList is every entry of a servers list as serverEntryURL gives
// one, those without a URL left out.
func serverList(servers gjson.Result, location string) []string {
	var out []string
	for _, v := range servers.Array() {
		if u := serverEntryURL(v, location); u != "" {
			out = append(out, u)
		}
	}
	return out
}
