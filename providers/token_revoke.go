package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// ErrNoEndpoint means the provider has no revocation or introspection
// endpoint, in its config or its discovery metadata.
var ErrNoEndpoint = errors.New("the provider has no such endpoint")

// Revoke revokes the held tokens (RFC 7009): the refresh token first, as
// revoking it usually ends the grant, then the access token. The session
// and the store forget them either way: a token the person asked to revoke
// must not be offered again.
func (s *Session) Revoke(ctx context.Context) error {
	if err := s.loadSecret(ctx); err != nil {
		return err
	}
	ep, err := s.endpoints(ctx)
	if err != nil {
		return err
	}
	if ep.revoke == "" {
		return fmt.Errorf("%s: revoke: %w (set revoke_url)", s.p.Name, ErrNoEndpoint)
	}
	s.mu.Lock()
	tok := copyToken(s.tok)
	s.tok = nil
	s.mu.Unlock()
	if s.store != nil {
		if err := s.store.Delete(s.key); err != nil {
			return fmt.Errorf("%s: token cache: %w", s.p.Name, err)
		}
	}
	if tok == nil {
		return fmt.Errorf("%s: no token to revoke", s.p.Name)
	}
	if !tok.Refresh.IsZero() {
		if _, err := s.postEndpoint(ctx, ep.revoke, url.Values{"token": {tok.Refresh.Reveal()}, "token_type_hint": {"refresh_token"}}); err != nil {
			return err
		}
	}
	_, err = s.postEndpoint(ctx, ep.revoke, url.Values{"token": {tok.Access.Reveal()}, "token_type_hint": {"access_token"}})
	return err
}

// Introspect asks the provider about the held access token (RFC 7662) and
// returns its answer as it came: active, scope, exp, sub, client_id...
func (s *Session) Introspect(ctx context.Context) (map[string]any, error) {
	if err := s.loadSecret(ctx); err != nil {
		return nil, err
	}
	ep, err := s.endpoints(ctx)
	if err != nil {
		return nil, err
	}
	if ep.introspect == "" {
		return nil, fmt.Errorf("%s: introspect: %w (set introspect_url)", s.p.Name, ErrNoEndpoint)
	}
	tok := s.Cached()
	if tok == nil {
		return nil, fmt.Errorf("%s: no token to introspect", s.p.Name)
	}
	body, err := s.postEndpoint(ctx, ep.introspect, url.Values{"token": {tok.Access.Reveal()}, "token_type_hint": {"access_token"}})
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, &TokenError{Provider: s.p.Name, Description: "introspection answer is not a JSON object", Body: snippet(body, s.Redact)}
	}
	return out, nil
}

// postEndpoint posts form to a revocation or introspection endpoint with
// the provider's client authentication, and returns the 2xx body.
func (s *Session) postEndpoint(ctx context.Context, endpoint string, form url.Values) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.p.Name, err)
	}
	req, err := s.postForm(ctx, u, form)
	if err != nil {
		return nil, err
	}
	status, data, err := s.roundTrip(req, "request to "+u.Path)
	if err != nil {
		return nil, err
	}
	if status < 200 || status > 299 {
		return nil, s.errorAnswer(status, data)
	}
	return data, nil
}
