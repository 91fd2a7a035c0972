package doctor

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/httptoken"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers"
)

// checkWithheld: the token never left keyhole, because the URL is not the
// provider's origin. Nothing else about the token matters then.
func (d *doctor) checkWithheld() {
	if !d.ev.Withheld {
		return
	}
	target := "this URL"
	if d.ev.URL != nil && d.ev.URL.Host != "" {
		target = origin(d.ev.URL)
	}
	if d.p.BaseURL == "" {
		d.add(rankWithheld, CodeTokenWithheld,
			fmt.Sprintf("keyhole held a token but did not send it: %s has no base_url, so no origin is its own", d.name),
			fmt.Sprintf("set `base_url = %s` if %s is this API; to send the token once anyway, use --send-token", tomltext.Quote(target), target))
		return
	}
	d.add(rankWithheld, CodeTokenWithheld,
		fmt.Sprintf("keyhole held a token but did not send it: %s is another origin than base_url %s", target, d.quote(d.p.BaseURL)),
		fmt.Sprintf("call a path under base_url; if %s is this API, set `base_url = %s`; to send the token there for this one request, use --send-token", target, tomltext.Quote(target)))
}

// checkPlacement compares where the token went (a header, the query,
// nowhere) with where the config puts it and where the server looks.
func (d *doctor) checkPlacement() {
	if d.ev.Withheld {
		return
	}
	inHeader, inQuery := d.where.header != "", d.where.query != ""
	switch {
	case !inHeader && !inQuery:
		d.noAuthorization()
	case inHeader && !inQuery:
		d.headerOnly()
	case inQuery && !inHeader:
		d.queryOnly()
	}
}

func (d *doctor) noAuthorization() {
	if d.tok == nil {
		d.add(rankNoAuth, CodeNoAuthorization,
			fmt.Sprintf("the request went out with no Authorization header and no token: keyhole held no token for %s", d.name),
			fmt.Sprintf("get one first: select %s and %s, or run `keyhole token %s`", d.name, d.renewKey(), d.name))
		return
	}
	if d.auth != "" {
		d.add(rankNoAuth, CodeNoAuthorization,
			fmt.Sprintf("the Authorization header sent is not the token keyhole holds for %s: it was written in the request", d.name),
			fmt.Sprintf("remove that header and let keyhole add its token as the config says, %s", injectLine(d.want)))
		return
	}
	d.add(rankNoAuth, CodeNoAuthorization,
		"the request carried no Authorization header and not the token keyhole holds: something left it out",
		fmt.Sprintf("let keyhole add it as the config says, %s, and write no header or parameter of that name yourself", injectLine(d.want)))
}

// headerOnly: the token rode in a header. Wrong when the config or the
// server wants a query parameter, or when the server asks for an
// Authorization header and the token went in another one.
func (d *doctor) headerOnly() {
	h := d.where.header
	if d.want.Query != "" {
		d.add(rankPlacement, CodeHeaderVsQuery,
			fmt.Sprintf("the token went in the %s header, but %s takes it in the %s query parameter", h, d.name, d.want.Query),
			fmt.Sprintf("drop the %s header written in the request: keyhole adds ?%s=… itself, as %s says", h, d.want.Query, injectLine(d.want)))
		return
	}
	if param := d.serverWantsQuery(); param != "" {
		d.add(rankPlacement, CodeHeaderVsQuery,
			fmt.Sprintf("the token went in the %s header, but the server looks for it in the %s query parameter (it answered %q)", h, param, d.serverMsg),
			fmt.Sprintf("%s in [providers.%s], in place of %s", injectLine(providers.Injection{Query: param}), d.name, d.currentInject()))
		return
	}
	if !strings.EqualFold(h, "Authorization") && d.auth == "" {
		if c, ok := d.bareChallenge(); ok {
			d.add(rankNoAuth, CodeNoAuthorization,
				fmt.Sprintf("the request carried no Authorization header: the token went in %s, and the server's challenge `%s` carries no error, so it saw no credentials", h, d.quote(c.String())),
				fmt.Sprintf("%s in place of %s", injectLine(providers.Injection{Header: "Authorization", Prefix: providers.Scheme(c.Scheme) + " "}), d.currentInject()))
		}
	}
}

