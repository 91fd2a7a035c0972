package providers

import (
	"github.com/keyhole-sh/keyhole/providers/config"
	"time"

	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Sent is the token a request of p carries: the ID token for inject.token =
// "id_token", else the access token. It is zero when the ID token is
// wanted and the answer had none (SentToken says why).
func Sent(p *config.Provider, tok *Token) secret.String {
	if tok == nil {
		return secret.String{}
	}
	if p.SendsIDToken() {
		return tok.ID
	}
	return tok.Access
}

// SentToken is Sent, or an error naming the key when the ID token is
// wanted and the token endpoint issued none.
func SentToken(p *config.Provider, tok *Token) (secret.String, error) {
	sent := Sent(p, tok)
	if sent.IsZero() && p.SendsIDToken() {
		return sent, &TokenError{Provider: p.Name, Description: `inject.token is "id_token", but the token answer carried no id_token`,
			Hint: "OpenID Connect issues an ID token when scopes include openid; or send the access token (remove inject.token)"}
	}
	return sent, nil
}

// idToken reads an answer's id_token field: a string, else nothing.
func idToken(v any) secret.String {
	s, _ := v.(string)
	return secret.New(s)
}

// IDExpiry is the ID token's exp; zero when there is no ID token, it is
// not a JWT, or it names no exp.
func (t *Token) IDExpiry() time.Time {
	if t == nil || t.ID.IsZero() {
		return time.Time{}
	}
	c, err := jwt.Parse(t.ID.Reveal())
	if err != nil {
		return time.Time{}
	}
	return c.Expiry
}

// SentExpiry is when the token the provider sends stops working: for
// inject.token = "id_token" the ID token's exp — an ID token often lives
// shorter than the access token beside it — else, or when the ID token
// names no exp, the token's Expiry (the access token's).
func SentExpiry(p *config.Provider, tok *Token) time.Time {
	if tok == nil {
		return time.Time{}
	}
	if p.SendsIDToken() {
		if exp := tok.IDExpiry(); !exp.IsZero() {
			return exp
		}
	}
	return tok.Expiry
}

// AsSent is tok with the expiry of what the provider sends (SentExpiry):
// the token whose countdown and state are shown, and whose expiry decides
// when a new one is due. tok itself is not changed; nil for nil.
func AsSent(p *config.Provider, tok *Token) *Token {
	if tok == nil {
		return nil
	}
	exp := SentExpiry(p, tok)
	if exp.Equal(tok.Expiry) {
		return tok
	}
	t := *tok
	t.Expiry = exp
	return &t
}
