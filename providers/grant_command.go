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
		if tok, err = s.p.mapResponse(0, out, obtained, s.Redact); err != nil {
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

// CommandLine is the command grant's command line as written in the
// config, a ${VAR} shown as such and not as its value: an argument may
// carry a credential (gh's --token ${GH_TOKEN}), and the line is quoted in
// errors and listings. Resolve keeps the written form; a provider not
// resolved has only that one.
func (p *Provider) CommandLine() string {
	if p.commandWritten != nil {
		return strings.Join(p.commandWritten, " ")
	}
	return strings.Join(p.Command, " ")
}

// commandSecrets are the values the ${VAR}s of a command as written
// expand to, to be redacted wherever they might show — the program's own
// stderr, which keyhole quotes, included: an argument may carry a
// credential, and only the variable's value is known to be one.
func commandSecrets(written []string, env Env) []secret.String {
	var found []secret.String
	record := func(name string) (string, bool) {
		v, ok := env(name)
		if ok && v != "" {
			found = append(found, secret.New(v))
		}
		return v, ok
	}
	for _, arg := range written {
		_, _ = expand(arg, record) // an unset variable is Resolve's error
	}
	return found
}