// queryOnly: the token rode in the URL. Wrong when the config says a
// header (it was typed by hand) or when the server looks for a header.
func (d *doctor) queryOnly() {
	q := d.where.query
	if d.want.Query == "" {
		d.add(rankPlacement, CodeQueryVsHeader,
			fmt.Sprintf("the token went in the %s query parameter, but %s sends it in the %s header", q, d.name, d.want.Header),
			fmt.Sprintf("remove %s from the URL: keyhole adds `%s: %s…` itself, as %s says", q, d.want.Header, d.want.Prefix, injectLine(d.want)))
		return
	}
	if scheme, why := d.serverWantsHeader(); scheme != "" {
		d.add(rankPlacement, CodeQueryVsHeader,
			fmt.Sprintf("the token went in the %s query parameter, but the server wants it in the Authorization header: %s", q, why),
			fmt.Sprintf("%s in place of %s", injectLine(providers.Injection{Header: "Authorization", Prefix: scheme + " "}), injectLine(d.want)))
	}
}

// checkScheme reads the scheme in front of the token in the Authorization
// header: doubled, or not what the token type or the server asks for.
func (d *doctor) checkScheme() {
	// Another credential in the Authorization header while the token went
	// elsewhere is the user's own business, not this token's scheme.
	if d.auth == "" || (d.bare != "" && !strings.EqualFold(d.where.header, "Authorization")) || d.has(CodeDPoPAsBearer, CodeDPoPRequired) {
		return
	}
	words := strings.Fields(d.authPrefix())
	shown := fmt.Sprintf("`Authorization: %s`", mask(strings.Join(words, " ")))
	if len(words) >= 2 && strings.EqualFold(words[0], words[1]) {
		scheme := providers.Scheme(words[0])
		if d.plain != d.bare {
			d.add(rankDouble, CodeDoublePrefix,
				fmt.Sprintf("the header reads %s: the scheme is there twice, because the token as issued already starts with `%s `", shown, scheme),
				fmt.Sprintf("send the token as issued: `inject = { header = \"Authorization\", prefix = \"\" }`, and in a header you write yourself use {{access_token}} alone, not `%s {{access_token}}`", scheme))
			return
		}
		d.add(rankDouble, CodeDoublePrefix,
			fmt.Sprintf("the header reads %s: the scheme is there twice", shown),
			fmt.Sprintf("write it once: %s", injectLine(providers.Injection{Header: "Authorization", Prefix: scheme + " "})))
		return
	}
	sent := strings.Join(words, " ")
	want, why := d.expectedScheme(sent)
	if want == "" || strings.EqualFold(sent, want) {
		return
	}
	cause := fmt.Sprintf("the header reads %s, but %s, so it must read `Authorization: %s %s`", shown, why, want, mask(""))
	if sent == "" {
		cause = fmt.Sprintf("the Authorization header carries the bare token with no scheme, but %s, so it must read `Authorization: %s %s`", why, want, mask(""))
	}
	line := injectLine(providers.Injection{Header: "Authorization", Prefix: want + " "})
	fix := line
	switch {
	case !d.configProduced():
		fix = fmt.Sprintf("remove the Authorization header written in the request and let keyhole add it: %s", line)
	case d.p.Inject != nil && d.p.Inject.Prefix != nil:
		fix = fmt.Sprintf("%s (it now says prefix = %s)", line, tomltext.Quote(*d.p.Inject.Prefix))
	}
	d.add(rankScheme, CodeWrongScheme, cause, fix)
}

// expectedScheme is the scheme the token should travel under, and why: the
// token_type the provider issued, else the schemes the server challenged
// with. "" when neither says, or when the server accepts what was sent.
func (d *doctor) expectedScheme(sent string) (string, string) {
	if d.tok != nil {
		if t := strings.TrimSpace(d.tok.Type); httptoken.Valid(t) {
			return providers.Scheme(t), "the provider issued token_type=" + t
		}
	}
	var schemes []string
	best := ""
	for _, c := range d.challenges {
		if strings.EqualFold(c.Scheme, sent) {
			return "", ""
		}
		schemes = append(schemes, providers.Scheme(c.Scheme))
		if best == "" || c.Is("Bearer") {
			best = providers.Scheme(c.Scheme)
		}
	}
	if best == "" {
		return "", ""
	}
	return best, "the server's WWW-Authenticate asks for " + d.quote(strings.Join(schemes, " or "))
}

