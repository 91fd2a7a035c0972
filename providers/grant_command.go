package providers

import (
	"context"
	"errors"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/providers/tokencmd"
)

// commandToken runs the command grant: the command's output is the token.
// Plain output is the token itself; a JSON object is read with
// token_response, as a token endpoint's answer would be (az prints
// {"accessToken": ..., "expires_on": ...}). The command runs under the
// provider's timeout, without a shell.
func (s *Session) commandToken(ctx context.Context) (*Token, error) {
	source := "command " + s.p.CommandLine()
	obtained := s.now()
	out, err := tokencmd.Run(ctx, s.p.Command, s.timeout())
	if err != nil {
		// Not err.Error(): a tokencmd.Error quotes the argv expanded.
		te := &TokenError{Provider: s.p.Name, Source: source, Description: "the command failed"}
		var ce *tokencmd.Error
		if errors.As(err, &ce) {
			te.Description = ce.Msg
			if ce.Timeout {
				te.Hint = "raise the provider's timeout, or run the command yourself: it may be waiting for input"
			} else {
				te.Hint = "run the command yourself to see why (keyhole runs it as written, without a shell)"
			}
		}
		return nil, te.redacted(s.Redact)
	}
	var tok *Token
	if out[0] == '{' {
		if tok, err = mapResponse(s.p, 0, out, obtained, s.Redact); err != nil {
			var te *TokenError
			if errors.As(err, &te) {
				te.Source = source
			}
			return nil, err
		}
		// There is no token endpoint to refresh at: the command runs again.
		tok.Refresh = secret.String{}
	} else {
		if strings.ContainsAny(string(out), " \t\r\n") {
			return nil, &TokenError{Provider: s.p.Name, Source: source, Description: "printed more than one word, and not a JSON object",
				Hint: "the command must print the token alone, or a JSON object that token_response maps"}
		}
		tok = &Token{Access: secret.New(string(out)), Obtained: obtained, Scopes: append([]string(nil), s.p.Scopes...)}
		tok.Claims, _ = jwt.Parse(tok.Access.Reveal())
		tok.Expiry, tok.ExpirySource = expiry(obtained, nil, nil, tok.Claims, s.p.TokenLifetime.Std())
	}
	tok.Source = SourceFetched
	return tok, nil
}
