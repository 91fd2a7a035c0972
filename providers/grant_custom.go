package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// customLogin runs the provider's own login request (grant = "custom").
func (s *Session) customLogin(ctx context.Context) (*Token, error) {
	if s.p.Login == nil {
		return nil, fmt.Errorf("%s: grant custom needs a login table", s.p.Name)
	}
	return s.customCall(ctx, "login", s.p.Login, secret.String{})
}

// customRefresh runs the provider's own refresh request, or the login
// again when it has none.
func (s *Session) customRefresh(ctx context.Context, rt secret.String) (*Token, error) {
	if s.p.Refresh == nil {
		return s.customLogin(ctx)
	}
	tok, err := s.customCall(ctx, "refresh", s.p.Refresh, rt)
	return refreshed(tok, err, rt)
}

func (s *Session) customCall(ctx context.Context, what string, cr *config.CustomRequest, rt secret.String) (*Token, error) {
	if err := s.paceToken(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	fill := s.templater(rt)
	// Templates are filled only now, so this is where a templated URL
	// is checked (config.Parse and config.Provider.Resolve check the others).
	target := fill(cr.URL)
	if err := config.CheckURL(target); err != nil {
		return nil, fmt.Errorf("%s: %s.url: %s", s.p.Name, what, s.Redact(err.Error()))
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("%s: %s.url: %w", s.p.Name, what, err)
	}
	if len(cr.Query) > 0 {
		q := u.Query()
		for k, v := range cr.Query {
			q.Set(k, fill(v))
		}
		u.RawQuery = q.Encode()
	}
	var body io.Reader = http.NoBody
	header := http.Header{"Accept": {"application/json"}}
	switch {
	case cr.JSON != nil:
		b, err := json.Marshal(config.MapStrings("", cr.JSON, func(_, v string) string { return fill(v) }))
		if err != nil {
			return nil, fmt.Errorf("%s: %s.json: %w", s.p.Name, what, err)
		}
		body = bytes.NewReader(b)
		header.Set("Content-Type", "application/json")
	case cr.Form != nil:
		form := url.Values{}
		for k, v := range cr.Form {
			form.Set(k, fill(v))
		}
		body = strings.NewReader(form.Encode())
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range cr.Headers {
		header.Set(k, fill(v))
	}
	method := strings.ToUpper(cr.Method)
	if method == "" {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: %s request: %w", s.p.Name, what, err)
	}
	req.Header = header
	return s.doToken(req)
}

// templater fills {{name}} placeholders: the provider's credentials, the
// refresh token in hand, and its vars. An unknown name stays as written, so
// the mistake shows in the request.
func (s *Session) templater(rt secret.String) func(string) string {
	values := map[string]string{
		"client_id":     s.p.ClientID,
		"client_secret": s.clientSecret().Reveal(),
		"username":      s.p.Username,
		"password":      s.p.Password.Reveal(),
		"refresh_token": rt.Reveal(),
	}
	if tok := s.Cached(); tok != nil {
		values["access_token"] = tok.Access.Reveal()
	}
	for k, v := range s.p.Vars {
		if _, builtin := values[k]; !builtin {
			values[k] = v
		}
	}
	return func(text string) string { return config.FillTemplate(text, values) }
}
