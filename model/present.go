package model

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// stateLook is how a token state is drawn.
type stateLook struct {
	glyph string // "" means the spinner
	tone  ui.Tone
}

var stateLooks = map[providers.State]stateLook{
	providers.StateNone:         {"·", ui.ToneMuted},
	providers.StateFetching:     {"", ui.ToneInfo},
	providers.StateAwaitingUser: {"○", ui.ToneInfo},
	providers.StateValid:        {"●", ui.ToneGood},
	providers.StateExpiring:     {"◐", ui.ToneWarn},
	providers.StateRefreshing:   {"", ui.ToneInfo},
	providers.StateExpired:      {"✗", ui.ToneBad},
	providers.StateNeedsLogin:   {"○", ui.ToneWarn},
	providers.StateError:        {"✗", ui.ToneBad},
}

func (m *Model) state(e *entry) providers.State {
	err := e.err
	if err == nil && e.Session == nil {
		err = e.Err
	}
	return providers.StateOf(e.sentTok(), e.act, err, m.now, m.opts.RefreshBefore)
}

func (m *Model) look(s providers.State) (string, ui.Tone) {
	l := stateLooks[s]
	if l.glyph == "" {
		return m.spinner.View(), l.tone
	}
	return l.glyph, l.tone
}

// syncList rebuilds the provider list's rows from the entries.
func (m *Model) syncList() { m.list.SetItems(m.providerItems()) }

// providerItems are the provider list's rows, made afresh.
func (m *Model) providerItems() []ui.ProviderItem {
	items := make([]ui.ProviderItem, len(m.entries))
	for i, e := range m.entries {
		glyph, tone := m.look(m.state(e))
		if e.Session == nil && e.Err == nil {
			glyph, tone = m.spinner.View(), ui.ToneMuted // still starting
		}
		insecure := (e.Config != nil && e.Config.Insecure) || len(e.inClear()) > 0
		items[i] = ui.ProviderItem{Name: termtext.Line(e.name), Glyph: glyph, Tone: tone, Insecure: insecure}
	}
	return items
}

