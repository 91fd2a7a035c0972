// Package doctor explains a 401 or 403: Diagnose compares what was sent
// with what the provider's config and the token say, and with what the
// server answered (its WWW-Authenticate challenges, its Date, its own
// words), and says what is wrong and how to fix it in the config's own
// words. It also holds the WWW-Authenticate parser it reads challenges
// with. It never shows a token or another secret.
package doctor

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/internal/httptoken"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Finding is one explanation the 401/403 doctor offers: what is wrong,
// with the values it saw, and how to fix it in the config's own words.
// No field ever holds a token or another secret.
type Finding struct {
	// Code is a stable identifier (one of the Code* constants), for tests,
	// JSON output and documentation.
	Code string
	// Cause is one sentence naming what is wrong, with the actual values.
	Cause string
	// Fix says what to change: a config line, a key to press, a command.
	Fix string
}

// String renders the finding for the command line: "cause — fix".
func (f Finding) String() string {
	if f.Fix == "" {
		return f.Cause
	}
	return f.Cause + " — " + f.Fix
}

// The finding codes, in roughly the order Diagnose ranks them.
const (
	CodeTokenWithheld     = "token_withheld"
	CodeNoAuthorization   = "no_authorization"
	CodeDoublePrefix      = "double_prefix"
	CodeWrongScheme       = "wrong_scheme"
	CodeHeaderVsQuery     = "header_vs_query"
	CodeQueryVsHeader     = "query_vs_header"
	CodeClockSkew         = "clock_skew"
	CodeExpiredLocal      = "expired_local"
	CodeExpiredJWT        = "expired_jwt"
	CodeSpecScope         = "spec_scope"
	CodeSpecTokenOptional = "spec_token_optional"
	CodeInsufficientScope = "insufficient_scope"
	CodeAudienceMismatch  = "audience_mismatch"
	CodeInvalidToken      = "invalid_token"
	CodeInvalidRequest    = "invalid_request"
	CodeScopeNotGranted   = "scope_not_granted"
	CodeUnexplained       = "unexplained"
)

// Evidence is everything the doctor looks at: the provider's config, the
// token held, the request as it went out and the response. It takes plain
// types so that the doctor does not import the exchange package.
type Evidence struct {
	// Provider is the (resolved) provider the request was made for; nil is
	// treated as a provider with every default.
	Provider *config.Provider
	// Token is the token held, nil when there was none.
	Token *providers.Token
	// Method, URL and Header are the request as sent, after injection.
	Method string
	URL    *url.URL
	Header http.Header
	// Withheld is set when a token was held but not sent, because the URL
	// is outside the provider's base_url origin.
	Withheld bool
	// Status, ResponseHeader and Body are the response.
	Status         int
	ResponseHeader http.Header
	Body           []byte
	// Now is keyhole's clock; zero means time.Now.
	Now time.Time
	// Operation is what the provider's API description says of the
	// request, nil when it has none or the request is none of its
	// operations. The caller fills it from the spec: the doctor reads no
	// spec itself.
	Operation *Operation
}

// Diagnose explains a 401 or 403: it compares what was sent with what the
// provider's config and the token say, and with what the server answered,
// and returns the findings most likely cause first. Any other status gives
// nil. A 401 or 403 never gives an empty answer: when nothing specific
// shows, one CodeUnexplained finding says what was checked and what to try.
func Diagnose(ev Evidence) []Finding {
	if ev.Status != http.StatusUnauthorized && ev.Status != http.StatusForbidden {
		return nil
	}
	d := newDoctor(ev)
	d.checkWithheld()
	d.checkPlacement()
	d.checkDPoP() // before checkScheme, which says less of a bound token
	d.checkScheme()
	d.checkExpiry()
	d.checkAudience()
	d.checkSpecScopes() // before the challenge, which it may answer for
	d.checkChallenge()  // after the causes it may only echo
	d.checkScopes()
	d.checkFallback()
	return d.result()
}

// Ranks order findings: a token that never arrived explains more than one
// that arrived expired, which explains more than the server's bare verdict.
// Ranks at or above rankInfo are context rather than causes.
const (
	rankWithheld     = 10
	rankNoAuth       = 20
	rankDouble       = 30
	rankScheme       = 40
	rankPlacement    = 50
	rankSkewCause    = 55
	rankExpired      = 60
	rankSpecScope    = 68
	rankScope        = 70
	rankAudience     = 75
	rankInvalidToken = 80
	rankInvalidReq   = 82
	rankNotGranted   = 85
	rankInfo         = 90
	rankSkewInfo     = 95
	rankUnexplained  = 100
)

