package providers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
)

// endpoints are the URLs a provider's grants use.
type endpoints struct {
	issuer, auth, token, device, revoke, introspect string
	// par is the pushed authorization request endpoint (RFC 9126).
	par string
	// issRequired says the authorization endpoint's server always sends
	// iss in its redirect (RFC 9207): one without it is not its answer.
	issRequired bool
}

// metadata is the part of an OIDC discovery document / RFC 8414
// authorization server metadata that keyhole uses.
type metadata struct {
	Issuer                      string `json:"issuer"`
	AuthorizationEndpoint       string `json:"authorization_endpoint"`
	TokenEndpoint               string `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
	RevocationEndpoint          string `json:"revocation_endpoint"`
	IntrospectionEndpoint       string `json:"introspection_endpoint"`
	PAREndpoint                 string `json:"pushed_authorization_request_endpoint"`
	// IssParameterSupported is RFC 9207's promise that every authorization
	// response carries iss.
	IssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
	// MTLSEndpointAliases are the endpoints a client authenticating with
	// its certificate uses instead (RFC 8705 §5).
	MTLSEndpointAliases *mtlsAliases `json:"mtls_endpoint_aliases"`
}

// endpoints returns the provider's URLs: the explicit ones from the config,
// the rest from discovery at issuer, fetched once per session and only
// when something is missing.
func (s *Session) endpoints(ctx context.Context) (endpoints, error) {
	p := s.p
	ep := endpoints{issuer: p.Issuer, auth: p.AuthURL, token: p.TokenURL, device: p.DeviceURL, revoke: p.RevokeURL, introspect: p.IntrospectURL, par: p.PARURL}
	if p.Issuer == "" || (ep.token != "" && ep.auth != "" && ep.device != "" && ep.revoke != "" && ep.introspect != "" && (ep.par != "" || !p.PAR)) {
		return ep, nil
	}
	s.mu.Lock()
	md, failed := s.discovered, s.discoveryFailed
	s.mu.Unlock()
	if md == nil {
		if failed && ep.token != "" {
			return ep, nil // tried once this session; don't wait on it again
		}
		var err error
		if md, err = s.discover(ctx); err != nil {
			if ep.token != "" {
				// Discovery would only have filled optional endpoints:
				// go on, and don't pay its timeout on every request.
				s.mu.Lock()
				s.discoveryFailed = true
				s.mu.Unlock()
				return ep, nil
			}
			return ep, err
		}
		s.mu.Lock()
		s.discovered = md
		s.notes = discoveryNotes(p, md)
		s.mu.Unlock()
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	md = md.forClient(p)
	fill(&ep.auth, md.AuthorizationEndpoint)
	fill(&ep.token, md.TokenEndpoint)
	fill(&ep.device, md.DeviceAuthorizationEndpoint)
	fill(&ep.revoke, md.RevocationEndpoint)
	fill(&ep.introspect, md.IntrospectionEndpoint)
	fill(&ep.par, md.PAREndpoint)
	// The promise is the metadata's server's: it holds for an auth_url of
	// the config's own only when that is the same endpoint.
	ep.issRequired = md.IssParameterSupported && ep.auth == md.AuthorizationEndpoint
	return ep, nil
}

// Discovered is what the person should know about the endpoints discovery
// gave this session; empty until discovery has run.
func (s *Session) Discovered() DiscoveryNotes {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes
}

// discover reads the issuer's metadata: OpenID Connect Discovery first,
// then RFC 8414's well-known path.
func (s *Session) discover(ctx context.Context) (*metadata, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	base := strings.TrimSuffix(s.p.Issuer, "/")
	var lastErr error
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
		md, err := s.fetchMetadata(ctx, base+path)
		if err == nil {
			if md.Issuer != "" && strings.TrimSuffix(md.Issuer, "/") != base {
				// RFC 8414 §3.3: the issuer in the document must be the
				// one asked for, or the metadata may be an impostor's.
				return nil, &TokenError{Provider: s.p.Name, Description: fmt.Sprintf("discovery at %s names issuer %s", base, md.Issuer), Hint: "set issuer to exactly what the provider calls itself"}
			}
			return md, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func (s *Session) fetchMetadata(ctx context.Context, u string) (*metadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: issuer: %w", s.p.Name, err)
	}
	req.Header.Set("Accept", "application/json")
	status, body, err := s.roundTrip(req, "discovery")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		// Source names what answered: without it the error would say the
		// token endpoint did, which was never asked.
		return nil, &TokenError{Provider: s.p.Name, Source: "discovery at " + u, Status: status, Description: "no metadata there", Body: snippet(body, s.Redact), Hint: "check issuer, or set token_url (and auth_url, device_url) explicitly"}
	}
	var md metadata
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, &TokenError{Provider: s.p.Name, Source: "discovery at " + u, Status: status, Description: "not JSON metadata", Hint: "check issuer"}
	}
	return &md, nil
}

// mtlsAliases are RFC 8705 §5's mtls_endpoint_aliases.
type mtlsAliases struct {
	TokenEndpoint               string `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
	RevocationEndpoint          string `json:"revocation_endpoint"`
	IntrospectionEndpoint       string `json:"introspection_endpoint"`
}

// forClient is md as p's client sees it: with the mTLS endpoint aliases
// in place of the endpoints they stand for, when the client's certificate
// is its credential.
func (md *metadata) forClient(p *config.Provider) *metadata {
	a := md.MTLSEndpointAliases
	if a == nil || !p.PresentsCertificate() {
		return md
	}
	out := *md
	for _, f := range []struct {
		dst   *string
		alias string
	}{
		{&out.TokenEndpoint, a.TokenEndpoint},
		{&out.DeviceAuthorizationEndpoint, a.DeviceAuthorizationEndpoint},
		{&out.RevocationEndpoint, a.RevocationEndpoint},
		{&out.IntrospectionEndpoint, a.IntrospectionEndpoint},
	} {
		if f.alias != "" {
			*f.dst = f.alias
		}
	}
	return &out
}