// tokenView maps the active provider's token onto what the pane shows,
// masked unless redaction is off, and made safe to draw: whatever path
// returns, the server's and the config's words reach the pane sanitized.
func (m *Model) tokenView() (v ui.TokenView) {
	defer func() { v = safeTokenView(v) }()
	e := m.active()
	if e == nil {
		switch {
		case m.startErr != nil:
			return ui.TokenView{Glyph: "✗", State: "error", Tone: ui.ToneBad, Error: m.startErr.Error()}
		case m.backend == nil:
			heading := "starting…"
			if m.opts.Demo {
				heading = "starting the built-in demo server…"
			}
			return ui.TokenView{Glyph: m.spinner.View(), State: "starting", Tone: ui.ToneInfo, Heading: heading}
		}
		return ui.TokenView{Glyph: "·", State: "none", Tone: ui.ToneMuted, Heading: "no provider selected", Keys: []string{"enter on a provider selects it"}}
	}
	st := m.state(e)
	glyph, tone := m.look(st)
	v = ui.TokenView{Glyph: glyph, State: st.String(), Tone: tone}
	parts := []string{e.name}
	if e.Config != nil {
		parts = append(parts, string(e.Config.Grant))
		switch a := e.Config.ClientAuth; a {
		case config.AuthPrivateKeyJWT, config.AuthClientSecretJWT, config.AuthTLS, config.AuthSelfSignedTLS:
			// How the client proves itself, where it is not a secret
			// sent as is: a signed assertion or a certificate.
			parts = append(parts, a)
		}
	}
	tok := e.tok
	if tok != nil {
		if tok.Type != "" {
			parts = append(parts, tokenTypeLabel(tok.Type))
		}
		parts = append(parts, sourceLabel(tok.Source))
	}
	v.Heading = strings.Join(parts, " · ")
	var alarms []string
	if e.Config != nil && e.Config.Insecure {
		alarms = append(alarms, "TLS NOT VERIFIED")
	}
	if clear := e.inClear(); len(clear) > 0 {
		alarms = append(alarms, "PLAIN HTTP")
		v.Warnings = append(v.Warnings, config.ClearWarning(clear))
	}
	v.Alarm = strings.Join(alarms, " · ")
	if tok != nil {
		w := providers.TokenTypeWarning(tok.Type)
		if e.Config != nil {
			w = providers.TokenWarning(e.Config, tok)
		}
		if w != "" {
			v.Warnings = append(v.Warnings, w)
		}
		if w := e.missingIDToken(); w != "" {
			v.Warnings = append(v.Warnings, w)
		}
	}
	switch shown := e.sentTok(); {
	case shown != nil && !shown.Expiry.IsZero():
		v.HasExpiry = true
		v.Fraction = shown.FractionLeft(m.now)
		v.Countdown = durfmt.Clock(shown.Expiry.Sub(m.now))
		v.ExpiresAt = shown.Expiry.In(m.opts.Location).Format("15:04:05")
		if shown.Expiry.Sub(m.now) >= 24*time.Hour {
			v.ExpiresAt = shown.Expiry.In(m.opts.Location).Format("2006-01-02 15:04")
		}
	case tok != nil:
		v.Expiry = "expiry unknown: the provider sent no expires_in and the token is not a JWT"
	}
	if tok != nil {
		v.Details = tokenDetails(tok, m.redact)
		if line := m.accessExpiryDetail(tok, e.sentTok()); line != "" {
			v.Details = append(v.Details, line)
		}
		if line := e.dpopDetail(tok); line != "" {
			v.Details = append(v.Details, line)
		}
	}
	if e.Config != nil && e.Config.ExchangeNote() != "" {
		v.Details = append(v.Details, termtext.Line(e.Config.ExchangeNote()))
	}
	if note := e.disc.ForeignTokenNote(); note != "" {
		v.Details = append(v.Details, note)
	}
	if err := e.tokenErr(); err != nil && !errors.Is(err, providers.ErrNeedsLogin) {
		v.Error = err.Error()
		v.Hint = providers.Hint(err)
	}
	if e.pending != nil {
		v.Expiry = "waiting for you to sign in: see below"
	}
	v.Keys = e.tokenKeys(m.redact)
	if st == providers.StateNeedsLogin && v.Hint == "" {
		v.Hint = "press a to sign in"
	}
	return v
}

// noteDiscovery copies what discovery told e's session, once it ran. It
// is called in Update after a token request or a sign-in started, so that
// View draws the model's own state.
func (e *entry) noteDiscovery() {
	if e.Session != nil {
		e.disc = e.Session.Discovered()
	}
}

// inClear names e's endpoints, configured or discovered, that are plain
// http to a host that is not loopback.
func (e *entry) inClear() []string {
	if len(e.disc.InClear) == 0 {
		return e.clear
	}
	return append(slices.Clone(e.clear), e.disc.InClear...)
}

// safeTokenView passes every text of v that may hold a server's or the
// config's words through the sanitizer: the error, the warnings, the token
// type, the scopes and claims, the provider's name, the token itself when shown.
// None of them may drive the terminal (no OSC 8 link, no colour).
func safeTokenView(v ui.TokenView) ui.TokenView {
	v.Heading, v.Expiry = termtext.Line(v.Heading), termtext.Line(v.Expiry)
	v.Error, v.Hint = termtext.Line(v.Error), termtext.Line(v.Hint)
	for i, d := range v.Details { // tokenDetails builds a new slice each time
		v.Details[i] = termtext.Line(d)
	}
	for i, w := range v.Warnings { // built afresh by tokenView too
		v.Warnings[i] = termtext.Line(w)
	}
	return v
}

// tokenKeys lists the token pane's keys that apply to this provider.
func (e *entry) tokenKeys(redact bool) []string {
	keys := []string{"r new token"}
	if e.Config != nil && e.Config.Interactive() {
		keys = append([]string{"a sign in"}, keys...)
	}
	if e.tok != nil {
		keys = append(keys, "x revoke", "i introspect", "c copy", "v claims")
	}
	return append(keys, "ctrl+r "+map[bool]string{true: "reveal", false: "mask"}[redact])
}

