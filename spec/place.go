package spec

import (
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/origin"
)

// Place is where an operation's filled path goes for a provider.
type Place struct {
	// Prefix goes before the filled path: "" (the path is joined to
	// base_url as it is), a base path on base_url ("/v1"), or an absolute
	// URL, the operation's own server.
	Prefix string
	// Foreign is Prefix's origin when it is not base_url's: the token
	// goes there only when the person says so.
	Foreign string
}

// Place says where op is sent for a provider whose base_url is base.
// base_url is the truth for the provider's own origin, whatever the spec
// says (a spec often lists production while base_url points at staging, a
// mock or an Enterprise host):
//   - an operation's own server (or its path's) on base_url's origin is
//     taken whole, its path in place of base_url's; on another origin it
//     is that origin's (Foreign), as GitHub's uploads are. Of several,
//     the first on base_url's origin is taken, for it gets the token
//     (a spec listing production and a sandbox works against either);
//     when none is, the first;
//   - the document's servers only contribute a base path: that of the
//     first one on base_url's origin, less base_url's own path
//     (servers https://api.example.com/v1 with base_url
//     https://api.example.com sends /items to /v1/items; with base_url
//     https://api.example.com/v1, nothing is added). A document server on
//     another origin, or one whose path base_url's path does not begin,
//     adds nothing.
//
// A relative server is taken on base_url's origin.
func (s *Spec) Place(op *Operation, base string) Place {
	bu, err := url.Parse(base)
	if err != nil || bu.Host == "" {
		bu = nil
	}
	if server := pickServer(s.OperationServers(op), base, bu); server != "" {
		su, err := url.Parse(server)
		if err != nil || su.Host == "" || !IsURL(server) {
			return Place{}
		}
		su.RawQuery, su.Fragment, su.User = "", "", nil
		p := Place{Prefix: strings.TrimSuffix(su.String(), "/")}
		if bu == nil || !origin.Same(bu, su) {
			p.Foreign = su.Scheme + "://" + su.Host
		}
		return p
	}
	if bu == nil {
		return Place{}
	}
	for _, server := range s.documentServers() {
		su, err := url.Parse(ResolveAgainst(server, base))
		if err != nil || su.Host == "" || !origin.Same(bu, su) {
			continue
		}
		basePath := strings.TrimSuffix(bu.EscapedPath(), "/")
		serverPath := strings.TrimSuffix(su.EscapedPath(), "/")
		if rest, ok := strings.CutPrefix(serverPath, basePath); ok && (rest == "" || rest[0] == '/') {
			return Place{Prefix: rest}
		}
		return Place{}
	}
	return Place{}
}

// pickServer is the server an operation goes to among its own, each
// resolved against base: the first on base's origin (bu, nil when base is
// not a URL), else the first. "" when there are none.
func pickServer(servers []string, base string, bu *url.URL) string {
	if len(servers) == 0 {
		return ""
	}
	if bu != nil {
		for _, server := range servers {
			server = ResolveAgainst(server, base)
			if su, err := url.Parse(server); err == nil && su.Host != "" && origin.Same(bu, su) {
				return server
			}
		}
	}
	return ResolveAgainst(servers[0], base)
}

// documentServers are the document's servers as ServerURL gives its
// first: variables at their defaults, relative ones resolved against the
// spec's URL.
func (s *Spec) documentServers() []string {
	if len(s.Index.Servers) == 0 {
		return nil
	}
	// The index has the URLs as written: enough unless one has a
	// {variable}, whose default only the document has. Reading the
	// document costs a pass over all of it (GitHub's dereferenced 73 MB:
	// half a second), which call @id need not pay for a plain URL.
	plain := true
	for _, u := range s.Index.Servers {
		if strings.ContainsRune(u, '{') {
			plain = false
		}
	}
	var d *doc
	if !plain {
		d = s.doc()
	}
	if d == nil {
		var out []string
		for _, u := range s.Index.Servers {
			out = append(out, ResolveAgainst(u, s.Location))
		}
		return out
	}
	var out []string
	for _, v := range d.root.Get("servers").Array() {
		if u := serverEntryURL(v, s.Location); u != "" {
			out = append(out, u)
		}
	}
	return out
}
