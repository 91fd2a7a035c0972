package model

import (
	"time"

	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/providers"
)

// sentTok is e's token with the expiry of what the provider sends: the
// ID token's exp for inject.token = "id_token" (Provider.AsSent). The
// countdown, the state and the send's "is a new token due" all read it,
// so that they never disagree.
func (e *entry) sentTok() *providers.Token {
	if e.Config == nil {
		return e.tok
	}
	return providers.AsSent(e.Config, e.tok)
}

// accessExpiryDetail is the token pane's line for the access token's own
// expiry when the countdown is another's (the ID token's, the one sent);
// "" otherwise.
func (m *Model) accessExpiryDetail(tok, shown *providers.Token) string {
	if tok == nil || shown == nil || tok == shown || tok.Expiry.IsZero() {
		return ""
	}
	at := tok.Expiry.In(m.opts.Location).Format("15:04:05")
	if tok.Expiry.Sub(m.now) >= 24*time.Hour {
		at = tok.Expiry.In(m.opts.Location).Format("2006-01-02 15:04")
	}
	left := "expired"
	if d := tok.Expiry.Sub(m.now); d > 0 {
		left = "in " + durfmt.Clock(d)
	}
	return "the countdown is the id token's (exp), the one sent · access token expires " + at + " (" + left + ")"
}