// tokenErr is why e has no token: its last attempt's error, or why it
// cannot have a session.
func (e *entry) tokenErr() error {
	if e.err != nil {
		return e.err
	}
	if e.Session == nil {
		return e.Err
	}
	return nil
}

func sourceLabel(s providers.Source) string {
	if s == providers.SourceCache {
		return "from cache"
	}
	return string(s)
}

// tokenTypeLabel writes token_type the way the header will carry it.
func tokenTypeLabel(t string) string { return providers.Scheme(t) }

func tokenDetails(tok *providers.Token, redact bool) []string {
	var out []string
	if len(tok.Scopes) > 0 {
		line := "scope " + strings.Join(tok.Scopes, " ")
		if !tok.ScopesFromServer {
			line += " (as requested; the server did not say)"
		}
		out = append(out, line)
	}
	if c := tok.Claims; c != nil {
		// First, so that a narrow pane, which cuts the line, keeps it.
		parts := []string{"JWT, unverified"}
		if len(c.Audience) > 0 {
			parts = append(parts, "aud "+strings.Join(c.Audience, " "))
		}
		if c.Subject != "" {
			parts = append(parts, "sub "+c.Subject)
		}
		if c.Issuer != "" {
			parts = append(parts, "iss "+c.Issuer)
		}
		out = append(out, strings.Join(parts, " · "))
	}
	out = append(out, "token "+tok.Access.Show(!redact))
	if !tok.ID.IsZero() {
		out = append(out, "id token "+tok.ID.Show(!redact))
	}
	if d := tok.AuthorizationDetails; d != "" {
		// The server's JSON, one line, made safe for the terminal; the
		// pane cuts it at its width, so each type comes first.
		out = append(out, "granted authorization_details: "+termtext.Line(grantedDetails(d)))
	}
	return out
}

// authPreview is the line the token will ride on, shown under the headers.
func (m *Model) authPreview() string {
	e := m.active()
	if e == nil || e.Config == nil {
		return ""
	}
	if fields, err := exchange.ParseHeaders(m.composer.Value(ui.FieldHeaders)); err == nil {
		if owner, ok := authRefOwner(fields); ok {
			return termtext.Line(owner + "'s token where {{$auth.token}} stands (https, loopback)")
		}
	}
	in := providers.InjectionFor(e.Config, e.tok)
	value := "••••"
	if e.tok != nil {
		value = providers.Sent(e.Config, e.tok).Show(!m.redact)
		if e.missingIDToken() != "" {
			value = "(no id_token to send)"
		}
	}
	if in.Query != "" {
		return termtext.Line("?" + in.Query + "=" + value + " (added)")
	}
	return termtext.Line(in.Header + ": " + in.Prefix + value + " (added)")
}

func withQuery(path string, q map[string]string) string {
	if len(q) == 0 {
		return path
	}
	v := url.Values{}
	for k, val := range q {
		v.Set(k, val)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + v.Encode()
}

// composerMask is what a composer field shows while not typed in: with
// redaction on, credential query parameters in the path, credential
// headers (scheme kept), name=value credentials and credential JSON fields
// (client_secret, password...) in the body, and anywhere the provider's
// own secrets and token, typed or pasted in.
func (m *Model) composerMask(f ui.Field, text string) string {
	if !m.redact || text == "" {
		return text
	}
	var red secret.Redactor
	switch f {
	case ui.FieldPath:
		text = secret.RedactURL(text)
	case ui.FieldQuery, ui.FieldBody:
		text = red.Redact(text)
	case ui.FieldHeaders:
		fields, err := exchange.ParseHeaders(text)
		if err == nil {
			var lines []string
			for _, fl := range fields {
				if templateOnly(fl.Value) {
					// "Bearer {{$auth.token("x")}}" names a secret, and
					// holds none: it shows what will be put there.
					lines = append(lines, fl.Name+": "+fl.Value)
					continue
				}
				masked := exchange.HeaderLines(http.Header{fl.Name: {fl.Value}}, providers.Injection{}, secret.String{}, false)
				lines = append(lines, masked...)
			}
			text = strings.Join(lines, "\n")
		}
	}
	if e := m.active(); e != nil && e.Session != nil {
		text = e.Session.Redact(text)
	}
	return text
}
