package providers

import (
	"github.com/keyhole-sh/keyhole/providers/config"
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
