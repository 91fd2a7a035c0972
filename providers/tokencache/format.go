// Package tokencache holds the implementations of providers.Store: an
// in-process map (NewMemory), one 0600 file per token under
// $XDG_STATE_HOME/keyhole/tokens (NewFile), and the OS keyring with the file
// store as its fallback and lock provider (NewKeyring). Open picks one from
// the token_cache setting.
//
// The file and the keyring hold the same JSON record (see record below). It
// carries the token in plain text: it is a cache the user's own account must
// be able to read back, and its protection is the file mode (0600 in a 0700
// folder) or the keyring, not obscurity. Errors from this package never
// carry a token or any part of the record.
//
// A record that cannot be read — corrupt, truncated, or written by a keyhole
// with a newer format — makes Load return an error wrapping ErrUnreadable
// and naming where it lives. Load never returns part of a token, so a
// caller can always treat a Load error as "no token cached" and fetch a new
// one; the next Save replaces the bad record.
package tokencache

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// formatVersion is the version of record. Adding an optional field does not
// need a new version: an older keyhole ignores fields it does not know and a
// newer one reads a missing field as its zero value. Bump it only when an
// existing field changes meaning, so an older keyhole refuses the record
// (ErrUnreadable) instead of misreading it.
const formatVersion = 1

// maxRecord bounds what Load reads. A real record is a few KB; anything far
// larger is not ours, and reading it whole would only waste memory.
const maxRecord = 1 << 20

// ErrUnreadable is wrapped by the error Load returns when a stored record is
// corrupt or of an unknown format version. It is recoverable: treat it as no
// token cached; the next Save overwrites the record.
var ErrUnreadable = errors.New("cached token is unreadable")

// record is a Token as stored. secret.String marshals to a mask on purpose,
// so the secrets are revealed into plain strings here, and only here.
//
// Not stored: Source (a loaded token is always providers.SourceCache) and
// Claims (re-derived from the access token by jwt.Parse, so a
// fixed parser fixes old records too). A new Token field goes into this
// struct, toRecord and fromRecord — nowhere else.
type record struct {
	Version      int    `json:"version"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	// AuthorizationDetails is the granted RFC 9396 details, as JSON text.
	AuthorizationDetails string `json:"authorization_details,omitempty"`
	TokenType            string `json:"token_type,omitempty"`
	// Expiry is RFC 3339 with nanoseconds; absent means unknown, which must
	// stay unknown and never turn into "never expires".
	Expiry           time.Time `json:"expiry,omitzero"`
	ExpirySource     string    `json:"expiry_source,omitempty"`
	Obtained         time.Time `json:"obtained,omitzero"`
	Scopes           []string  `json:"scopes,omitempty"`
	ScopesFromServer bool      `json:"scopes_from_server,omitempty"`
}

func toRecord(t *providers.Token) record {
	return record{
		Version:              formatVersion,
		AccessToken:          t.Access.Reveal(),
		RefreshToken:         t.Refresh.Reveal(),
		IDToken:              t.ID.Reveal(),
		AuthorizationDetails: t.AuthorizationDetails,
		TokenType:            t.Type,
		Expiry:               t.Expiry,
		ExpirySource:         string(t.ExpirySource),
		Obtained:             t.Obtained,
		Scopes:               t.Scopes,
		ScopesFromServer:     t.ScopesFromServer,
	}
}

func fromRecord(r record) *providers.Token {
	t := &providers.Token{
		Access:               secret.New(r.AccessToken),
		Refresh:              secret.New(r.RefreshToken),
		ID:                   secret.New(r.IDToken),
		AuthorizationDetails: r.AuthorizationDetails,
		Type:                 r.TokenType,
		Expiry:               r.Expiry,
		ExpirySource:         providers.ExpirySource(r.ExpirySource),
		Obtained:             r.Obtained,
		Scopes:               r.Scopes,
		ScopesFromServer:     r.ScopesFromServer,
		Source:               providers.SourceCache,
	}
	t.Claims = claims(r.AccessToken)
	return t
}

// encode renders tok as the stored JSON.
func encode(tok *providers.Token) ([]byte, error) {
	if tok == nil {
		return nil, errors.New("cannot cache a nil token")
	}
	b, err := json.Marshal(toRecord(tok))
	if err != nil {
		// Only an unencodable time (a year outside 0..9999) gets here, and
		// json's message names the type, never the token.
		return nil, fmt.Errorf("encoding the token for the cache: %w", err)
	}
	return append(b, '\n'), nil
}

// decode parses a stored record; where names it (a path or a keyring entry)
// in the error. The error never quotes the data: json's own messages can
// include a fragment of the input, which here would be part of a token.
func decode(data []byte, where string) (*providers.Token, error) {
	if len(data) > maxRecord {
		return nil, unreadable(where, fmt.Sprintf("over %d bytes, far larger than a token record", maxRecord))
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, unreadable(where, fmt.Sprintf("not valid JSON at byte %d", syn.Offset))
		case errors.As(err, &typ):
			return nil, unreadable(where, fmt.Sprintf("field %q has the wrong type (%s)", typ.Field, typ.Value))
		default:
			// A time that is not RFC 3339 lands here; its message
			// quotes the text, which is harmless, but keep to one rule.
			return nil, unreadable(where, "not a token record")
		}
	}
	switch {
	case r.Version == 0:
		return nil, unreadable(where, "no format version: not a keyhole token record")
	case r.Version > formatVersion:
		return nil, unreadable(where, fmt.Sprintf("format version %d is newer than this keyhole understands (%d); upgrade keyhole, or let this one replace it", r.Version, formatVersion))
	case r.Version < 0:
		return nil, unreadable(where, fmt.Sprintf("format version %d is not valid", r.Version))
	case r.AccessToken == "":
		// No token at all: taken for a valid one, it would be printed as
		// an empty line and sent as "Bearer ".
		return nil, unreadable(where, "it holds no access token")
	}
	return fromRecord(r), nil
}

func unreadable(where, why string) error {
	return fmt.Errorf("%w: %s: %s; it is ignored and replaced on the next save", ErrUnreadable, where, why)
}

// clone copies tok deeply enough that neither side can change the other's
// scopes: the memory store keeps and hands out its own copies, as the other
// stores do by serializing. Claims are dropped and re-derived on Load, as
// by the other stores, so every store answers alike.
func clone(tok *providers.Token) *providers.Token {
	c := *tok
	c.Scopes = slices.Clone(tok.Scopes)
	c.Claims = nil
	return &c
}

// claims decodes the access token's claims; nil when it is not a JWT,
// which for an opaque token is the normal case, not an error.
func claims(access string) *jwt.Claims {
	c, err := jwt.Parse(access)
	if err != nil {
		return nil
	}
	return c
}