// checkExpiry: expired by keyhole's record, by the JWT's own exp, or only
// by the server's clock.
func (d *doctor) checkExpiry() {
	if d.tok != nil {
		exp := d.tok.Expiry
		switch {
		case !exp.IsZero() && !d.now.Before(exp):
			from := ""
			if d.tok.ExpirySource != providers.ExpiryNone {
				from = fmt.Sprintf(" (expiry from %s)", d.tok.ExpirySource)
			}
			d.add(rankExpired, CodeExpiredLocal,
				fmt.Sprintf("the token expired at %s, %s ago by keyhole's clock%s", d.clock(exp), durfmt.Words(d.now.Sub(exp)), from),
				fmt.Sprintf("the token expired at %s: %s, or run `keyhole token %s --force`", d.clock(exp), d.renewKey(), d.name))
		case d.claims != nil && !d.claims.Expiry.IsZero() && !d.now.Before(d.claims.Expiry):
			jexp := d.claims.Expiry
			record := "the provider gave no other expiry"
			if !exp.IsZero() {
				record = fmt.Sprintf("keyhole's record (from %s) runs to %s", cmp.Or(string(d.tok.ExpirySource), "the token response"), d.clock(exp))
			}
			d.add(rankExpired+1, CodeExpiredJWT,
				fmt.Sprintf("the token's JWT exp says it expired at %s, %s ago, though %s", d.clock(jexp), durfmt.Words(d.now.Sub(jexp)), record),
				fmt.Sprintf("the token expired at %s: %s, or run `keyhole token %s --force`", d.clock(jexp), d.renewKey(), d.name))
		}
	}
	d.checkSkew()
}

// checkSkew compares keyhole's clock with the response's Date. A skew is a
// cause when the token is still valid by our clock but expired by the
// server's; otherwise it is context.
func (d *doctor) checkSkew() {
	if d.serverNow.IsZero() {
		return
	}
	off := d.now.Sub(d.serverNow) // > 0: keyhole's clock is ahead
	if off.Abs() < skewThreshold {
		return
	}
	dir := "ahead of"
	if off < 0 {
		dir = "behind"
	}
	rank, because := rankSkewInfo, ""
	if exp := d.earliestExpiry(); off < 0 && !exp.IsZero() && d.now.Before(exp) && !d.serverNow.Before(exp) {
		rank = rankSkewCause
		because = fmt.Sprintf(": by the server's clock the token expired at %s, though keyhole's shows %s left", d.clock(exp), durfmt.Words(exp.Sub(d.now)))
	}
	fix := fmt.Sprintf("your clock is %s %s the server's: sync it with NTP (`timedatectl set-ntp true`)", durfmt.Words(off.Abs()), dir)
	if off < 0 {
		// Behind the server, keyhole renews too late; a wider window
		// covers the gap until the clock is fixed.
		// The value is written in the config's own notation, Go's, which
		// has no days: a skew of days still gives a value it reads back.
		window := (off.Abs() + skewThreshold).Round(time.Minute)
		fix += fmt.Sprintf("; until then `refresh_before = %s` in [settings] renews tokens before the server sees them expire", tomltext.Quote(window.String()))
	}
	d.add(rank, CodeClockSkew,
		fmt.Sprintf("keyhole's clock is %s %s the server's (its Date: %s)%s", durfmt.Words(off.Abs()), dir, d.quote(d.ev.ResponseHeader.Get("Date")), because),
		fix)
}

// earliestExpiry is the sooner of keyhole's expiry and the JWT's exp.
func (d *doctor) earliestExpiry() time.Time {
	var exp time.Time
	if d.tok != nil {
		exp = d.tok.Expiry
	}
	if d.claims != nil && !d.claims.Expiry.IsZero() && (exp.IsZero() || d.claims.Expiry.Before(exp)) {
		exp = d.claims.Expiry
	}
	return exp
}

