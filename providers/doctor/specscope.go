package doctor

import (
	"fmt"
	"strings"
)

// Operation is the API description's word on the request sent: the
// operation it matched and the scopes its security requirement names.
// It is plain data, filled by the caller from the provider's spec, so
// that the doctor never reads (or imports) a spec.
type Operation struct {
	// Method and Path are the operation as the spec writes it: GET and
	// the path template (/items/{id}), not the path sent.
	Method string
	Path   string
	// ID is its operationId, "" when it has none.
	ID string
	// Scheme is the security scheme the scopes belong to ("oauth"), ""
	// when the spec names none.
	Scheme string
	// Scopes are the scope names the spec requires for the operation.
	Scopes []string
}

// label is "GET /items/{id} (getItem)", made safe to show: every part of
// it is the spec's text.
func (o *Operation) label(quote func(string) string) string {
	s := quote(o.Method + " " + o.Path)
	if o.ID != "" {
		s += " (" + quote(o.ID) + ")"
	}
	return s
}

// checkSpecScopes: the spec says the operation needs a scope the token
// does not carry. This is the most direct answer to a 403 there is, and
// the server's insufficient_scope challenge, when it names scopes, is
// either the same verdict (then this finding speaks for both) or another
// one (then it says which says what).
func (d *doctor) checkSpecScopes() {
	op := d.ev.Operation
	if op == nil || len(op.Scopes) == 0 || d.tok == nil || d.ev.Withheld {
		// No token, or one that never left: the findings about that come
		// first, and there are no scopes in hand to compare.
		return
	}
	need := make([]string, 0, len(op.Scopes))
	for _, s := range op.Scopes {
		if s = d.quote(s); s != "" {
			need = append(need, s)
		}
	}
	have, fromServer := d.grantedScopes()
	var missing []string
	for _, s := range minus(need, have) {
		// Scopes servers leave out of what they list (openid) are not
		// held against the token, as in checkScopes.
		if !ignorableScope(s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return
	}
	word := "scope"
	if len(missing) > 1 {
		word = "scopes"
	}
	cause := fmt.Sprintf("the spec says %s needs %s %s", op.label(d.quote), word, strings.Join(missing, " "))
	if op.Scheme != "" {
		cause += fmt.Sprintf(" (security scheme %s)", d.quote(op.Scheme))
	}
	has := scopeText(have, fromServer)
	if !fromServer && len(have) == 0 {
		// A static token, or a grant that asked for no scopes: nothing
		// says what it carries.
		has = "none keyhole knows of (the server did not list them)"
	}
	cause += "; the token has " + has

	// What the server's challenge says, if it names scopes at all.
	want := missing
	if c := d.scopeChallenge(); c.Scheme != "" {
		said := make([]string, 0, len(c.Scopes()))
		for _, s := range c.Scopes() {
			said = append(said, d.quote(s))
		}
		extra := minus(minus(said, need), have)
		if len(extra) == 0 {
			d.specAgrees = c.ErrorCode() == "insufficient_scope"
			cause += fmt.Sprintf("; the server's WWW-Authenticate agrees (scope=%q)", strings.Join(said, " "))
		} else {
			// The server decides what it accepts; the spec only
			// documents it. Ask for both, and say which said what.
			cause += fmt.Sprintf("; the server's WWW-Authenticate asks for %s, which the spec does not name: the server's word decides this call, the spec's may be out of date", strings.Join(extra, " "))
			want = union(missing, extra)
		}
	}

	if len(minus(want, d.p.Scopes)) == 0 {
		d.add(rankSpecScope, CodeSpecScope, cause,
			fmt.Sprintf("the config already asks for it (`scopes = %s`) but it was not granted: allow %s for this client at the authorization server, then %s", tomlArray(d.p.Scopes), strings.Join(want, " "), d.renewKey()))
		return
	}
	d.add(rankSpecScope, CodeSpecScope, cause,
		fmt.Sprintf("`scopes = %s` in [providers.%s], then %s (or run `keyhole token %s --force`) for a token that carries it", tomlArray(union(d.p.Scopes, want)), d.name, d.renewKey(), d.name))
}

// scopeChallenge is the server's challenge that names scopes: the one
// with the error code first (insufficient_scope), else any with a scope
// parameter (RFC 6750 §3 lets every Bearer challenge carry one).
func (d *doctor) scopeChallenge() Challenge {
	if len(d.errCh.Scopes()) > 0 {
		return d.errCh
	}
	for _, c := range d.challenges {
		if len(c.Scopes()) > 0 {
			return c
		}
	}
	return Challenge{}
}
