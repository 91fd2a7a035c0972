package demo

import (
	"html/template"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// handleAuthorize is the authorization endpoint. op parses the request,
// checks the response type and makes the code; the checks op leaves out
// or makes differently are ours: the loopback redirect_uri, PKCE S256
// only (op would accept "plain" and no challenge), and unknown scopes
// refused (op drops them silently). There is no login: where op would
// redirect to a login page, the demo approves for demoUser at once, or,
// with prompt=consent, after the person presses Approve on a small page.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	ctx := r.Context()
	ar, err := op.ParseAuthorizeRequest(r, s.provider.Decoder())
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	// Until the redirect_uri is known good, errors are shown here, never
	// sent to it (RFC 6749 §4.1.2.1).
	c := s.store.client(ar.ClientID)
	if c == nil {
		writeOAuthError(w, oidc.ErrInvalidRequest().WithDescription("The client_id is missing or unknown."))
		return
	}
	if err := checkRedirectURI(c, ar.RedirectURI); err != nil {
		writeOAuthError(w, err)
		return
	}

	if err := checkAuthRequest(c, ar); err != nil {
		s.redirectError(w, r, ar, err)
		return
	}
	if r.Method == http.MethodGet && slices.Contains(ar.Prompt, oidc.PromptConsent) {
		s.writeConsent(w, r, ar)
		return
	}
	if r.Method == http.MethodPost && r.PostForm.Get("decision") == "deny" {
		s.redirectError(w, r, ar, oidc.ErrAccessDenied().WithDescription("The demo user declined the request."))
		return
	}

	approved, err := s.store.CreateAuthRequest(ctx, ar, demoUser)
	if err != nil {
		s.redirectError(w, r, ar, oidc.ErrServerError().WithParent(err))
		return
	}
	code, err := op.CreateAuthRequestCode(ctx, approved, s.store, s.provider.Crypto())
	if err != nil {
		s.redirectError(w, r, ar, oidc.ErrServerError().WithParent(err))
		return
	}
	to, err := op.AuthResponseURL(ar.RedirectURI, ar.ResponseType, ar.ResponseMode,
		&op.CodeResponseType{Code: code, State: ar.State}, s.provider.Encoder())
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// checkRedirectURI accepts http://127.0.0.1:PORT/callback and
// http://[::1]:PORT/callback with any PORT (RFC 8252 §7.3), and nothing
// else: not "localhost", which may resolve elsewhere (RFC 8252 §8.3), not
// https, no query, fragment or user info. op's own loopback rule lets
// "localhost" and another scheme through, so the demo keeps its own.
func checkRedirectURI(c *client, raw string) error {
	bad := func(why string) error {
		return oidc.ErrInvalidRequestRedirectURI().WithDescription("The redirect_uri %s; this client may only use http://127.0.0.1:PORT/callback or http://[::1]:PORT/callback.", why)
	}
	if !c.native {
		return bad("is not allowed, as this client uses no redirects")
	}
	if raw == "" {
		return bad("is missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("is not a URL")
	}
	ip := net.ParseIP(u.Hostname())
	switch {
	case u.Scheme != "http" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return bad("is not a plain http URL")
	case ip == nil || !(ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback)):
		return bad("does not point to a loopback IP")
	case u.Path != "/callback":
		return bad("has another path")
	}
	return nil
}

// checkAuthRequest runs the checks whose failures go back to the client.
func checkAuthRequest(c *client, ar *oidc.AuthRequest) error {
	if err := op.ValidateAuthReqResponseType(c, ar.ResponseType); err != nil {
		return err
	}
	if ar.ResponseMode != "" && ar.ResponseMode != oidc.ResponseModeQuery {
		return oidc.ErrInvalidRequest().WithDescription("Only response_mode=query is supported.")
	}
	// Every client that may use this endpoint is public, so PKCE is its
	// only proof of possession: required, and S256 only (RFC 7636 §4.2
	// and OAuth 2.1). A missing method means plain (RFC 7636 §4.3).
	switch {
	case ar.CodeChallenge == "":
		return oidc.ErrInvalidRequest().WithDescription("A code_challenge is required (PKCE, RFC 7636).")
	case ar.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return oidc.ErrInvalidRequest().WithDescription("Only code_challenge_method S256 is accepted.")
	}
	if sc := c.unknownScope(ar.Scopes); sc != "" {
		return oidc.ErrInvalidScope().WithDescription("The client %q may not request scope %q.", c.id, sc)
	}
	return nil
}

// redirectError sends err to the client's (already checked) redirect_uri.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, ar *oidc.AuthRequest, err error) {
	e := oidc.DefaultToServerError(err, "authorization failed")
	if e.Description == "" {
		e.Description = defaultDescriptions[string(e.ErrorType)]
	}
	e.State = ar.State
	to, uerr := op.AuthResponseURL(ar.RedirectURI, ar.ResponseType, oidc.ResponseModeQuery, e, s.provider.Encoder())
	if uerr != nil {
		writeOAuthError(w, oidc.ErrServerError().WithParent(uerr))
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// handleRevoke is the RFC 7009 revocation endpoint. op authenticates the
// client (a public one names itself); the token may be a refresh token or
// an access token, whatever token_type_hint says.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	token, _, clientID, err := op.ParseTokenRevocationRequest(r, s.provider)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	if token == "" {
		writeOAuthError(w, oidc.ErrInvalidRequest().WithDescription("The token parameter is missing."))
		return
	}
	if _, ok := s.store.refreshByToken(token, time.Now()); !ok {
		if claims, err := s.keys.verifyAccessToken(token, time.Time{}); err == nil {
			token = claims.JWTID // access tokens are kept by jti
		}
	}
	if err := s.store.RevokeToken(r.Context(), token, "", clientID); err != nil {
		writeOAuthError(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// introspection is the RFC 7662 §2.2 response.
type introspection struct {
	Active    bool     `json:"active"`
	Scope     string   `json:"scope,omitempty"`
	ClientID  string   `json:"client_id,omitempty"`
	Username  string   `json:"username,omitempty"`
	TokenType string   `json:"token_type,omitempty"`
	Exp       int64    `json:"exp,omitempty"`
	Iat       int64    `json:"iat,omitempty"`
	Sub       string   `json:"sub,omitempty"`
	Aud       []string `json:"aud,omitempty"`
	Iss       string   `json:"iss,omitempty"`
	JTI       string   `json:"jti,omitempty"`
}

// handleIntrospect is the RFC 7662 introspection endpoint; op
// authenticates the caller with client_secret_basic.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	token, _, err := op.ParseTokenIntrospectionRequest(r, s.provider)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "invalid_client",
			Description: "Introspection needs client_secret_basic authentication of a confidential client."})
		return
	}
	now := time.Now()
	resp := introspection{}
	if rt, ok := s.store.refreshByToken(token, now); ok {
		resp = introspection{Active: true, Scope: oidc.SpaceDelimitedArray(rt.grant.scopes).String(),
			ClientID: rt.grant.clientID, Username: rt.grant.username(), TokenType: "refresh_token",
			Exp: rt.expires.Unix(), Sub: rt.grant.subject}
	} else if claims, err := s.keys.verifyAccessToken(token, now); err == nil {
		if at, ok := s.store.accessByID(claims.JWTID); ok {
			resp = introspection{Active: true, Scope: oidc.SpaceDelimitedArray(at.grant.scopes).String(),
				ClientID: at.grant.clientID, Username: at.grant.username(), TokenType: "bearer",
				Exp: claims.Expiration.AsTime().Unix(), Iat: at.issued.Unix(), Sub: at.grant.subject,
				Aud: at.grant.GetAudience(), Iss: at.issuer, JTI: claims.JWTID}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// consentHTML posts the original parameters back to the authorization
// endpoint with the person's decision. There is no CSRF token: the demo
// approves without asking unless asked to ask, so a forged approval gains
// nothing. It is parsed when shown, not at package init, to keep keyhole's
// start-up free of work it may never need.
const consentHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyhole demo · authorize</title>
<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}
code{background:#eee;padding:0 .2em}button{font:inherit;padding:.4em 1.2em;margin-right:.5em}</style></head>
<body><h1>Authorize {{.Client}}?</h1>
<p>The keyhole demo server has no real users. Approving signs you in as <code>{{.User}}</code>
and grants {{if .Scopes}}{{range $i, $s := .Scopes}}{{if $i}}, {{end}}<code>{{$s}}</code>{{end}}{{else}}no scopes{{end}}.</p>
<form method="post" action="/oauth2/auth">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button name="decision" value="approve" autofocus>Approve</button><button name="decision" value="deny">Deny</button>
</form></body></html>
`

type consentField struct{ Name, Value string }

func (s *Server) writeConsent(w http.ResponseWriter, r *http.Request, ar *oidc.AuthRequest) {
	page, err := template.New("consent").Parse(consentHTML)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "consent page: "+err.Error())
		return
	}
	query := r.URL.Query()
	var fields []consentField
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if name == "prompt" || name == "decision" {
			continue // the POST must not ask again
		}
		for _, v := range query[name] {
			fields = append(fields, consentField{name, v})
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	_ = page.Execute(w, map[string]any{
		"Client": ar.ClientID,
		"User":   demoUser,
		"Scopes": []string(ar.Scopes),
		"Fields": fields,
	})
}