// checkChallenge reads the server's own verdict from WWW-Authenticate
// (RFC 6750 §3.1).
func (d *doctor) checkChallenge() {
	c := d.errCh
	said := ""
	if desc := d.quote(c.ErrorDescription()); desc != "" {
		said = fmt.Sprintf(" (%q)", desc)
	}
	switch c.ErrorCode() {
	case "invalid_token":
		fix := fmt.Sprintf("get a new token: %s, or run `keyhole token %s --force`; if a fresh one is refused too, press i to introspect it and check that `token_url` (or `issuer`) is the authorization server this API trusts", d.renewKey(), d.name)
		// A token sent wrongly, expired or for another audience is refused
		// as invalid_token too: then this is the echo, not the cause.
		if d.hasCause(CodeDoublePrefix, CodeWrongScheme, CodeHeaderVsQuery, CodeQueryVsHeader, CodeNoAuthorization,
			CodeExpiredLocal, CodeExpiredJWT, CodeClockSkew, CodeAudienceMismatch) {
			fix = "this is the server's verdict on the cause above: fix that first; if the refusal outlives it, " + fix
		}
		d.add(rankInvalidToken, CodeInvalidToken, fmt.Sprintf("the server refused the token as invalid_token%s", said), fix)
	case "insufficient_scope":
		if !d.specAgrees { // else the spec's finding already says it
			d.insufficientScope(c, said)
		}
	case "invalid_request":
		fix := fmt.Sprintf("check the headers and query parameters written in the request; keyhole itself sends the token as %s", injectLine(d.want))
		if d.where.header != "" && d.where.query != "" {
			fix = fmt.Sprintf("send the token one way only (RFC 6750 §2): it went in the %s header and in ?%s=; keep %s and remove the other from the request", d.where.header, d.where.query, injectLine(d.want))
		}
		d.add(rankInvalidReq, CodeInvalidRequest, "the server found the request malformed: invalid_request"+said, fix)
	}
}

func (d *doctor) insufficientScope(c Challenge, said string) {
	need := c.Scopes()
	have, fromServer := d.grantedScopes()
	missing := minus(need, have)
	switch {
	case len(need) == 0:
		d.add(rankScope, CodeInsufficientScope,
			"the server answered insufficient_scope without naming the scope it needs"+said,
			fmt.Sprintf("add the scope this call needs (see the API's documentation) to `scopes = %s`, then %s", tomlArray(d.p.Scopes), d.renewKey()))
	case len(missing) == 0:
		d.add(rankScope, CodeInsufficientScope,
			fmt.Sprintf("the server answered insufficient_scope for %s, which the token says it carries%s", strings.Join(need, " "), said),
			"the grant may not cover this resource or account: press i to introspect the token, and check the client's roles at the authorization server")
	case len(minus(missing, d.p.Scopes)) == 0:
		d.add(rankScope, CodeInsufficientScope,
			fmt.Sprintf("the server needs scope %s, which the token does not carry (it has %s)", strings.Join(missing, " "), scopeText(have, fromServer)),
			fmt.Sprintf("the config already asks for it (`scopes = %s`) but it was not granted: allow %s for this client at the authorization server, then %s", tomlArray(d.p.Scopes), strings.Join(missing, " "), d.renewKey()))
	default:
		d.add(rankScope, CodeInsufficientScope,
			fmt.Sprintf("the server needs scope %s, which the token does not carry (it has %s)", strings.Join(missing, " "), scopeText(have, fromServer)),
			fmt.Sprintf("`scopes = %s`, then %s (or run `keyhole token %s --force`) for a token that carries it", tomlArray(union(d.p.Scopes, missing)), d.renewKey(), d.name))
	}
}

// grantedScopes are the token's scopes and whether the server said so (in
// the token response or the JWT's scope claim) rather than keyhole
// assuming the requested ones (RFC 6749 §5.1).
func (d *doctor) grantedScopes() ([]string, bool) {
	switch {
	case d.tok == nil:
		return nil, false
	case d.tok.ScopesFromServer:
		return d.tok.Scopes, true
	case d.claims != nil && d.claims.Scope != "":
		return strings.Fields(d.claims.Scope), true
	}
	return d.tok.Scopes, false
}

