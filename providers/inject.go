package providers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/origin"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
)

// ErrForeignOrigin is returned when a request goes to another origin than
// the provider's base_url: its token is not sent there unless forced.
var ErrForeignOrigin = errors.New("request goes to another origin than the provider's base_url: the token is not sent")

// Injection describes how a token rides on a request, for display.
type Injection struct {
	// Header is the header name, "" when the token goes in the query.
	Header string
	// Prefix is what stands before the token in the header ("Bearer ").
	Prefix string
	// Query is the query parameter name, "" when the token goes in a header.
	Query string
}

// InjectionOfType returns where p puts a token of tokenType: the inject
// table, else a header "Authorization" with a prefix taken from token_type.
func InjectionOfType(p *config.Provider, tokenType string) Injection {
	in := Injection{Header: "Authorization"}
	if p.Inject != nil {
		if p.Inject.Query != "" {
			return Injection{Query: p.Inject.Query}
		}
		if p.Inject.Header != "" {
			in.Header = p.Inject.Header
		}
		if p.Inject.Prefix != nil {
			in.Prefix = *p.Inject.Prefix
			return in
		}
	}
	in.Prefix = schemePrefix(tokenType)
	return in
}

// schemePrefix is what stands before a token of tokenType in the
// Authorization header: its Scheme and a space.
func schemePrefix(tokenType string) string { return Scheme(tokenType) + " " }

// Scheme maps token_type onto the Authorization scheme: "bearer" is
// written "Bearer" (RFC 6750), none means Bearer, and any other type is
// its first word as the server wrote it. A token type is one word (RFC
// 6749 §7.1), so "Bearer Bearer" is the Bearer scheme, not a doubled one.
func Scheme(tokenType string) string {
	words := strings.Fields(tokenType)
	if len(words) == 0 || strings.EqualFold(words[0], "bearer") {
		return "Bearer"
	}
	return words[0]
}

// TokenTypeWarning is what to tell the person about a token of tokenType,
// once: "" for a bearer token, the only kind keyhole implements. Any other
// type (mac, pop, DPoP) is sent with the server's scheme, but such a token
// is bound to a key and the API likely wants, with each request, a proof
// or signature that keyhole does not make.
func TokenTypeWarning(tokenType string) string {
	scheme := Scheme(tokenType)
	if scheme == "Bearer" {
		return ""
	}
	// %q: the scheme is the server's text, and this goes to a terminal.
	return fmt.Sprintf("the token endpoint issued a %q token: keyhole sends it with that scheme, but the server likely expects a proof or signature with it that keyhole does not make (it only implements bearer tokens), so the API may refuse it", scheme)
}

// ownSchemes are the schemes a token may arrive already carrying ("Bearer
// eyJ..." from one vendor), beside the one its token_type names.
var ownSchemes = []string{"bearer", "dpop", "mac", "pop"}

// carriesScheme reports whether access already starts with prefix, or,
// when keyhole chose the prefix from token_type, with any scheme a token
// may carry: a token holds no space (RFC 6750's b64token), so a known
// scheme and a space before the rest is a scheme the issuer wrote itself.
func carriesScheme(access, prefix string, derived bool) bool {
	if prefix == "" {
		return false
	}
	if len(access) >= len(prefix) && strings.EqualFold(access[:len(prefix)], prefix) {
		return true
	}
	if !derived {
		return false
	}
	word, rest, ok := strings.Cut(access, " ")
	return ok && strings.TrimSpace(rest) != "" && slices.ContainsFunc(ownSchemes, func(s string) bool { return strings.EqualFold(s, word) })
}

// InjectionFor is where p puts tok: InjectionOfType for its type, with no prefix
// when the token carries its scheme already. A scheme is never doubled.
func InjectionFor(p *config.Provider, tok *Token) Injection {
	if tok == nil {
		return InjectionOfType(p, "")
	}
	tokenType := tok.Type
	switch {
	case p.SendsIDToken():
		tokenType = "" // an ID token is a bearer JWT whatever the access token's type
	case SendsDPoP(p, tok):
		// Bound by cnf.jkt though named Bearer: the DPoP scheme, so that
		// the transport adds the proof the API will ask for.
		tokenType = dpop.Scheme
	}
	in := InjectionOfType(p, tokenType)
	derived := p.Inject == nil || p.Inject.Prefix == nil
	if in.Query == "" && carriesScheme(Sent(p, tok).Reveal(), in.Prefix, derived) {
		in.Prefix = ""
	}
	return in
}

// SameOrigin reports whether u has the scheme, host and port of base.
func SameOrigin(base, u *url.URL) bool {
	return origin.Same(base, u)
}

// Apply puts tok on req where p wants it. A request to another
// origin than base_url gets ErrForeignOrigin unless force is set.
func Apply(p *config.Provider, req *http.Request, tok *Token, force bool) (Injection, error) {
	if tok == nil || tok.Access.IsZero() {
		return Injection{}, errors.New("no token to send")
	}
	sent, err := SentToken(p, tok)
	if err != nil {
		return Injection{}, err
	}
	if !force {
		// Without a base_url no origin is the provider's: the token goes
		// nowhere unless forced.
		base, err := url.Parse(p.BaseURL)
		if err != nil || p.BaseURL == "" || !SameOrigin(base, req.URL) {
			return Injection{}, ErrForeignOrigin
		}
	}
	// A token that already carries its scheme (one vendor issues
	// "Bearer eyJ...") must not become "Bearer Bearer eyJ...".
	in := InjectionFor(p, tok)
	if in.Query != "" {
		req.URL.RawQuery = setQueryParam(req.URL.RawQuery, in.Query, sent.Reveal())
		return in, nil
	}
	req.Header.Set(in.Header, in.Prefix+sent.Reveal())
	return in, nil
}

// setQueryParam sets name=value in a raw query, leaving every other
// parameter exactly as written. Going through url.Values would re-sort and
// re-encode the user's query, and silently drop any pair that holds a ';'
// (url.ParseQuery refuses those).
func setQueryParam(rawQuery, name, value string) string {
	var keep []string
	if rawQuery != "" {
		for _, part := range strings.Split(rawQuery, "&") {
			k, _, _ := strings.Cut(part, "=")
			if uk, err := url.QueryUnescape(k); err == nil && uk == name {
				continue
			}
			keep = append(keep, part)
		}
	}
	return strings.Join(append(keep, url.QueryEscape(name)+"="+url.QueryEscape(value)), "&")
}
