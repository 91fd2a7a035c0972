package spec

import (
	"strings"

	"github.com/tidwall/gjson"
)

// SecurityScheme is one entry of components.securitySchemes, as written:
// what keyhole init --from-openapi turns into a provider's token settings.
type SecurityScheme struct {
	Name        string // its key under securitySchemes
	Type        string // oauth2, openIdConnect, http, apiKey, mutualTLS
	Description string
	// Scheme is an http scheme's: bearer, basic, ...
	Scheme string
	// In and Param are an apiKey's: where it goes (header, query,
	// cookie) and under which name.
	In, Param string
	// OpenIDConnectURL is an openIdConnect scheme's discovery document.
	OpenIDConnectURL string
	// Flows are an oauth2 scheme's, in the order written.
	Flows []Flow
}

// Flow is one OAuth 2.0 flow of a scheme. Its URLs are resolved against
// the spec's URL when relative and the spec came from one.
type Flow struct {
	// Kind is the flow's key: clientCredentials, authorizationCode,
	// implicit, password, or deviceAuthorization (OpenAPI 3.2; written
	// x-deviceAuthorization before it).
	Kind                                                  string
	AuthorizationURL, TokenURL, RefreshURL, DeviceAuthURL string
	// Scopes are the flow's scope names, in the order written.
	Scopes []string
}

// SecuritySchemes lists the document's security schemes in the order
// written; a $ref to one is followed. nil when it declares none or the
// document cannot be read.
func (s *Spec) SecuritySchemes() []SecurityScheme {
	d := s.doc()
	if d == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SecurityScheme
	d.root.Get("components.securitySchemes").ForEach(func(k, v gjson.Result) bool {
		v, err := d.deref("", v)
		if err != nil {
			return true
		}
		sc := SecurityScheme{
			Name:             k.String(),
			Type:             v.Get("type").String(),
			Description:      v.Get("description").String(),
			Scheme:           strings.ToLower(v.Get("scheme").String()),
			In:               v.Get("in").String(),
			Param:            v.Get("name").String(),
			OpenIDConnectURL: ResolveAgainst(v.Get("openIdConnectUrl").String(), s.Location),
		}
		v.Get("flows").ForEach(func(kind, f gjson.Result) bool {
			fl := Flow{
				Kind:             kind.String(),
				AuthorizationURL: ResolveAgainst(f.Get("authorizationUrl").String(), s.Location),
				TokenURL:         ResolveAgainst(f.Get("tokenUrl").String(), s.Location),
				RefreshURL:       ResolveAgainst(f.Get("refreshUrl").String(), s.Location),
				DeviceAuthURL:    ResolveAgainst(f.Get("deviceAuthorizationUrl").String(), s.Location),
			}
			f.Get("scopes").ForEach(func(name, _ gjson.Result) bool {
				fl.Scopes = append(fl.Scopes, name.String())
				return true
			})
			sc.Flows = append(sc.Flows, fl)
			return true
		})
		out = append(out, sc)
		return true
	})
	return out
}
