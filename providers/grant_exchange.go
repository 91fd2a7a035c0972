package providers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokenexchange"
)

// tokenExchange runs RFC 8693's grant: the subject token (another
// provider's, or the config's subject_token) and, with actor_provider, an
// actor token are posted to this provider's token endpoint with this
// client's authentication. Sending another provider's token there is the
// one other exception to the origin rule; ExchangeNote says so wherever
// the provider is shown.
func (s *Session) tokenExchange(ctx context.Context, ep endpoints) (*Token, error) {
	subjectType, _ := tokenexchange.TokenType(s.p.SubjectTokenType)
	actorType, _ := tokenexchange.TokenType(s.p.ActorTokenType)
	requested, _ := tokenexchange.TokenType(s.p.RequestedTokenType)
	req := tokenexchange.Request{Subject: s.p.SubjectToken, SubjectType: subjectType, ActorType: actorType, Requested: requested}
	if s.p.SubjectProvider != "" {
		var err error
		if req.Subject, err = s.otherToken(ctx, "subject_provider", s.p.SubjectProvider, s.p.SubjectTokenType); err != nil {
			return nil, err
		}
	}
	if s.p.ActorProvider != "" {
		var err error
		if req.Actor, err = s.otherToken(ctx, "actor_provider", s.p.ActorProvider, s.p.ActorTokenType); err != nil {
			return nil, err
		}
	}
	form := s.extraParams()
	for k, v := range req.Form() {
		form[k] = v
	}
	if len(s.p.Scopes) > 0 {
		form.Set("scope", strings.Join(s.p.Scopes, " "))
	}
	tok, err := s.postToken(ctx, ep.token, form)
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) && te.Code == "invalid_target" {
			te.Hint = "the server will not issue a token for that audience or resource: check audience and resource"
		}
		return nil, err
	}
	// RFC 8693 §2.2.1: "N_A" when what was issued is not an access token
	// (an ID token, a JWT); it is sent as a bearer credential all the same.
	if strings.EqualFold(tok.Type, "N_A") {
		tok.Type = ""
	}
	return tok, nil
}

// otherToken is the token of the provider called name, which key names:
// its ID token when typ is id_token, else its access token. It is added
// to what this session redacts.
func (s *Session) otherToken(ctx context.Context, key, name, typ string) (secret.String, error) {
	if s.tokenOf == nil {
		return secret.String{}, fmt.Errorf("%s: %s %s: no other provider can be reached from here", s.p.Name, key, name)
	}
	tok, err := s.tokenOf(ctx, name)
	switch {
	case errors.Is(err, ErrNeedsLogin):
		// Not ErrNeedsLogin itself: that would offer to sign in to this
		// provider, whose grant needs no person.
		return secret.String{}, &TokenError{Provider: s.p.Name, Description: fmt.Sprintf("%s %s has no token, and only you can get one", key, name),
			Hint: "sign in there first: keyhole token " + name + " (or select it in the TUI and press a)"}
	case err != nil:
		return secret.String{}, fmt.Errorf("%s: %s %s: %w", s.p.Name, key, name, err)
	}
	value := tok.Access
	if typ == "id_token" || typ == "urn:ietf:params:oauth:token-type:id_token" {
		if value = tok.ID; value.IsZero() {
			return secret.String{}, &TokenError{Provider: s.p.Name, Description: fmt.Sprintf("%s %s has no ID token to exchange", key, name),
				Hint: "its token answer carried no id_token: ask for scope openid there, or exchange its access token"}
		}
	}
	s.addSecret(value)
	return value, nil
}