// checkAudience compares the JWT's aud with what the config asks for, or,
// when the server complains about the audience, with the API's origin.
// With neither, an aud keyhole cannot judge is left alone: guessing from
// the URL alone would blame tokens whose aud is an opaque identifier.
func (d *doctor) checkAudience() {
	var aud []string
	if d.claims != nil {
		aud = d.claims.Audience
	}
	if want := d.p.Audience; want != "" {
		if len(aud) == 0 || audHas(aud, want) {
			return
		}
		d.add(rankAudience, CodeAudienceMismatch,
			fmt.Sprintf("the token's aud is %s, not %q as `audience` asks", quoteList(aud), want),
			fmt.Sprintf("%s for a token issued for `audience = %s` (keyhole sends it with the token request); if the new one still says aud %s, the authorization server ignores that parameter: look up how it names this API (some take `resource = %s` instead)", d.renewKey(), tomltext.Quote(want), quoteList(aud), tomltext.Quote(want)))
		return
	}
	if !d.serverSaysAudience() {
		return
	}
	api := ""
	if base, err := parseBase(d.p.BaseURL); err == nil {
		api = origin(base)
	}
	cause := "the server rejects the token's audience, and the token carries no aud keyhole can read"
	if len(aud) > 0 {
		cause = fmt.Sprintf("the server rejects the token's audience: aud is %s", quoteList(aud))
		if api != "" && urlLike(aud) && !audSharesHost(aud, api) {
			cause += ", not this API's " + api
		}
	}
	fix := fmt.Sprintf("set `audience = \"…\"` to the identifier this API expects, then %s", d.renewKey())
	if api != "" {
		fix = fmt.Sprintf("`audience = %s` (this API's origin, or the identifier its documentation gives), then %s", tomltext.Quote(api), d.renewKey())
	}
	d.add(rankAudience, CodeAudienceMismatch, cause, fix)
}

// checkScopes: scopes the config asks for that the server did not grant.
// Scopes servers commonly leave out of the answer (openid, offline_access,
// Azure's .default) are not held against them.
func (d *doctor) checkScopes() {
	have, known := d.grantedScopes()
	if len(d.p.Scopes) == 0 || !known {
		return
	}
	var missing, kept []string
	for _, s := range d.p.Scopes {
		if !ignorableScope(s) && !slices.Contains(have, s) {
			missing = append(missing, s)
			continue
		}
		kept = append(kept, s)
	}
	if len(missing) == 0 {
		return
	}
	d.add(rankNotGranted, CodeScopeNotGranted,
		fmt.Sprintf("the config asks for %s, but the server granted %s", strings.Join(missing, " "), scopeText(have, true)),
		fmt.Sprintf("the authorization server did not grant %s to this client: allow it there and %s; if this API does not need it, `scopes = %s`", strings.Join(missing, " "), d.renewKey(), tomlArray(kept)))
}

// checkFallback answers a 401 or 403 that nothing above explains, saying
// what was checked so the person knows where not to look.
func (d *doctor) checkFallback() {
	for _, f := range d.found {
		if f.rank < rankInfo {
			return
		}
	}
	cause := fmt.Sprintf("the server answered %d and nothing keyhole can see explains it; checked: %s", d.ev.Status, strings.Join(d.checked(), "; "))
	fix := fmt.Sprintf("the server may have revoked the token or may not know it: get a fresh one with `keyhole token %s --force` (r in the token pane), or press i to introspect it; check that `token_url` (or `issuer`) is the authorization server this API trusts", d.name)
	if d.ev.Status == 403 {
		target := ""
		if d.ev.URL != nil {
			target = " " + d.quote(d.ev.URL.Path)
		}
		fix = fmt.Sprintf("the server knows the token but refuses %s%s to it: compare its scopes and roles (press v) with what the API requires, ask for more with `scopes = %s`, then %s", cmp.Or(d.ev.Method, "this request"), target, tomlArray(d.p.Scopes), d.renewKey())
	}
	d.add(rankUnexplained, CodeUnexplained, cause, fix)
}