const (
	// skewThreshold is the clock difference worth reporting: Date has a
	// one-second grain and the answer takes time to arrive.
	skewThreshold = 30 * time.Second
	// shortToken is the length below which a token is only matched
	// whole, never inside other text.
	shortToken = 8
	// quoteLen caps text quoted from the server.
	quoteLen = 160
)

// ranked is a finding with its place in the answer.
type ranked struct {
	Finding
	rank int
}

// doctor holds one diagnosis: the evidence and what was read off it. It
// lives for one Diagnose call.
type doctor struct {
	ev   Evidence
	p    *config.Provider // never nil
	name string           // provider name for commands, "NAME" when unknown
	now  time.Time

	tok    *providers.Token // may be nil
	plain  string           // the token as held, "" when none
	bare   string           // the token without a scheme it carries itself ("Bearer x" -> "x")
	claims *jwt.Claims      // the token's JWT claims, nil when it is not a JWT

	want  providers.Injection // where the config puts the token
	auth  string              // the Authorization header sent, "" when none
	where placement           // where the token actually went

	challenges []Challenge
	errCh      Challenge // the first challenge with an error param, Bearer preferred
	serverMsg  string    // the server's own words from the body, made safe to show
	serverNow  time.Time // the response's Date, zero when absent

	red   secret.Redactor // the token and every credential the request carried
	found []ranked
	// specAgrees is set when the spec's finding already says what the
	// server's insufficient_scope challenge says.
	specAgrees bool
}

// placement is where the token showed up in the request as sent.
type placement struct {
	header      string // header that carried it, "" when none
	headerValue string
	query       string // query parameter that carried it, "" when none
}

func newDoctor(ev Evidence) *doctor {
	d := &doctor{ev: ev, p: ev.Provider, tok: ev.Token, now: ev.Now}
	if d.p == nil {
		d.p = &config.Provider{}
	}
	d.name = cmp.Or(d.p.Name, "NAME")
	if d.now.IsZero() {
		d.now = time.Now()
	}
	if d.ev.Header == nil {
		d.ev.Header = http.Header{}
	}
	tokenType := ""
	if d.tok != nil {
		tokenType = d.tok.Type
		d.plain = d.tok.Access.Reveal()
		if d.p != nil && !providers.Sent(d.p, d.tok).IsZero() {
			d.plain = providers.Sent(d.p, d.tok).Reveal() // the ID token, for inject.token = "id_token"
		}
		d.bare = d.plain
		// maptable issues "Bearer eyJ...": what travels after any scheme
		// is the part to look for.
		if i := strings.IndexByte(d.plain, ' '); i > 0 && httptoken.Valid(d.plain[:i]) {
			d.bare = strings.TrimSpace(d.plain[i+1:])
		}
		d.claims = d.tok.Claims
		if d.claims == nil {
			d.claims, _ = jwt.Parse(d.plain)
		}
	}
	d.want = providers.InjectionOfType(d.p, tokenType)
	d.auth = strings.TrimSpace(d.ev.Header.Get("Authorization"))
	d.where = d.locate()
	d.challenges = Challenges(ev.ResponseHeader)
	for _, c := range d.challenges {
		if c.ErrorCode() != "" && (d.errCh.Scheme == "" || (c.Is("Bearer") && !d.errCh.Is("Bearer"))) {
			d.errCh = c
		}
	}
	d.collectSecrets()
	d.serverMsg = d.quote(serverMessage(ev.Body))
	if date := ev.ResponseHeader.Get("Date"); date != "" {
		if t, err := http.ParseTime(date); err == nil {
			d.serverNow = t
		}
	}
	return d
}

// locate finds the token in the request as sent: in a header (the
// Authorization header first), or in a query parameter. Without a token
// in hand, an Authorization header or a credential-named query parameter
// stands for it.
func (d *doctor) locate() placement {
	var pl placement
	names := make([]string, 0, len(d.ev.Header))
	for name := range d.ev.Header {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		ai, aj := strings.EqualFold(names[i], "Authorization"), strings.EqualFold(names[j], "Authorization")
		if ai != aj {
			return ai
		}
		return names[i] < names[j]
	})
	var query url.Values
	if d.ev.URL != nil {
		// ParseQuery keeps what it could read when one pair is malformed.
		query, _ = url.ParseQuery(d.ev.URL.RawQuery)
	}
	qnames := make([]string, 0, len(query))
	for name := range query {
		qnames = append(qnames, name)
	}
	sort.Strings(qnames)
	if d.bare == "" {
		if d.auth != "" {
			pl.header, pl.headerValue = "Authorization", d.auth
		}
		for _, name := range qnames {
			if credentialParam(name) && query.Get(name) != "" {
				pl.query = name
				break
			}
		}
		return pl
	}
	for _, name := range names {
		for _, v := range d.ev.Header[name] {
			if pl.header == "" && d.carries(v) {
				pl.header, pl.headerValue = name, v
			}
		}
	}
	for _, name := range qnames {
		for _, v := range query[name] {
			if pl.query == "" && (v == d.bare || v == d.plain) {
				pl.query = name
			}
		}
	}
	return pl
}

