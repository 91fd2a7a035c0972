package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/par"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// ErrNeedsLogin means only the person can get a new token: the grant is
// interactive (authorization_code, device_code) and there is no refresh
// token, or the refresh token was refused. Start Authorize.
var ErrNeedsLogin = errors.New("needs login: only an interactive grant can get a new token (press a, or run keyhole token)")

// obtain runs the provider's grant from scratch, without the person.
func (s *Session) obtain(ctx context.Context, ep endpoints) (*Token, error) {
	if ep.token == "" && s.p.Grant.UsesTokenEndpoint() {
		return nil, fmt.Errorf("%s: no token_url, and none from discovery", s.p.Name)
	}
	switch s.p.Grant {
	case config.GrantClientCredentials:
		return s.clientCredentials(ctx, ep)
	case config.GrantPassword:
		return s.password(ctx, ep)
	case config.GrantRefreshToken:
		return s.refreshWith(ctx, ep, s.p.RefreshToken)
	case config.GrantStatic:
		return s.static(), nil
	case config.GrantCustom:
		return s.customLogin(ctx)
	case config.GrantJWTBearer:
		return s.jwtBearer(ctx, ep)
	case config.GrantCommand:
		return s.commandToken(ctx)
	case config.GrantTokenExchange:
		return s.tokenExchange(ctx, ep)
	}
	return nil, ErrNeedsLogin
}

// extraParams are the token request fields beyond the grant's own.
func (s *Session) extraParams() url.Values {
	v := url.Values{}
	for k, val := range s.p.TokenParams {
		v.Set(k, val)
	}
	if s.p.Audience != "" {
		v.Set("audience", s.p.Audience)
	}
	if s.p.Resource != "" {
		v.Set("resource", s.p.Resource)
	}
	if details, _ := par.EncodeDetails(s.p.AuthorizationDetails); details != "" {
		v.Set("authorization_details", details)
	}
	return v
}

func (s *Session) clientCredentials(ctx context.Context, ep endpoints) (*Token, error) {
	if !usesOAuth2(s.p) {
		form := s.extraParams()
		form.Set("grant_type", "client_credentials")
		if len(s.p.Scopes) > 0 {
			form.Set("scope", strings.Join(s.p.Scopes, " "))
		}
		return s.postToken(ctx, ep.token, form)
	}
	cc := clientcredentials.Config{
		ClientID:       s.p.ClientID,
		ClientSecret:   s.oauth2Config(ep).ClientSecret,
		TokenURL:       ep.token,
		Scopes:         s.p.Scopes,
		EndpointParams: s.extraParams(),
		AuthStyle:      authStyle(s.p),
	}
	return s.viaOAuth2(ctx, func(ctx context.Context) (*oauth2.Token, error) { return cc.Token(ctx) })
}

func (s *Session) password(ctx context.Context, ep endpoints) (*Token, error) {
	if !usesOAuth2(s.p) || len(s.extraParams()) > 0 {
		form := s.extraParams()
		form.Set("grant_type", "password")
		form.Set("username", s.p.Username)
		form.Set("password", s.p.Password.Reveal())
		if len(s.p.Scopes) > 0 {
			form.Set("scope", strings.Join(s.p.Scopes, " "))
		}
		return s.postToken(ctx, ep.token, form)
	}
	cfg := s.oauth2Config(ep)
	return s.viaOAuth2(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		return cfg.PasswordCredentialsToken(ctx, s.p.Username, s.p.Password.Reveal())
	})
}

// refreshWith runs the refresh_token grant (RFC 6749 §6).
func (s *Session) refreshWith(ctx context.Context, ep endpoints, rt secret.String) (*Token, error) {
	if rt.IsZero() {
		return nil, ErrNeedsLogin
	}
	if s.p.Grant == config.GrantCustom {
		return s.customRefresh(ctx, rt)
	}
	var tok *Token
	var err error
	if !usesOAuth2(s.p) || len(s.extraParams()) > 0 {
		form := s.extraParams()
		form.Set("grant_type", "refresh_token")
		form.Set("refresh_token", rt.Reveal())
		tok, err = s.postToken(ctx, ep.token, form)
	} else {
		cfg := s.oauth2Config(ep)
		tok, err = s.viaOAuth2(ctx, func(ctx context.Context) (*oauth2.Token, error) {
			// An expired token with only a refresh token makes x/oauth2
			// run the refresh grant and nothing else.
			return cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt.Reveal()}).Token()
		})
	}
	return refreshed(tok, err, rt)
}

// refreshed is the outcome of a refresh with rt. When the server sends no
// new refresh token, the one used stays valid and is kept.
func refreshed(tok *Token, err error, rt secret.String) (*Token, error) {
	if err != nil {
		return nil, err
	}
	if tok.Refresh.IsZero() {
		tok.Refresh = rt
	}
	tok.Source = SourceRefreshed
	return tok, nil
}

// static is the token pasted into the config.
func (s *Session) static() *Token {
	tok := &Token{Access: s.p.Token, Obtained: s.now(), Source: SourceFetched}
	tok.Claims, _ = jwt.Parse(tok.Access.Reveal())
	tok.Expiry, tok.ExpirySource = expiry(tok.Obtained, nil, nil, tok.Claims, s.p.TokenLifetime.Std())
	return tok
}

// viaOAuth2 runs an x/oauth2 call under the provider's timeout and turns
// its answer or failure into ours. A successful answer x/oauth2 cannot
// parse is read by keyhole instead (answerCapture): a token the server
// issued is never dropped over the form of a field.
func (s *Session) viaOAuth2(ctx context.Context, get func(context.Context) (*oauth2.Token, error)) (*Token, error) {
	if err := s.paceToken(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.tokenRequest(ctx), s.timeout())
	defer cancel()
	obtained := s.now()
	var answer answerCapture
	ot, err := get(context.WithValue(ctx, oauth2.HTTPClient, s.capturing(&answer)))
	if err != nil {
		tok, ok := s.rescue(err, &answer, obtained)
		if !ok {
			if answer.tooBig() {
				return nil, tooBigAnswer(s.p.Name, answer.status)
			}
			return nil, s.tokenError(ctx, err)
		}
		tok.Source = SourceFetched
		return tok, nil
	}
	tok := s.fromOAuth2(ot, obtained)
	tok.Source = SourceFetched
	return tok, nil
}
