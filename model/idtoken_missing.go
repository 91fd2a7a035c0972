package model

import (
	"errors"

	"github.com/keyhole-sh/keyhole/providers"
)

// missingIDToken is the token pane's warning when the provider sends the
// ID token (inject.token = "id_token") and the answer held none: the token
// is valid, but no request can carry it, which a "valid" state alone would
// hide until a send fails. "" when there is nothing to say.
func (e *entry) missingIDToken() string {
	if e.tok == nil || e.Config == nil {
		return ""
	}
	_, err := providers.SentToken(e.Config, e.tok)
	var te *providers.TokenError
	if !errors.As(err, &te) {
		return ""
	}
	return te.Description + ": requests are not sent. " + te.Hint
}