// carries reports whether a header value holds the token. A short token
// must stand whole at the end, or "abc" would be found inside any value.
func (d *doctor) carries(v string) bool {
	v = strings.TrimSpace(v)
	if v == d.bare || v == d.plain || strings.HasSuffix(v, " "+d.bare) {
		return true
	}
	return len(d.bare) >= shortToken && strings.Contains(v, d.bare)
}

// credentialParam reports whether a query parameter of a request to an
// API carries an access credential (access_token, api_key...): how a token
// sent in the URL is recognised when keyhole does not hold its value.
func credentialParam(name string) bool {
	switch strings.ToLower(name) {
	case "client_secret", "password", "code", "code_verifier", "refresh_token":
		// Credentials for the token endpoint, not for an API call.
		return false
	}
	return secret.SensitiveParam(name) || strings.EqualFold(name, "auth_token")
}

// add records a finding.
func (d *doctor) add(rank int, code, cause, fix string) {
	d.found = append(d.found, ranked{Finding: Finding{Code: code, Cause: cause, Fix: fix}, rank: rank})
}

// has reports whether a finding with one of codes was recorded.
func (d *doctor) has(codes ...string) bool {
	for _, f := range d.found {
		for _, c := range codes {
			if f.Code == c {
				return true
			}
		}
	}
	return false
}

// hasCause is has for findings that explain the refusal, not context.
func (d *doctor) hasCause(codes ...string) bool {
	for _, f := range d.found {
		if f.rank < rankInfo && slices.Contains(codes, f.Code) {
			return true
		}
	}
	return false
}

// result orders the findings and runs every text through the redactor
// once more, as a last guard: values quoted from the server or the
// request could hold a credential.
func (d *doctor) result() []Finding {
	sort.SliceStable(d.found, func(i, j int) bool { return d.found[i].rank < d.found[j].rank })
	out := make([]Finding, len(d.found))
	for i, f := range d.found {
		out[i] = Finding{Code: f.Code, Cause: d.red.Redact(f.Cause), Fix: d.red.Redact(f.Fix)}
	}
	return out
}

// credentialParts are the secret parts of a credential header value:
// all of it, and what follows the scheme. The scheme alone is not secret:
// masking "Bearer" would hide every mention of it.
func credentialParts(v string) []secret.String {
	v = strings.TrimSpace(v)
	out := []secret.String{secret.New(v)}
	if _, rest, ok := strings.Cut(v, " "); ok {
		out = append(out, secret.New(strings.TrimSpace(rest)))
		if f := strings.Fields(rest); len(f) > 1 {
			out = append(out, secret.New(f[len(f)-1]))
		}
	}
	return out
}

// collectSecrets fills the redactor: the token held, the provider's own
// secrets (an API echoing a request echoes one the person typed into it),
// and whatever credential the request carried, held token or not (a
// header written by hand, a parameter typed into the URL).
func (d *doctor) collectSecrets() {
	if d.tok != nil {
		d.red.Add(d.tok.Secrets()...)
		d.red.Add(secret.New(d.bare))
	}
	if p := d.p; p != nil {
		d.red.Add(p.ClientSecret, p.Password, p.RefreshToken, p.Token)
		d.red.Add(p.Injected()...)
		d.red.AddBasic(secret.New(p.ClientID), p.ClientSecret)
	}
	for name, values := range d.ev.Header {
		if secret.SensitiveHeader(name) {
			for _, v := range values {
				d.red.Add(credentialParts(v)...)
			}
		}
	}
	if d.ev.URL != nil {
		query, _ := url.ParseQuery(d.ev.URL.RawQuery)
		for name, values := range query {
			if credentialParam(name) {
				for _, v := range values {
					d.red.Add(secret.New(v))
				}
			}
		}
	}
}

// quote makes outside text (the server's words, a header) fit to show:
// credentials masked, then made safe for the terminal. Redacting first
// means a token cut short by the length cap is never half-shown.
func (d *doctor) quote(s string) string { return sanitize(d.red.Redact(s)) }
