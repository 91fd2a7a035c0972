package doctor

import (
	"fmt"
	"slices"
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
	// Alternatives are the spec's security alternatives, any one of
	// which is enough ([{oauth: [a]}, {oauth: [b]}] needs a or b). When
	// set, they stand in for Scheme and Scopes; an alternative that names
	// no scope (an API key) is not held against the token's scopes.
	Alternatives []Alternative
	// Optional is set when one of the spec's alternatives is empty
	// (security: [{}, {oauth: [read]}]): the operation needs no
	// credential, so the token's scopes cannot be why it was refused.
	Optional bool
}

// Alternative is one of the spec's security alternatives: the scopes it
// needs together, under the scheme that names them.
type Alternative struct {
	Scheme string
	Scopes []string
}

// alternatives are the ones a token's scopes can be held against: those
// that name scopes, each made safe to show.
func (o *Operation) alternatives(quote func(string) string) []Alternative {
	alts := o.Alternatives
	if len(alts) == 0 {
		alts = []Alternative{{Scheme: o.Scheme, Scopes: o.Scopes}}
	}
	var out []Alternative
	for _, a := range alts {
		q := Alternative{Scheme: quote(a.Scheme)}
		for _, s := range a.Scopes {
			if s = quote(s); s != "" && !slices.Contains(q.Scopes, s) {
				q.Scopes = append(q.Scopes, s)
			}
		}
		if len(q.Scopes) > 0 {
			out = append(out, q)
		}
	}
	return out
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
	if op == nil || d.tok == nil || d.ev.Withheld {
		// No token, or one that never left: the findings about that come
		// first, and there are no scopes in hand to compare.
		return
	}
	alts := op.alternatives(d.quote)
	if op.Optional {
		d.specOptional(alts)
		return
	}
	if len(alts) == 0 {
		return
	}
	have, fromServer := d.grantedScopes()
	// The alternative closest to the token speaks: the one it misses
	// fewest scopes of (the first of equals). One it misses none of
	// means the spec has nothing against the token.
	best := -1
	var missing, need []string
	for i, a := range alts {
		var miss []string
		for _, s := range minus(a.Scopes, have) {
			// Scopes servers leave out of what they list (openid) are
			// not held against the token, as in checkScopes.
			if !ignorableScope(s) {
				miss = append(miss, s)
			}
		}
		if len(miss) == 0 {
			return
		}
		if best < 0 || len(miss) < len(missing) {
			best, missing = i, miss
		}
		need = union(need, a.Scopes)
	}
	word := "scope"
	if len(missing) > 1 {
		word = "scopes"
	}
	cause := fmt.Sprintf("the spec says %s needs %s %s", op.label(d.quote), word, strings.Join(missing, " "))
	var others []string
	for i, a := range alts {
		if i != best {
			others = append(others, "or "+strings.Join(a.Scopes, " "))
		}
	}
	if len(others) > 0 {
		cause += " (" + strings.Join(others, ", ") + ")"
	}
	if alts[best].Scheme != "" {
		cause += fmt.Sprintf(" (security scheme %s)", alts[best].Scheme)
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

// specOptional says, as context, that the spec does not hold the token's
// scopes against the operation: one of its alternatives needs nothing.
// It blames no scope: the spec documents none as required, so whatever
// refused the call is the server's own rule, which the other findings
// (its challenge, its words) speak for.
func (d *doctor) specOptional(alts []Alternative) {
	cause := fmt.Sprintf("the spec says %s does not require the token's scopes: its security lists an empty alternative ({}), so no credential is needed", d.ev.Operation.label(d.quote))
	var with []string
	for _, a := range alts {
		with = append(with, strings.Join(a.Scopes, " "))
	}
	if len(with) > 0 {
		cause += "; with a token, it documents " + strings.Join(with, " or ")
	}
	d.add(rankInfo, CodeSpecTokenOptional, cause,
		"the refusal is the server's own rule, not the documented scopes: read its answer, or send the call without a token to compare")
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
